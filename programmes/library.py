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

# How to do each exercise, step by step, in our own words; the pages number the steps. The seed
# fills an exercise's steps only while they are empty, so an admin's own wording stays.
STEPS = {
    "hinge_isometric": (
        "Stand with your feet hip-width apart and your knees slightly bent; hold a dowel along your back if you have one.",
        "Push your hips back and let your chest tip forward, back long and flat, until you feel the backs of your thighs working.",
        "Stop there and hold still for the set time, breathing slowly.",
        "Drive your hips forward to stand up, rest, and repeat for each hold.",
    ),
    "hinge_bodyweight_partial": (
        "Stand tall with your feet hip-width apart and your hands resting on the front of your thighs.",
        "Soften your knees and send your hips back, letting your hands slide down towards your knees.",
        "Stop when your fingertips reach just below your knees, or sooner if it pulls hard or hurts.",
        "Squeeze your glutes and push your hips forward to stand tall again.",
    ),
    "rdl_dumbbell": (
        "Stand with a dumbbell in each hand in front of your thighs, feet hip-width apart, knees soft.",
        "Push your hips back and let the dumbbells slide down the front of your legs, keeping your back flat.",
        "Go down to about mid-shin, or only as far as your back stays long.",
        "Stand up by driving your hips forward and squeezing your glutes, breathing out as you rise.",
    ),
    "rdl_barbell": (
        "Hold the bar with your hands just outside your thighs, standing tall with your knees slightly bent.",
        "Pull your shoulders down and back so your upper back is tight.",
        "Take about three seconds to lower the bar close to your legs, hips moving back, to about mid-shin.",
        "Push your hips forward to stand up smoothly, the bar staying close to your legs all the way.",
    ),
    "rdl_single_leg": (
        "Stand on one leg with that knee slightly bent; hold a weight in the opposite hand if you use one.",
        "Tip forward from the hip while your free leg reaches straight back, keeping both hips level.",
        "Go down until your body is nearly parallel to the floor, or as far as you stay balanced.",
        "Come back up slowly, finish all the reps, then change legs.",
    ),
    "knee_flexion_isometric": (
        "Lie face down with your knee bent to 90 degrees and your heel against a bench or a partner's hand.",
        "Press your heel into it as if you were curling your leg towards you: the leg does not move.",
        "Build up to a firm push over two seconds and hold it for the set time, breathing steadily.",
        "Relax, rest, and repeat; as pain allows over the weeks, hold with the knee bent to 45 and then 20 degrees.",
    ),
    "curl_swiss_ball": (
        "Lie on your back with your arms by your sides and your heels on top of a Swiss ball.",
        "Lift your hips until your body is straight from shoulders to heels.",
        "Keeping your hips up, bend your knees and roll the ball towards you with your heels.",
        "Straighten your legs slowly to roll the ball back out, hips still up; lower them only when the set is done.",
    ),
    "curl_slider": (
        "Lie on your back with your knees bent and your heels on sliders, or on towels on a smooth floor.",
        "Lift your hips off the floor.",
        "Let your heels slide away slowly until your legs are nearly straight, hips up for as long as you can.",
        "Pull your heels back in towards you, lift your hips again if they dropped, and repeat.",
    ),
    "curl_machine": (
        "Set the machine so your knee lines up with its pivot and the pad rests just above your heels.",
        "Hold the handles and keep your hips pressed into the bench or seat.",
        "Curl the pad up briskly as far as it goes.",
        "Lower it slowly over about three seconds until your legs are almost straight, then start the next rep.",
    ),
    "curl_slow_eccentric": (
        "Set up on the leg-curl machine with a lighter weight than for a normal curl.",
        "Curl the pad up with both legs.",
        "Lift one leg away and lower the pad with the other over four to five seconds.",
        "Curl up again with both legs; lower with the other leg next time, or as your coach wrote.",
    ),
    "curl_single_leg": (
        "Set up on the leg-curl machine, or lie on your back with one heel on a slider and your hips up.",
        "Curl one leg through its whole range without lifting your hips on the machine or dropping them on the slider.",
        "Lower under control until the leg is almost straight.",
        "Finish all the reps on this leg, then do the same number on the other.",
    ),
    "nordic_band_assisted": (
        "Anchor a strong band high in front of you; kneel on a pad with your ankles held by a partner or a strap.",
        "Loop the band across your chest and make a straight line from your knees to your shoulders, hips pushed forward.",
        "Lean forward slowly from the knees and let the band take the weight you cannot hold yourself.",
        "At the bottom of your range, push back up with your hands or let the band help you back to kneeling.",
    ),
    "nordic_inclined": (
        "Kneel on an incline board or wedge with a pad under your knees and your ankles held.",
        "Make a straight line from your knees to your shoulders, hips pushed forward.",
        "Lean forward slowly from the knees, as far as you can while keeping that line.",
        "Catch yourself with your hands if you need to, push back up, and reset before the next rep.",
    ),
    "nordic_partial_range": (
        "Kneel on a pad with your ankles held firmly by a partner or a strap.",
        "Make a straight line from your knees to your shoulders, hands ready in front of your chest.",
        "Lower forward slowly, keeping the line, until you can no longer slow yourself down.",
        "Catch yourself with your hands, push back up to kneeling, and rest before the next rep.",
    ),
    "nordic_full": (
        "Kneel on a pad with your ankles held firmly by a partner or a strap.",
        "Make a straight line from your knees to your shoulders, hips pushed forward, hands in front of your chest.",
        "Lower towards the floor as slowly as you can, resisting all the way down.",
        "Catch yourself with your hands, give a small push, and pull yourself back up to kneeling with your hamstrings.",
    ),
    "nordic_weighted": (
        "Start this only once you can lower yourself under control all the way to the floor in a full Nordic.",
        "Kneel on a pad with your ankles held, holding a weight plate against your chest.",
        "Lower forward as slowly as you can, hips straight.",
        "Near the floor, set the plate down and catch yourself with your hands, then push back up to kneeling.",
    ),
    "run_brisk_walk": (
        "Start with a few minutes of easy walking.",
        "Walk briskly at an even pace, arms swinging naturally, still able to talk.",
        "Keep going for the time set, slowing down if the back of your thigh starts to feel tight.",
        "Stop and tell your coach if the back of your thigh hurts.",
    ),
    "run_easy_jog": (
        "Walk for a few minutes to warm up.",
        "Jog at a pace you could chat at, taking short, light steps.",
        "Walk between the jogging blocks as set.",
        "Stop and tell your coach if the back of your thigh hurts.",
    ),
    "run_tempo": (
        "Warm up with an easy jog and a few leg swings.",
        "Mark out about 100 m with two cones.",
        "Run to the far cone at about two thirds of your top speed, smooth and relaxed.",
        "Walk back to the start to recover, then run the next one.",
    ),
    "run_strides": (
        "Warm up with an easy jog, leg swings and a couple of tempo runs.",
        "Mark out about 60 m with cones.",
        "Build up over the first 20 m, then hold a quick, relaxed stride at about 80% effort.",
        "Ease off gradually after the last cone, walk back, and go again.",
    ),
    "run_sprints_90": (
        "Warm up fully: an easy jog, running drills and a few strides.",
        "Mark out 40 m, with plenty of room after it to slow down.",
        "Sprint at about 90% effort: fast but not flat out, arms driving, body tall.",
        "Slow down gradually over the run-out and rest fully before the next one.",
    ),
    "run_max_sprint": (
        "Warm up fully: an easy jog, running drills and several strides that build to fast.",
        "Mark out 30 m, with a long run-out after it.",
        "Sprint through the last cone as fast as you can.",
        "Slow down gradually and rest two to three minutes before the next sprint; stop and tell your coach at any pain.",
    ),
}
assert set(STEPS) == set(p.RUNGS_BY_KEY)

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

    # Earlier migrations call this with historical models that have no steps yet.
    has_steps = any(field.name == "steps" for field in Exercise._meta.get_fields())
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
                    # In the pathway's order (protect first), as the library page lists them.
                    "allowed_phases": [phase.value for phase in p.TrainingPhase if phase in rung.allowed_phases],
                    "cues": cues,
                    "equipment": equipment,
                    "rom_note": rom,
                },
            )
            if has_steps:
                Exercise.objects.filter(key=rung.key, steps="").update(steps="\n".join(STEPS[rung.key]))

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
