"""The seeded exercise library and programme templates, built from the progression tables.

`seed(apps)` is called by a data migration (with historical models) and is idempotent: it
updates the rows it owns by key or name and never touches coaches' own templates. It seeds one
exercise per rung of every ladder in `progression.LADDERS`, the running ladder included
(docs/clinical-rules.md "Running"); no template has a running entry, because the app adds running
to an athlete's sessions itself in return to training.
"""

from . import progression as p

# Coaching notes in our own words: (cues, equipment, note). The note is the range-of-motion note
# of a strength exercise and the effort of a run (docs/clinical-rules.md "Exercise ladders and
# doses", "Running").
DETAILS = {
    "hinge_isometric": ("Soft knees, long spine; push the hips back until the hamstrings feel loaded and hold still. Breathe; stop short of pain.", "None, or a dowel along the back", "Hold at the depth that stays comfortable; a little deeper each week."),
    "hinge_bodyweight_partial": ("Hips travel back, chest follows, back stays long. Go only as deep as stays smooth and pain-free, then drive the hips forward.", "None, or a dowel", "Partial range: fingertips to just below the knees."),
    "rdl_dumbbell": ("Dumbbells slide down the thighs, hips back, shins nearly vertical. Feel the stretch, then stand tall by squeezing the glutes.", "A pair of dumbbells", "Down to mid-shin as control allows."),
    "rdl_barbell": ("Bar close to the legs all the way, lats tight, neutral neck. Lower under control for three seconds and stand up smoothly.", "Barbell and plates", "Down to mid-shin, or lower if the back stays long."),
    "rdl_single_leg": ("Standing knee soft, hips square to the floor, free leg reaching back in line with the trunk. Slow down, steady up.", "Dumbbell or kettlebell (optional)", "Trunk close to parallel with the floor."),
    "knee_flexion_isometric": ("Heel pressed into a bench or a partner's hand as if curling, no movement. Start at 90 degrees of knee bend, then 45 and 20 as pain allows.", "Bench or a partner", ""),
    "curl_swiss_ball": ("Lie on your back, heels on the ball, hips lifted. Roll the ball in with the heels while the hips stay up, then roll out slowly.", "Swiss ball", ""),
    "curl_slider": ("Hips up, heels on sliders. Pull the heels in, then let them glide out slowly, keeping the hips off the floor for as long as you can.", "Sliders or towels on a smooth floor", ""),
    "curl_machine": ("Pads just above the heels, hips pressed down. Curl up quickly, lower slowly over three seconds.", "Lying or seated leg-curl machine", ""),
    "curl_slow_eccentric": ("Curl the weight up with both legs, lower it with one over four to five seconds.", "Leg-curl machine", ""),
    "curl_single_leg": ("One leg at a time, full range, no hip lift. Match the reps on both sides.", "Leg-curl machine or slider", ""),
    "nordic_band_assisted": ("Kneel with the ankles held, a band from above looped at the chest. Lean forward from the knees, hips straight, and let the band take what you cannot.", "Anchored band, partner or ankle strap, pad", ""),
    "nordic_inclined": ("As a Nordic, but kneel on an incline board so the lever is shorter. Keep the hips extended all the way down.", "Incline board or wedge, partner or strap", ""),
    "nordic_partial_range": ("Lower under control as far as you can hold the line from knee to shoulder, then catch yourself with the hands and push back up.", "Partner or ankle strap, pad", ""),
    "nordic_full": ("Lower as slowly as you can all the way to the floor, hips straight, catch with the hands, push back to the start.", "Partner or ankle strap, pad", ""),
    "nordic_weighted": ("A full Nordic holding a plate at the chest. Only once full Nordics are controlled to the floor.", "Weight plate, partner or strap, pad", ""),
    "run_brisk_walk": ("Walk at a brisk, even pace with a natural stride and relaxed arms; you should still be able to talk. Stop and tell the coach if the back of the thigh hurts.", "Trainers; a flat path, track or pitch", "Brisk but easy; pain-free all the way."),
    "run_easy_jog": ("Jog at a pace you could chat at: short, light steps landing under the hips, shoulders loose. Walk between the blocks.", "Trainers; track or grass", "Conversational pace, no surges."),
    "run_tempo": ("Smooth, relaxed runs at about two thirds of top speed: run tall, let the arms swing, keep the face and shoulders soft. Walk back to recover.", "Trainers; 100 m of track or pitch, two cones", "About 60-70% effort."),
    "run_strides": ("Build up over the first 20 m, then hold a quick, relaxed rhythm with the knees lifting and the feet landing under you. Ease off gradually after the cone.", "Trainers or boots; 60 m of track or pitch, cones", "About 80% effort."),
    "run_sprints_90": ("Fast but not flat out: drive the arms, stay tall, and slow down over a long run-out rather than stopping dead. Rest fully before the next one.", "Boots or spikes; 40 m plus a run-out, cones", "About 90% effort."),
    "run_max_sprint": ("After a full warm-up and a few strides, sprint as fast as you can, then slow down over a long run-out. Rest two to three minutes between sprints.", "Boots or spikes; 30 m plus a long run-out, cones", "Flat out; a sprint with no pain at all ticks the checklist's pain-free sprint."),
}
assert set(DETAILS) == set(p.RUNGS_BY_KEY)

PREVENTION_NAME = "Nordic prevention, 10 weeks"
REHAB_NAMES = {
    "grade_1": "Rehab after a grade 1 strain",
    "grade_2": "Rehab after a grade 2 strain",
    "grade_3": "Rehab after a grade 3 strain",
}
# Weeks of each rehab template: about the expected return to training (docs/clinical-rules.md),
# in weeks.
REHAB_WEEKS = {"grade_1": 3, "grade_2": 6, "grade_3": 12}


def _entry(key, order, *, sets=None, reps=None, reps_by_set="", load="", rom=""):
    """A template entry for a hinge, knee-flexion or Nordic rung; the sets and reps default to the
    rung's own dose (`progression.RUNG_DOSES`, docs/clinical-rules.md "Exercise ladders and
    doses")."""
    rung = p.RUNGS_BY_KEY[key]
    dose = p.RUNG_DOSES.get(key)
    if rung.isometric:
        return {"key": key, "order": order, "sets": len(dose.sets), "reps_min": dose.sets[0].min,
                "reps_max": dose.sets[0].max, "hold_seconds": dose.hold_seconds[0], "load": load,
                "rom_target": rom}
    default = (dose.sets[0].min, dose.sets[0].max) if dose else (8, 12)
    low, high = reps or default
    return {"key": key, "order": order, "sets": sets or (len(dose.sets) if dose else 3),
            "reps_min": low, "reps_max": high, "reps_by_set": reps_by_set, "load": load,
            "rom_target": rom}


def _nordic_entry(week, order):
    dose = p.nordic_dose(week)
    reps = [r.min for r in dose.sets]
    uniform = len({(r.min, r.max) for r in dose.sets}) == 1
    return _entry(
        "nordic_full",
        order,
        sets=len(dose.sets),
        reps=(dose.sets[0].min, dose.sets[0].max) if uniform else (min(reps), max(reps)),
        reps_by_set="" if uniform else ",".join(str(n) for n in reps),
        load="Partner holds the ankles",
    )


def prevention_sessions():
    """Petersen's ten weeks of Nordics (sessions per week from the dose table), hinge and curl
    work in the first session of each week, then two weeks of once-a-week maintenance."""
    sessions = []
    for week in range(1, 13):
        for order in range(1, p.nordic_dose(week).sessions_per_week + 1):
            entries = [_nordic_entry(week, 1)]
            if order == 1:
                entries += [
                    _entry("rdl_dumbbell", 2, load="Moderate dumbbells", rom="Mid-shin"),
                    _entry("curl_slider", 3),
                ]
            title = "Maintenance" if week > 10 else f"Nordic block, week {week}"
            sessions.append({"week": week, "order": order, "title": title, "entries": entries})
    return sessions


def rehab_sessions(classification):
    """Two sessions a week; starts with isometrics (the protect phase) and adds each family's
    next rungs as the weeks go. The progression engine and the injury's phase decide what is
    actually prescribed: these are the starting points."""
    weeks = REHAB_WEEKS[classification]
    sessions = []
    for week in range(1, weeks + 1):
        step = min((week - 1) * 4 // weeks, 3)  # 0..3 across the programme
        hinge = ["hinge_isometric", "hinge_bodyweight_partial", "rdl_dumbbell", "rdl_barbell"][step]
        curl = ["knee_flexion_isometric", "curl_swiss_ball", "curl_slider", "curl_machine"][step]
        for order in (1, 2):
            entries = [_entry(hinge, 1, rom="Only as deep as stays pain-free"), _entry(curl, 2)]
            if step >= 1:
                entries.append(_entry(["nordic_band_assisted", "nordic_band_assisted", "nordic_inclined", "nordic_partial_range"][step], 3, sets=2, reps=(4, 6), load="Assisted"))
            sessions.append({"week": week, "order": order, "title": f"Rehab week {week}", "entries": entries})
    return sessions


def seed(apps):
    Exercise = apps.get_model("programmes", "Exercise")
    ProgrammeTemplate = apps.get_model("programmes", "ProgrammeTemplate")
    TemplateSession = apps.get_model("programmes", "TemplateSession")
    TemplateEntry = apps.get_model("programmes", "TemplateEntry")

    exercises = {}
    for family, ladder in p.LADDERS.items():
        for rung_index, rung in enumerate(ladder):
            cues, equipment, rom = DETAILS[rung.key]
            exercises[rung.key], _ = Exercise.objects.update_or_create(
                key=rung.key,
                defaults={
                    "name": rung.name,
                    "family": family.value,
                    "rung": rung_index,
                    "isometric": rung.isometric,
                    "allowed_phases": sorted(phase.value for phase in rung.allowed_phases),
                    "cues": cues,
                    "equipment": equipment,
                    "rom_note": rom,
                },
            )

    plans = [(PREVENTION_NAME, "prevention", "Petersen 2011 (AJSM 39:2296): ten weeks of Nordic curls that cut new and recurring hamstring injuries by about 70% in that trial, with hinge and curl work, then once-a-week maintenance.", prevention_sessions())]
    plans += [
        (name, "rehab", f"Starts in the protect phase with isometrics; moves up the ladders as pain allows. About {REHAB_WEEKS[grade]} weeks.", rehab_sessions(grade))
        for grade, name in REHAB_NAMES.items()
    ]
    for name, kind, description, sessions in plans:
        template, created = ProgrammeTemplate.objects.get_or_create(
            name=name, owner=None, defaults={"kind": kind, "description": description}
        )
        if not created:
            continue  # admins may have edited a library template: leave it as it is
        for session in sessions:
            row = TemplateSession.objects.create(
                template=template, week=session["week"], order=session["order"], title=session["title"]
            )
            TemplateEntry.objects.bulk_create(
                TemplateEntry(session=row, exercise=exercises[entry.pop("key")], **entry)
                for entry in [dict(e) for e in session["entries"]]
            )
