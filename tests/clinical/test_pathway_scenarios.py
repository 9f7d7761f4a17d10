"""The pathway end to end through the services (docs/clinical-rules.md).

One test (or one table) per rule; each would fail if the app dropped the rule it names. Every
test runs on the pinned clock of ``clock`` (Monday 2 March 2026, 09:00 UTC).
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from injuries import pathway
from injuries import services as injury_services
from injuries import triage as t
from injuries.forms import AthleteComplaintForm, ComplaintForm
from injuries.models import ClassificationOverride, ClearanceCheck, Episode, Injury, PhaseChange, RecoveryDefault
from programmes import gating as g
from programmes import progression as p
from programmes import services as programme_services
from programmes.models import ProgressionDecision, ScheduledSession
from reminders.models import Kind, Reminder
from tests.clinical.support import (
    START_DAY,
    answers,
    assign,
    at,
    dose_volume,
    finish,
    isometric_only,
    loaded,
    log,
    move_on,
    report,
    rung_of,
    set_rung,
    template,
    tick,
    upcoming,
    upcoming_sessions,
)
from tests.factories import library_template

pytestmark = pytest.mark.usefixtures("clock")


def days(n):
    return timedelta(days=n)


def assert_isometric_holds_only(athlete):
    """Every upcoming session holds something, and only the isometric holds: no Nordic, no loaded rung."""
    sessions = upcoming_sessions(athlete)
    assert sessions
    for session in sessions:
        rows = list(session.exercises.select_related("exercise"))
        assert rows, session
        assert isometric_only(rows), [(r.exercise.key, r.withheld_reason) for r in rows]
    assert not upcoming(athlete, "nordic", withheld=True)
    assert not upcoming(athlete, "running", withheld=True)
    gating = programme_services.gate_for(athlete)
    assert gating.phase is p.TrainingPhase.PROTECT and gating.ceiling("nordic") is None


# --- A grade 3 (or any urgent case) holds the Nordic programme down to isometric holds -----------------


def _grade_3_logged(athlete, coach):
    return log(athlete, coach, "grade_3")


def _urgent_report_confirmed(athlete, coach):
    complaint = report(athlete, "grade_3")
    return injury_services.complaint_confirm(complaint=complaint, confirmed_by=coach, answers=answers("grade_3"))


def _overridden_to_grade_3(athlete, coach):
    injury = log(athlete, coach, "grade_1")
    injury = move_on(injury, "rehab", coach)
    tick(injury, pathway.NORDIC_CRITERIA, coach)
    assert loaded(upcoming(athlete)) and upcoming(athlete, "nordic")  # rehab with the Nordic criteria: loaded work
    return injury_services.injury_override_classification(
        injury=injury, overridden_by=coach, classification="grade_3", reason="The scan shows a complete tear."
    )


@pytest.mark.parametrize("how", [_grade_3_logged, _urgent_report_confirmed, _overridden_to_grade_3])
def test_a_grade_3_on_the_nordic_programme_leaves_only_isometric_holds(world, how):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    before = upcoming(athlete)
    assert {r.exercise.key for r in before} >= {"nordic_full", "rdl_dumbbell", "curl_slider"}
    injury = how(athlete, coach)
    assert isinstance(injury, Injury) and injury.phase == "protect" and injury.waiting_for_doctor
    assert_isometric_holds_only(athlete)
    # The sessions that held only Nordic curls became recovery sessions of gentle holds.
    nordic_only = [s for s in upcoming_sessions(athlete) if s.template_session.entries.count() == 1]
    assert nordic_only and all(s.is_recovery for s in nordic_only)
    assert all(s.gating_note for s in upcoming_sessions(athlete))


# --- Ladders after an injury -------------------------------------------------------------------------


def test_entering_rehab_restarts_every_ladder_at_its_bottom_rung(world):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    set_rung(athlete, "nordic", 4)  # weighted Nordic before the injury
    injury = log(athlete, coach, "grade_1")
    # Every criterion of rehab (and the Nordic ones) ticked while still in protect.
    tick(injury, [*pathway.STEP_CRITERIA[("protect", "rehab")], *pathway.NORDIC_CRITERIA], coach)
    # High rungs just before the move, as a coach's edit or an old position would leave them.
    for family, rung in (("hip_hinge", 4), ("knee_flexion", 5), ("nordic", 4)):
        set_rung(athlete, family, rung)
    injury_services.injury_change_phase(injury=injury, to_phase="rehab", changed_by=coach)
    assert {f: rung_of(athlete, f) for f in ("hip_hinge", "knee_flexion", "nordic")} == {
        "hip_hinge": 0, "knee_flexion": 0, "nordic": 0,
    }
    keys = {(r.family, r.exercise.key) for r in upcoming(athlete)}
    assert keys == {("hip_hinge", "hinge_isometric"), ("knee_flexion", "knee_flexion_isometric"),
                    ("nordic", "nordic_band_assisted")}


def test_a_nordic_rung_other_than_the_templates_keeps_the_weeks_nordic_dose(world):
    athlete, coach = world.athlete, world.coach
    # The coach's own dose on a full-Nordic slot: 3 x 12, which is not the Nordic dose of any week.
    tpl = template(coach, [("nordic_full", {"sets": 3, "reps_min": 12, "reps_max": 12}), "rdl_dumbbell"], days=14)
    assign(athlete, coach, tpl)
    injury = log(athlete, coach, "grade_1")
    injury = move_on(injury, "rehab", coach)
    tick(injury, pathway.NORDIC_CRITERIA, coach)
    rows = upcoming(athlete, "nordic")
    assert len(rows) == 14
    first = rows[0].session.date
    for row in rows:
        assert row.exercise.key == "nordic_band_assisted"
        week = (row.session.date - first).days // 7 + 1
        assert programme_services.dose_of(row).sets == p.nordic_dose(week).sets, (row.session.date, row.dose_label)
    assert {r.dose_label for r in rows} == {"2 × 5", "2 × 6"}


@pytest.mark.parametrize(
    "family, slot, from_rung, weekly",
    [
        # slow eccentric curl (3 x 6-8 = 24 reps) down to the machine curl, whose own dose is 3 x 8-12
        ("knee_flexion", "curl_slider", 4, False),
        # single-leg RDL (3 x 6-10 = 30 reps) down to the barbell RDL, whose own dose is 3 x 8-12
        ("hip_hinge", "rdl_dumbbell", 4, False),
        # full Nordic in week 1 (2 x 5) down to the partial range; the next session is in week 2 (2 x 6)
        ("nordic", "nordic_full", 3, True),
    ],
)
def test_a_regression_never_raises_the_volume(world, family, slot, from_rung, weekly):
    athlete, coach = world.athlete, world.coach
    set_rung(athlete, family, from_rung)
    if weekly:
        assign(athlete, coach, template(coach, [slot], days=3, per_week=1), weekdays=[0])
    else:
        assign(athlete, coach, template(coach, [slot], days=14))
    today = upcoming_sessions(athlete)[0]
    regressed_from = today.exercises.get(family=family)
    assert regressed_from.exercise.rung == from_rung
    decision = finish(today, 6)[family]
    assert (decision.decision, decision.to_rung) == ("regress", from_rung - 1)
    following = upcoming(athlete, family)[0]
    assert following.exercise.rung == from_rung - 1
    kind, volume = dose_volume(following)
    kind_from, volume_from = dose_volume(regressed_from)
    assert kind == kind_from
    assert volume <= volume_from, (following.dose_label, regressed_from.dose_label)


def test_every_family_regressed_in_one_session_keeps_its_volume_down(world):
    athlete, coach = world.athlete, world.coach
    set_rung(athlete, "hip_hinge", 4)  # single-leg RDL, 3 x 6-10
    set_rung(athlete, "knee_flexion", 4)  # slow eccentric curl, 3 x 6-8
    assign(athlete, coach, template(coach, ["rdl_dumbbell", "curl_slider"], days=7))
    today = upcoming_sessions(athlete)[0]
    came_from = {row.family: dose_volume(row) for row in today.exercises.all()}
    decisions = finish(today, 7)
    assert {f: (d.decision, d.to_rung) for f, d in decisions.items()} == {
        "hip_hinge": ("regress", 3), "knee_flexion": ("regress", 3)}
    for family in ("hip_hinge", "knee_flexion"):
        following = upcoming(athlete, family)[0]
        assert dose_volume(following)[1] <= came_from[family][1], (family, following.dose_label)


def test_weighted_nordic_never_before_week_11_of_the_block(world):
    athlete, coach = world.athlete, world.coach
    set_rung(athlete, "nordic", 4)  # an athlete already on the weighted Nordic
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    rows = upcoming(athlete, "nordic")
    by_week = {}
    for row in rows:
        week = (row.session.date - START_DAY).days // 7 + 1
        by_week.setdefault(week, set()).add(row.exercise.key)
    assert all(keys == {"nordic_full"} for week, keys in by_week.items() if week < 11), by_week
    assert by_week[11] == by_week[12] == {"nordic_weighted"}


# --- "Two sessions in a row" ---------------------------------------------------------------------------


@pytest.fixture
def curls(world):
    """The athlete on slider curls (rung 2) every day for two weeks; returns the sessions."""
    assign(world.athlete, world.coach, template(world.coach, ["curl_slider"], days=14))
    return upcoming_sessions(world.athlete)


def _day(clock, sessions, index):
    clock.move_to(at(START_DAY + days(index)))
    return sessions[index]


def test_two_in_a_row_ignores_sessions_before_the_last_rung_change(world, clock, curls):
    steps = [
        (2, "hold", 2),  # one session on the slider curl
        (2, "advance", 3),  # two in a row: up to the machine curl
        (7, "regress", 2),  # back down to the slider curl
        (2, "hold", 2),  # one session on it since the change: the clean one before the change does not count
        (2, "advance", 3),  # two since the change
    ]
    for index, (pain, decision, rung) in enumerate(steps):
        made = finish(_day(clock, curls, index), pain)["knee_flexion"]
        assert (made.decision, made.to_rung) == (decision, rung), (index, made.reason)
    assert rung_of(world.athlete, "knee_flexion") == 3


def test_two_in_a_row_ignores_sessions_with_no_set_logged(world, clock, curls):
    first = finish(_day(clock, curls, 0), 1)["knee_flexion"]
    assert first.decision == "hold"
    empty = finish(_day(clock, curls, 1), 1, sets=False)["knee_flexion"]
    assert (empty.decision, empty.to_rung) == ("hold", 2)  # not completed: never moves anyone up
    assert "no set" in empty.reason.lower()
    third = finish(_day(clock, curls, 2), 1)["knee_flexion"]
    assert (third.decision, third.to_rung) == ("advance", 3)  # the sessions of day 1 and day 3


def test_sessions_finished_without_sets_never_advance(world, clock, curls):
    for index in range(4):
        made = finish(_day(clock, curls, index), 0, sets=False)["knee_flexion"]
        assert (made.decision, made.to_rung) == ("hold", 2)
    assert rung_of(world.athlete, "knee_flexion") == 2


def test_a_session_without_sets_still_moves_down_on_a_warning_sign(world, clock, curls):
    made = finish(_day(clock, curls, 0), 8, sets=False)["knee_flexion"]
    assert (made.decision, made.to_rung, made.alert_coach) == ("regress", 1, True)


def test_a_future_session_cannot_be_finished(world, curls):
    tomorrow = curls[1]
    assert tomorrow.date == START_DAY + days(1)
    with pytest.raises(programme_services.SessionLogError, match="planned for"):
        programme_services.session_complete(session=tomorrow, worst_pain=0, sharp_pain=False)
    tomorrow.refresh_from_db()
    assert tomorrow.completed_at is None and tomorrow.worst_pain is None
    assert not ProgressionDecision.objects.filter(session=tomorrow).exists()


def test_a_good_next_morning_keeps_the_advance(world, clock, curls):
    finish(_day(clock, curls, 0), 2)
    advance = finish(_day(clock, curls, 1), 2)["knee_flexion"]
    assert (advance.decision, advance.to_rung) == ("advance", 3)
    clock.move_to(at(START_DAY + days(2), hour=7))
    programme_services.session_morning_report(session=curls[1], feeling="better", pain=0)
    advance.refresh_from_db()
    assert (advance.decision, advance.to_rung) == ("advance", 3)
    assert rung_of(world.athlete, "knee_flexion") == 3


# --- The urgent pathway ---------------------------------------------------------------------------------

PROTECT_TO_REHAB = [*pathway.STEP_CRITERIA[("protect", "rehab")]]


@pytest.mark.parametrize(
    "reviewed, ticked, override, allowed",
    [
        (False, False, True, False),  # a written reason cannot stand in for the doctor's review
        (False, True, False, False),  # nor can every criterion ticked
        (False, True, True, False),
        (True, True, False, True),  # with the review and the criteria it moves on
        (True, False, True, True),  # the review recorded, the criteria waived with a reason
        (True, False, False, False),  # the review alone is not the criteria
    ],
)
def test_a_grade_3_leaves_protect_only_after_the_doctors_review(world, reviewed, ticked, override, allowed):
    athlete, coach = world.athlete, world.coach
    injury = log(athlete, coach, "grade_3")
    if reviewed:
        injury_services.doctor_review_record(
            injury=injury, reviewer="Dr Khan", reviewed_on=timezone.localdate(), note="Partial tear on ultrasound.",
            recorded_by=coach,
        )
    if ticked:
        tick(injury, PROTECT_TO_REHAB, coach)
    injury.refresh_from_db()
    move = lambda: injury_services.injury_change_phase(  # noqa: E731
        injury=injury, to_phase="rehab", changed_by=coach, override=override,
        reason="The physio has seen the athlete walk." if override else "", expected_phase="protect",
    )
    if allowed:
        assert move().phase == "rehab"
    else:
        with pytest.raises(injury_services.PhaseChangeError):
            move()
        injury.refresh_from_db()
        assert injury.phase == "protect"
        assert not PhaseChange.objects.filter(injury=injury, to_phase="rehab").exists()


@pytest.mark.parametrize("classification", ["doms", "cramp"])
@pytest.mark.parametrize("flag", ["numbness", "walking_difficulty_ongoing"])
def test_a_cramp_or_doms_with_a_red_flag_is_an_urgent_injury_not_an_episode(world, classification, flag):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    record = log(athlete, coach, classification, **{flag: True})
    assert isinstance(record, Injury)
    assert not Episode.objects.filter(athlete=athlete).exists()
    assert (record.classification, record.referral, record.phase) == (classification, "urgent", "protect")
    assert record.ever_urgent and record.waiting_for_doctor and record.needs_doctor_clearance
    # the first-days advice agrees with the referral: stop training and see a doctor
    advice = record.complaint.triage_result["advice"]
    assert advice.startswith(t.STOP_AND_SEE_A_DOCTOR)
    # the doctor's review to leave protect, the doctor's clearance to clear
    to_rehab = injury_services.phase_criteria(record, "rehab")
    assert to_rehab[0].key == pathway.DOCTOR_REVIEW and not to_rehab[0].waivable
    assert pathway.DOCTOR in [c.key for c in injury_services.phase_criteria(record, "cleared")]
    assert_isometric_holds_only(athlete)


# --- Answers are asked, not assumed ----------------------------------------------------------------------


def test_dropping_a_red_flag_the_athlete_reported_needs_a_reason_and_saves_nothing_without_one(world):
    athlete, coach = world.athlete, world.coach
    complaint = report(athlete, "cramp", numbness=True)
    assert complaint.is_urgent and complaint.athlete_answers["numbness"] is True
    for reason in ("", "   "):
        with pytest.raises(injury_services.RedFlagRemovalNeedsReason) as refused:
            injury_services.complaint_confirm(complaint=complaint, confirmed_by=coach, answers=answers("cramp"), reason=reason)
        assert "numbness" in str(refused.value).lower()
    complaint.refresh_from_db()
    assert (complaint.status, complaint.numbness, complaint.referral, complaint.confirm_reason) == (
        "pending", True, "urgent", "")
    assert not Injury.objects.filter(athlete=athlete).exists()
    assert not Episode.objects.filter(athlete=athlete).exists()
    assert programme_services.gate_for(athlete).phase is p.TrainingPhase.PROTECT  # still held


def test_dropping_a_red_flag_with_a_reason_keeps_the_athletes_own_answers(world):
    athlete, coach = world.athlete, world.coach
    complaint = report(athlete, "cramp", numbness=True)
    reason = "Asked again in person: pins and needles from the cramp only, gone now."
    record = injury_services.complaint_confirm(complaint=complaint, confirmed_by=coach, answers=answers("cramp"), reason=reason)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.numbness, complaint.classification, complaint.referral) == (
        "confirmed", False, "cramp", "none")
    assert complaint.confirm_reason == reason
    assert complaint.athlete_answers["numbness"] is True
    assert complaint.athlete_answers["triage_result"]["red_flags"] == ["numbness"]
    assert complaint.athlete_answers["triage_result"]["referral"] == "urgent"
    assert complaint.triage_result["red_flags"] == []
    assert isinstance(record, Episode)


def test_keeping_the_red_flags_needs_no_reason(world):
    complaint = report(world.athlete, "grade_1", walking_difficulty_ongoing=True)
    record = injury_services.complaint_confirm(
        complaint=complaint, confirmed_by=world.coach, answers=answers("grade_2", walking_difficulty_ongoing=True)
    )
    assert isinstance(record, Injury) and record.ever_urgent and record.classification == "grade_2"
    complaint.refresh_from_db()
    assert complaint.athlete_answers["triage_result"]["classification"] == "grade_1"
    assert complaint.confirm_reason == ""


SAFETY_QUESTIONS = ["cannot_move_leg", "walking_difficulty_ongoing", "numbness",  # red flags
                    "popping_sensation", "sudden_sharp_pain", "weakness", "can_bear_weight", "swelling", "bruising"]


@pytest.mark.parametrize("form_class", [ComplaintForm, AthleteComplaintForm])
def test_the_complaint_forms_leave_the_safety_questions_unanswered(form_class):
    form = form_class()
    prefilled = {name: form[name].value() for name in SAFETY_QUESTIONS if form[name].value() not in (None, "")}
    assert prefilled == {}


# --- The doctor's clearance ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "classification, flags, override_to, needed",
    [
        ("grade_1", {}, None, False),
        ("grade_2", {}, None, True),
        ("grade_2", {}, "grade_1", True),  # judged from the most severe result ever
        ("grade_3", {}, "grade_1", True),
        ("grade_1", {"numbness": True}, None, True),  # any urgent referral
        ("grade_1", {}, "grade_2", True),
        ("grade_1", {}, "cramp", False),
    ],
)
def test_the_doctors_clearance_is_needed_after_grade_2_3_or_an_urgent_referral_ever(world, classification, flags, override_to, needed):
    athlete, coach = world.athlete, world.coach
    injury = log(athlete, coach, classification, **flags)
    if override_to:
        injury = injury_services.injury_override_classification(
            injury=injury, overridden_by=coach, classification=override_to, reason="Re-examined after two days."
        )
    injury.refresh_from_db()
    assert injury.needs_doctor_clearance is needed
    assert (pathway.DOCTOR in [c.key for c in injury_services.phase_criteria(injury, "cleared")]) is needed
    # Everything but the doctor's clearance ticked in return to training: clearing waits for it when needed.
    injury = move_on(injury, "rehab", coach)
    injury = move_on(injury, "return_to_training", coach)
    tick(injury, [k for k in pathway.STEP_CRITERIA[("return_to_training", "cleared")] if k != pathway.DOCTOR], coach)
    clear = lambda: injury_services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=coach)  # noqa: E731
    if needed:
        assert injury_services.checklist_missing(injury) == [pathway.ITEM_LABELS[pathway.DOCTOR]]
        with pytest.raises(injury_services.PhaseChangeError):
            clear()
    else:
        assert injury_services.checklist_missing(injury) == []
        assert clear().phase == "cleared"


# --- Recurrence -----------------------------------------------------------------------------------------

T = START_DAY + days(100)  # the day the new complaint is logged


def _returned(clock, athlete, coach, *, opened, cleared, side="left", classification="grade_1", **flags):
    """An injury opened on ``opened`` and cleared on ``cleared`` (every criterion ticked on the way)."""
    clock.move_to(at(opened))
    injury = log(athlete, coach, classification, side=side, **flags)
    clock.move_to(at(cleared))
    for phase in ("rehab", "return_to_training", "cleared"):
        injury = move_on(injury, phase, coach)
    assert injury.cleared_on == cleared
    return injury


@pytest.mark.parametrize(
    "history, hours_since_onset, recurrence",
    [
        # Two earlier returns on the same side: the later one (5 days before the complaint) came after
        # the new onset (10 days before it), so it is outside the window; the earlier one, 30 days
        # before the onset, is inside: still a recurrence.
        ([dict(opened=T - days(45), cleared=T - days(40)), dict(opened=T - days(8), cleared=T - days(5))], 240, True),
        # The latest return was the other leg's; an earlier same-side one is inside the window.
        ([dict(opened=T - days(55), cleared=T - days(50)), dict(opened=T - days(8), cleared=T - days(3), side="right")], 3, True),
        ([dict(opened=T - days(8), cleared=T - days(3), side="right")], 3, False),
        ([dict(opened=T - days(75), cleared=T - days(70))], 3, False),  # outside the two months
        ([dict(opened=T - days(65), cleared=T - days(60))], 3, True),  # the last day of the window
        ([dict(opened=T - days(25), cleared=T - days(20), side="both")], 3, True),
        ([dict(opened=T - days(25), cleared=T - days(20), classification="grade_2")], 3, True),
        # A cleared DOMS or cramp (urgent, so an injury) is no strain return.
        ([dict(opened=T - days(25), cleared=T - days(20), classification="doms", numbness=True)], 3, False),
        ([dict(opened=T - days(25), cleared=T - days(20), classification="cramp", walking_difficulty_ongoing=True)], 3, False),
    ],
)
def test_recurrence_looks_at_every_strain_return_on_the_same_side(world, clock, history, hours_since_onset, recurrence):
    athlete, coach = world.athlete, world.coach
    for returned in history:
        _returned(clock, athlete, coach, **returned)
    clock.move_to(at(T))
    injury = log(athlete, coach, "grade_1", side="left", hours_since_onset=hours_since_onset)
    assert injury.onset_date == T - days(hours_since_onset // 24)
    assert injury.is_recurrence is recurrence


@pytest.mark.parametrize("classification", ["cramp", "doms"])
def test_a_minor_episode_is_never_a_return(world, clock, classification):
    athlete, coach = world.athlete, world.coach
    clock.move_to(at(T - days(10)))
    episode = log(athlete, coach, classification, side="left")
    assert isinstance(episode, Episode)
    programme_services.episodes_sweep(T - days(5))
    episode.refresh_from_db()
    assert episode.ended_on is not None
    clock.move_to(at(T))
    assert log(athlete, coach, "grade_1", side="left").is_recurrence is False


# --- An athlete's urgent report ---------------------------------------------------------------------------


def test_an_urgent_report_holds_loaded_work_at_once_and_a_non_urgent_confirmation_releases_it(world):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    assert upcoming(athlete, "nordic")
    complaint = report(athlete, "cramp", numbness=True)
    # before any coach has looked at it: no injury yet, and only gentle holds
    assert complaint.status == "pending"
    assert not Injury.objects.filter(athlete=athlete).exists()
    assert_isometric_holds_only(athlete)
    assert all(g.REASON_URGENT_REPORT in s.gating_note for s in upcoming_sessions(athlete))
    # the coach confirms a cramp without numbness (with the reason): the hold is released
    injury_services.complaint_confirm(
        complaint=complaint, confirmed_by=coach, answers=answers("cramp"), reason="Checked in person: no numbness."
    )
    gating = programme_services.gate_for(athlete)
    assert gating.phase is p.TrainingPhase.PREVENTION and gating.hold  # a cramp episode: lighter, not protect
    assert {r.exercise.key for r in upcoming(athlete, "nordic")} == {"nordic_full"}
    assert all(g.REASON_URGENT_REPORT not in s.gating_note for s in upcoming_sessions(athlete))


@pytest.mark.parametrize("classification", ["grade_1", "grade_2"])
def test_a_report_pointing_to_a_strain_holds_loaded_work_until_its_coach_has_looked(world, classification):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    before = {r.family: r.exercise.key for r in upcoming(athlete)}
    complaint = report(athlete, classification)
    assert not complaint.is_urgent and complaint.status == "pending"
    # no injury yet, and the sessions already ask for no more than the injury would allow
    assert not Injury.objects.filter(athlete=athlete).exists()
    assert_isometric_holds_only(athlete)
    assert all(g.REASON_REPORT_STRAIN in s.gating_note for s in upcoming_sessions(athlete))
    # the coach confirms it as soreness after a heavy session: the load comes back, no step up
    injury_services.complaint_confirm(complaint=complaint, confirmed_by=coach, answers=answers("doms"))
    assert {r.family: r.exercise.key for r in upcoming(athlete)} == before
    gating = programme_services.gate_for(athlete)
    assert gating.phase is p.TrainingPhase.PREVENTION and gating.hold
    assert all(g.REASON_REPORT_STRAIN not in s.gating_note for s in upcoming_sessions(athlete))


def test_a_confirmed_strain_keeps_the_hold_as_an_injury_in_protect(world):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    complaint = report(athlete, "grade_1")
    injury = injury_services.complaint_confirm(complaint=complaint, confirmed_by=coach, answers=answers("grade_1"))
    assert isinstance(injury, Injury) and injury.phase == "protect"
    assert_isometric_holds_only(athlete)
    notes = {s.gating_note for s in upcoming_sessions(athlete)}
    assert notes == {g.REASON_PROTECT}  # the report's own reason is gone with the report


@pytest.mark.parametrize("classification", ["cramp", "doms"])
def test_a_report_pointing_to_a_cramp_or_soreness_holds_progression_but_keeps_the_rungs(world, classification):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    before = sorted((r.session_id, r.exercise.key) for r in upcoming(athlete))
    complaint = report(athlete, classification)
    assert not complaint.is_urgent
    assert sorted((r.session_id, r.exercise.key) for r in upcoming(athlete)) == before
    gating = programme_services.gate_for(athlete)
    assert gating.phase is p.TrainingPhase.PREVENTION and gating.hold
    assert gating.reasons == (g.REASON_REPORT_MINOR,)


def test_confirming_a_non_urgent_version_gives_back_the_loaded_rungs(world):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    before = {r.family: r.exercise.key for r in upcoming(athlete)}
    assert before == {"nordic": "nordic_full", "hip_hinge": "rdl_dumbbell", "knee_flexion": "curl_slider"}
    complaint = report(athlete, "cramp", numbness=True)
    injury_services.complaint_confirm(
        complaint=complaint, confirmed_by=coach, answers=answers("cramp"), reason="Checked in person: no numbness."
    )
    assert {r.family: r.exercise.key for r in upcoming(athlete)} == before


# --- Overrides ---------------------------------------------------------------------------------------------


def test_an_override_refreshes_referral_windows_and_gating(world):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    injury = log(athlete, coach, "grade_1")
    injury = move_on(injury, "rehab", coach)
    tick(injury, pathway.NORDIC_CRITERIA, coach)
    assert loaded(upcoming(athlete))
    reason = "MRI: complete tear of the biceps femoris."
    injury = injury_services.injury_override_classification(
        injury=injury, overridden_by=coach, classification="grade_3", reason=reason
    )
    injury.refresh_from_db()
    defaults = RecoveryDefault.for_classification("grade_3")
    assert (injury.classification, injury.worst_classification, injury.referral) == ("grade_3", "grade_3", "urgent")
    assert injury.ever_urgent and injury.waiting_for_doctor and injury.needs_doctor_clearance
    assert injury.doctor_status == Injury.DoctorStatus.ADVISED
    assert injury.protect_until == injury.onset_date + days(defaults.protect_max_days)
    assert injury.expected_return_from == injury.onset_date + days(defaults.return_min_days)
    assert injury.expected_return_to == injury.onset_date + days(defaults.return_max_days)
    assert injury.phase == "protect"
    assert PhaseChange.objects.filter(injury=injury, from_phase="rehab", to_phase="protect").exists()
    assert ClassificationOverride.objects.get(injury=injury).reason == reason
    assert injury.complaint.classification == "grade_1"  # the original triage is kept
    assert_isometric_holds_only(athlete)
    assert {f: rung_of(athlete, f) for f in ("hip_hinge", "knee_flexion", "nordic")} == {
        "hip_hinge": 0, "knee_flexion": 0, "nordic": 0}


def test_an_override_down_keeps_the_urgent_pathway(world):
    athlete, coach = world.athlete, world.coach
    injury = log(athlete, coach, "grade_3")
    injury = injury_services.injury_override_classification(
        injury=injury, overridden_by=coach, classification="grade_1", reason="Re-examined: only a mild strain."
    )
    assert (injury.classification, injury.referral, injury.worst_classification) == ("grade_1", "if_not_improving", "grade_3")
    assert injury.waiting_for_doctor  # once urgent, urgent for the rest of the injury
    tick(injury, PROTECT_TO_REHAB, coach)
    with pytest.raises(injury_services.PhaseChangeError):
        injury_services.injury_change_phase(injury=injury, to_phase="rehab", changed_by=coach, override=True, reason="Looks fine.")


# --- Minor episodes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("classification", ["cramp", "doms"])
def test_a_cramp_or_doms_is_an_episode_with_no_checklist(world, classification):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    record = log(athlete, coach, classification)
    assert isinstance(record, Episode)
    assert record.classification == classification and record.ended_on is None
    assert record.ends_on == pathway.episode_end(record.started_on, classification)
    assert not Injury.objects.filter(athlete=athlete).exists()
    assert not ClearanceCheck.objects.filter(injury__athlete=athlete).exists()
    assert not hasattr(record, "checks")
    gating = programme_services.gate_for(athlete)
    assert gating.hold and gating.phase is p.TrainingPhase.PREVENTION
    assert upcoming(athlete, "nordic")  # lighter (no step up), not protect


@pytest.mark.parametrize("episode", [None, "doms", "cramp"])
def test_an_open_episode_holds_advances(world, clock, curls, episode):
    athlete, coach = world.athlete, world.coach
    if episode:
        log(athlete, coach, episode)
    finish(_day(clock, curls, 0), 1)
    made = finish(_day(clock, curls, 1), 1)["knee_flexion"]  # a clean pair (no sweep has ended the episode)
    if episode:
        assert (made.decision, made.to_rung) == ("hold", 2)
        assert "Held instead" in made.reason
        assert rung_of(athlete, "knee_flexion") == 2
    else:
        assert (made.decision, made.to_rung) == ("advance", 3)


@pytest.mark.parametrize("classification, hours, window_end", [
    ("cramp", 1, START_DAY + days(1)),  # began this morning: ends tomorrow
    ("doms", 30, START_DAY - days(1) + days(4)),  # began yesterday: four days from then
])
def test_an_episode_ends_by_itself_after_its_window(world, clock, classification, hours, window_end):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    episode = log(athlete, coach, classification, hours_since_onset=hours)
    assert episode.ends_on == window_end
    clock.move_to(at(window_end - days(1)))
    assert programme_services.episodes_sweep(window_end - days(1)) == {"ended": 0, "retriage": 0}
    episode.refresh_from_db()
    assert episode.ended_on is None and programme_services.gate_for(athlete).hold
    clock.move_to(at(window_end))
    assert programme_services.episodes_sweep(window_end) == {"ended": 1, "retriage": 0}
    episode.refresh_from_db()
    assert (episode.ended_on, episode.ending) == (window_end, Episode.Ending.BY_ITSELF)
    assert not programme_services.gate_for(athlete).hold
    assert all(not s.gating_note for s in upcoming_sessions(athlete))


@pytest.mark.parametrize(
    "worst_pain, morning_pain, outcome",
    [
        (4, None, "retriage"),
        (3, None, "retriage"),  # 3/10 is pain that persists
        (2, None, "ended"),
        (6, 1, "ended"),  # the morning after is the latest pain reported
        (1, 5, "retriage"),
    ],
)
def test_an_episode_with_persisting_pain_asks_for_a_retriage_once(world, clock, curls, worst_pain, morning_pain, outcome):
    athlete, coach = world.athlete, world.coach
    episode = log(athlete, coach, "doms")
    finish(curls[0], worst_pain)
    if morning_pain is not None:
        clock.move_to(at(START_DAY + days(1), hour=7))
        programme_services.session_morning_report(session=curls[0], feeling="same", pain=morning_pain)
    end = episode.ends_on
    clock.move_to(at(end))
    counts = programme_services.episodes_sweep(end)
    episode.refresh_from_db()
    alerts = Reminder.objects.filter(kind=Kind.PAIN_ALERT, occurrence=f"episode:{episode.pk}:persisting")
    if outcome == "ended":
        assert counts == {"ended": 1, "retriage": 0}
        assert episode.ended_on == end and not alerts.exists()
        return
    assert counts == {"ended": 0, "retriage": 1}
    assert episode.ended_on is None and episode.retriage_asked_on == end
    assert alerts.count() == athlete.team.coaches.count() == 1
    assert programme_services.gate_for(athlete).hold  # still lighter until someone re-triages
    clock.move_to(at(end + days(1)))
    assert programme_services.episodes_sweep(end + days(1)) == {"ended": 0, "retriage": 0}  # asked once
    assert alerts.count() == 1
    # the coach's re-triage replaces the episode
    injury = log(athlete, coach, "grade_1")
    episode.refresh_from_db()
    assert episode.ending == Episode.Ending.RETRIAGED and isinstance(injury, Injury)


# --- Running and the pain-free maximal sprint ----------------------------------------------------------------

def test_a_pain_free_walk_in_return_to_training_moves_up_to_the_easy_jog(world):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, template(coach, ["rdl_dumbbell"], days=7))
    injury = log(athlete, coach, "grade_1")
    injury = move_on(injury, "rehab", coach)
    move_on(injury, "return_to_training", coach)
    today = upcoming_sessions(athlete)[0]
    walk = today.exercises.get(family="running")
    assert walk.exercise.key == "run_brisk_walk"
    made = finish(today, 0, family="running")["running"]
    assert (made.decision, made.to_rung) == ("advance", 1)
    assert {r.exercise.key for r in upcoming(athlete, "running")} == {"run_easy_jog"}



@pytest.mark.parametrize(
    "pain, sharp, sets, ticked",
    [
        (0, False, True, True),
        (1, False, True, False),  # not pain-free
        (0, True, True, False),
        (0, False, False, False),  # no sprint logged
    ],
)
def test_a_pain_free_maximal_sprint_ticks_the_sprint_item(world, pain, sharp, sets, ticked):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, template(coach, ["rdl_dumbbell"], days=7))
    injury = log(athlete, coach, "grade_1")
    injury = move_on(injury, "rehab", coach)
    injury = move_on(injury, "return_to_training", coach)
    set_rung(athlete, "running", 5)  # up the running ladder to the maximal sprint
    programme_services.programme_regate(athlete=athlete)
    today = upcoming_sessions(athlete)[0]
    sprint = today.exercises.get(family="running")
    assert sprint.exercise.key == "run_max_sprint"
    if sets:
        programme_services.set_log(prescribed=sprint, set_number=1)
    programme_services.session_complete(session=today, worst_pain=pain, sharp_pain=sharp)
    check = ClearanceCheck.objects.get(injury=injury, item=pathway.SPRINT)
    assert check.done is ticked
    if ticked:
        assert check.source == ClearanceCheck.Source.LOGGED
        assert pathway.ITEM_LABELS[pathway.SPRINT] not in injury_services.checklist_missing(injury)


def test_the_sprint_item_is_not_ticked_outside_return_to_training(world):
    athlete, coach = world.athlete, world.coach
    injury = log(athlete, coach, "grade_1")
    injury = move_on(injury, "rehab", coach)
    assert injury_services.clearance_tick_from_sprint(athlete_id=athlete.pk, on=timezone.localdate()) == 0
    assert not ClearanceCheck.objects.get(injury=injury, item=pathway.SPRINT).done


# --- The rhabdomyolysis warning on a first Nordic block ------------------------------------------------------


def test_the_first_nordic_session_after_a_break_shows_the_rhabdomyolysis_warning(client, world, clock):
    athlete, coach = world.athlete, world.coach
    assign(athlete, coach, library_template(), weekdays=[0, 2, 4])
    # The athlete did no Nordic work in the first four weeks (injured, say); week 5 is their first.
    first = ScheduledSession.objects.filter(athlete=athlete, week=5).order_by("date").first()
    clock.move_to(at(first.date))
    assert first.exercises.filter(family="nordic").exists()
    assert g.first_nordic_after_a_break([], first.date)
    client.force_login(world.athlete_user)
    body = client.get(reverse("session_detail", args=[first.pk])).content.decode()
    assert t.RHABDOMYOLYSIS_WARNING.split(".")[0] in body


# --- A coach moves a session --------------------------------------------------------------------------------


def _nordic_of(session):
    row = session.exercises.select_related("exercise").get(family="nordic")
    return row.exercise.key, row.sets, row.reps_min


def test_a_moved_session_is_gated_again_for_its_new_day(world):
    """The Nordic block's week decides the rung and dose (docs/clinical-rules.md#nordic-dose): the
    twelfth week's weighted Nordic moved to tomorrow becomes tomorrow's, the first week's."""
    athlete, coach = world.athlete, world.coach
    today = timezone.localdate()
    assign(athlete, coach, template(coach, ["nordic_weighted"], days=12, per_week=1), weekdays=[today.weekday()])
    sessions = upcoming_sessions(athlete)
    first, last = sessions[0], sessions[-1]
    assert (first.date, last.date) == (today, today + timedelta(weeks=11))
    assert _nordic_of(last)[0] == "nordic_weighted"  # added weight from week 11 on
    week_one = _nordic_of(first)
    assert week_one == ("nordic_full", 2, 5)

    programme_services.session_move(session=last, to=today + timedelta(days=1))
    assert _nordic_of(last) == week_one
    # and back again: the weight returns with the week
    programme_services.session_move(session=last, to=today + timedelta(weeks=11))
    assert _nordic_of(last)[0] == "nordic_weighted"
