"""The running ladder (docs/clinical-rules.md "Running"): its rungs, its gate (return to training
only), its doses and its own pain rules (advance after one pain-free run, regress above 2/10),
tables first, then properties. Pure: no database."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programmes.progression import (
    LADDERS,
    PAIN_RULES,
    PHASE_ALLOWANCES,
    RUNNING_ADVANCE_MAX_PAIN,
    RUNNING_DOSES,
    RUNNING_HOLD_MAX_PAIN,
    RUNNING_SESSIONS_PER_WEEK,
    RUNNING_SESSIONS_TO_ADVANCE,
    Decision,
    Dose,
    DoseKind,
    Family,
    Allowance,
    MorningFeeling,
    TrainingPhase,
    ProgressionInput,
    ProgressionInputError,
    RepRange,
    SessionResult,
    allowed,
    dose_for,
    highest_allowed_index,
    next_prescription,
)

RUNNING = Family.RUNNING
RTT = TrainingPhase.RETURN_TO_TRAINING
BETTER, SAME, WORSE = MorningFeeling.BETTER, MorningFeeling.SAME, MorningFeeling.WORSE
LADDER = LADDERS[RUNNING]
TOP = len(LADDER) - 1


def s(pain: int, sharp: bool = False, morning=None, sets: int | None = None) -> SessionResult:
    return SessionResult(pain, sharp, morning, sets)


def run(*recent: SessionResult, rung: int = 2, phase: TrainingPhase = RTT, week: int = 1):
    return next_prescription(ProgressionInput(RUNNING, rung, phase, True, week, recent))


# --- The ladder ----------------------------------------------------------------------------------


def test_running_ladder_easiest_first_with_stable_keys():
    assert [(r.key, r.name) for r in LADDER] == [
        ("run_brisk_walk", "Brisk walk"),
        ("run_easy_jog", "Easy jog"),
        ("run_tempo", "Tempo runs at about 60–70% effort"),
        ("run_strides", "Strides at about 80% effort"),
        ("run_sprints_90", "Sprints at about 90% effort"),
        ("run_max_sprint", "Maximal sprint"),
    ]
    assert all(r.family is RUNNING and not r.isometric for r in LADDER)
    assert Family("running") is RUNNING


# --- Gate: return to training only --------------------------------------------------------------


@pytest.mark.parametrize("phase", list(TrainingPhase))
@pytest.mark.parametrize("criteria", [False, True])
def test_running_is_allowed_in_return_to_training_only(phase, criteria):
    in_rtt = phase is RTT
    assert PHASE_ALLOWANCES[phase][RUNNING] is (Allowance.ALL if in_rtt else Allowance.NONE)
    assert [allowed(r, phase, criteria) for r in LADDER] == [in_rtt] * len(LADDER)
    assert all((phase in r.allowed_phases) is in_rtt for r in LADDER)
    assert highest_allowed_index(RUNNING, phase, criteria) == (TOP if in_rtt else None)


@pytest.mark.parametrize("phase", [p for p in TrainingPhase if p is not RTT])
@pytest.mark.parametrize("rung", [0, 3, TOP])
def test_running_outside_return_to_training_is_refused_with_a_clear_error(phase, rung):
    with pytest.raises(ProgressionInputError, match="return to training phase only") as caught:
        run(s(0), rung=rung, phase=phase)
    assert caught.value.field == "family"


# --- Pain rules ----------------------------------------------------------------------------------


def test_running_thresholds_are_named_constants():
    assert RUNNING_ADVANCE_MAX_PAIN == 2  # advance at this or less
    assert RUNNING_HOLD_MAX_PAIN == 2  # regress above this
    assert RUNNING_SESSIONS_TO_ADVANCE == 1
    rules = PAIN_RULES[RUNNING]
    assert (rules.advance_max_pain, rules.hold_max_pain, rules.sessions_to_advance) == (2, 2, 1)


# (recent sessions on the rung, decision, rung index after), from rung 2 (tempo runs).
HISTORIES = {
    # Advance after ONE pain-free session: pain <= 2, no sharp pain, next morning no worse.
    "advance at pain 0": ([s(0)], Decision.ADVANCE, 3),
    "advance at pain 2": ([s(2)], Decision.ADVANCE, 3),
    "advance morning better": ([s(1, morning=BETTER)], Decision.ADVANCE, 3),
    "advance morning same": ([s(2, morning=SAME)], Decision.ADVANCE, 3),
    "advance morning not reported": ([s(1, morning=None)], Decision.ADVANCE, 3),
    "advance with sets logged": ([s(0, sets=6)], Decision.ADVANCE, 3),
    "advance reads only the latest": ([s(2, morning=SAME), s(1)], Decision.ADVANCE, 3),
    # Hold: nothing logged yet, or a run without a set logged and no warning sign.
    "hold with no session": ([], Decision.HOLD, 2),
    "hold with no set logged": ([s(0, sets=0)], Decision.HOLD, 2),
    "hold with no set logged at pain 2": ([s(1), s(2, sets=0)], Decision.HOLD, 2),
    # Regress: pain > 2, a sharp pain, or a worse next morning (alert, offer a re-triage).
    "regress at pain 3": ([s(3)], Decision.REGRESS, 1),
    "regress at pain 4 (a strength hold)": ([s(0), s(4)], Decision.REGRESS, 1),
    "regress at pain 10": ([s(10)], Decision.REGRESS, 1),
    "regress at a sharp pain": ([s(0, sharp=True)], Decision.REGRESS, 1),
    "regress at a worse morning": ([s(0, morning=WORSE)], Decision.REGRESS, 1),
    "regress with no set logged": ([s(5, sets=0)], Decision.REGRESS, 1),
    "regress at everything at once": ([s(9, sharp=True, morning=WORSE)], Decision.REGRESS, 1),
}


@pytest.mark.parametrize(("recent", "decision", "after"), HISTORIES.values(), ids=list(HISTORIES))
def test_running_advance_hold_regress(recent, decision, after):
    result = run(*recent, rung=2)
    assert result.decision is decision
    assert result.prescription.rung_index == after
    assert result.prescription.rung is LADDER[after]
    assert result.alert_coach is (decision is Decision.REGRESS)
    assert result.offer_retriage is (decision is Decision.REGRESS)
    assert result.reason.endswith(".")


@pytest.mark.parametrize(("pain", "decision"), [(0, "advance"), (2, "advance"), (3, "regress")])
def test_running_pain_boundary(pain, decision):
    assert run(s(pain)).decision == decision


def test_running_reasons_name_the_numbers():
    up = run(s(1)).reason
    assert "worst pain 1/10, 2/10 or less" in up and "Strides at about 80% effort" in up
    down = run(s(3)).reason
    assert "3/10 is above 2/10" in down and "Easy jog" in down and "re-triage" in down
    assert "No set was logged" in run(s(0, sets=0)).reason


def test_running_at_the_top_holds_and_at_the_bottom_stays():
    top = run(s(0), rung=TOP)
    assert top.decision is Decision.HOLD and top.prescription.rung.key == "run_max_sprint"
    assert "top rung" in top.reason
    bottom = run(s(5), rung=0)
    assert bottom.decision is Decision.REGRESS and bottom.prescription.rung_index == 0
    assert bottom.alert_coach and bottom.offer_retriage


# --- Doses ---------------------------------------------------------------------------------------

ONE = RepRange(1, 1)
# rung key: (number of sets, minutes per set or None, words the note must hold, volume)
RUNNING_TABLE = {
    "run_brisk_walk": (1, 20, "brisk", 20),
    "run_easy_jog": (2, 8, "easy jog", 16),
    "run_tempo": (6, None, "100 m at about 60-70% effort", 6),
    "run_strides": (6, None, "60 m at about 80% effort", 6),
    "run_sprints_90": (5, None, "40 m at about 90% effort", 5),
    "run_max_sprint": (3, None, "30 m flat out", 3),
}


@pytest.mark.parametrize(("key", "expected"), RUNNING_TABLE.items(), ids=str)
def test_running_doses(key, expected):
    sets, minutes, words, volume = expected
    dose = RUNNING_DOSES[key]
    assert dose.sets == (ONE,) * sets
    assert dose.minutes == minutes and dose.hold_seconds is None
    assert words in dose.note
    assert dose.volume == volume
    assert dose.kind is (DoseKind.TIMED if minutes else DoseKind.REPS)
    assert dose_for(key, week=1) == dose


def test_max_sprint_rests_fully_between_sprints():
    assert "full recovery" in RUNNING_DOSES["run_max_sprint"].note


@pytest.mark.parametrize("rung", range(TOP + 1))
def test_a_running_prescription_carries_its_dose(rung):
    result = run(rung=rung)  # no session yet: hold, with the rung's own dose
    p = result.prescription
    assert p.dose == RUNNING_DOSES[LADDER[rung].key]
    assert p.minutes == RUNNING_DOSES[LADDER[rung].key].minutes
    assert p.sessions_per_week == RUNNING_SESSIONS_PER_WEEK == 3
    data = json.loads(json.dumps(result.to_dict()))["prescription"]
    assert data["minutes"] == p.minutes and data["note"] == p.note


def test_a_running_regression_never_raises_the_volume():
    # Easy jog (2 x 8 min) down to the brisk walk (own 1 x 20 min): the walk is cut to 2 x 8 min.
    walk = run(s(3), rung=1).prescription
    assert walk.rung.key == "run_brisk_walk"
    assert (walk.sets, walk.minutes) == ((ONE, ONE), 8) and walk.dose.volume == 16
    assert "brisk" in walk.note
    # Maximal sprints (3) down to 90% sprints (own 5): 3 of them.
    sprints = run(s(0, sharp=True), rung=TOP).prescription
    assert sprints.rung.key == "run_sprints_90" and sprints.sets == (ONE,) * 3
    # Tempo runs (reps) down to the easy jog (timed): not comparable, the jog's own dose.
    jog = run(s(3), rung=2).prescription
    assert jog.dose == RUNNING_DOSES["run_easy_jog"]


def test_a_running_slot_step_down_is_capped_by_the_slot():
    down = dose_for("run_strides", week=1, slot_rung_key="run_max_sprint")
    assert down.sets == (ONE,) * 3 and "60 m" in down.note
    coach = Dose((ONE,) * 4, note="Coach's four")
    assert dose_for("run_tempo", week=1, slot_rung_key="run_tempo", slot_dose=coach) == coach


# --- Properties ----------------------------------------------------------------------------------

checked = settings(max_examples=500, database=None, deadline=None)

sessions = st.builds(
    SessionResult,
    worst_pain=st.integers(min_value=0, max_value=10),
    sharp_pain=st.booleans(),
    next_morning=st.none() | st.sampled_from(MorningFeeling),
    sets_logged=st.none() | st.integers(min_value=0, max_value=6),
)


@checked
@given(
    rung=st.integers(min_value=0, max_value=TOP),
    phase=st.sampled_from(TrainingPhase),
    criteria=st.booleans(),
    week=st.integers(min_value=1, max_value=60),
    recent=st.lists(sessions, max_size=4).map(tuple),
)
def test_running_follows_its_own_rules(rung, phase, criteria, week, recent):
    inp = ProgressionInput(RUNNING, rung, phase, criteria, week, recent)
    if phase is not RTT:
        with pytest.raises(ProgressionInputError):
            next_prescription(inp)
        return
    result = next_prescription(inp)
    after = result.prescription.rung_index
    latest = recent[-1] if recent else None
    warning = latest is not None and (
        latest.worst_pain > 2 or latest.sharp_pain or latest.next_morning is WORSE
    )
    clean = (
        latest is not None
        and latest.worst_pain <= 2
        and not latest.sharp_pain
        and latest.next_morning is not WORSE
        and latest.sets_logged != 0
    )
    if warning:
        assert result.decision is Decision.REGRESS and after == max(rung - 1, 0)
        assert result.alert_coach and result.offer_retriage
    elif clean and rung < TOP:
        assert result.decision is Decision.ADVANCE and after == rung + 1
    else:
        assert result.decision is Decision.HOLD and after == rung
        assert not result.alert_coach
    assert result.prescription.sessions_per_week == RUNNING_SESSIONS_PER_WEEK
    assert allowed(result.prescription.rung, phase, criteria)


@checked
@given(history=st.lists(sessions, min_size=1, max_size=40))
def test_a_return_to_running_climbs_and_falls_one_step_at_a_time(history):
    rung, on_rung = 0, []
    for week, session in enumerate(history, start=1):
        on_rung.append(session)
        inp = ProgressionInput(RUNNING, rung, RTT, True, week, tuple(on_rung))
        result = next_prescription(inp)
        after = result.prescription.rung_index
        assert abs(after - rung) <= 1
        if after > rung:
            assert session.worst_pain <= 2 and session.sets_logged != 0
        if after != rung:
            rung, on_rung = after, []
