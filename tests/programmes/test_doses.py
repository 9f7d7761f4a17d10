"""Each rung's own dose, dose_for() and the Nordic week ceiling (docs/clinical-rules.md "Exercise
ladders and doses" and "Nordic dose"): tables first, then properties over every rung, slot and cap.
Pure: no database."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programmes.progression import (
    ISOMETRIC_HOLD_SECONDS,
    LADDERS,
    NORDIC_WEIGHTED_FROM_WEEK,
    RUNG_DOSES,
    RUNGS_BY_KEY,
    RUNNING_DOSES,
    STRENGTH_DOSES,
    Decision,
    Dose,
    DoseKind,
    Family,
    MorningFeeling,
    TrainingPhase,
    ProgressionInput,
    ProgressionInputError,
    RepRange,
    SessionResult,
    dose_for,
    highest_allowed_index,
    next_prescription,
    nordic_ceiling,
    nordic_dose,
)

HINGE, CURL, NORDIC, RUNNING = (
    Family.HIP_HINGE,
    Family.KNEE_FLEXION,
    Family.NORDIC,
    Family.RUNNING,
)
NORDIC_KEYS = [rung.key for rung in LADDERS[NORDIC]]
FULL, WEIGHTED = NORDIC_KEYS.index("nordic_full"), NORDIC_KEYS.index("nordic_weighted")
ALL_KEYS = sorted(RUNGS_BY_KEY)


def reps(sets: int, low: int, high: int | None = None) -> tuple[RepRange, ...]:
    return (RepRange(low, low if high is None else high),) * sets


def index_of(key: str) -> int:
    rung = RUNGS_BY_KEY[key]
    return [r.key for r in LADDERS[rung.family]].index(key)


# --- Every rung has its own dose -----------------------------------------------------------------

# rung key: (sets x reps, hold seconds)
STRENGTH_RUNG_DOSES = {
    "hinge_isometric": (reps(4, 1), (30, 45)),
    "hinge_bodyweight_partial": (reps(3, 8, 12), None),
    "rdl_dumbbell": (reps(3, 8, 12), None),
    "rdl_barbell": (reps(3, 8, 12), None),
    "rdl_single_leg": (reps(3, 6, 10), None),
    "knee_flexion_isometric": (reps(4, 1), (30, 45)),
    "curl_swiss_ball": (reps(3, 8, 12), None),
    "curl_slider": (reps(3, 8, 12), None),
    "curl_machine": (reps(3, 8, 12), None),
    "curl_slow_eccentric": (reps(3, 6, 8), None),
    "curl_single_leg": (reps(3, 6, 10), None),
}


@pytest.mark.parametrize(("key", "expected"), STRENGTH_RUNG_DOSES.items(), ids=str)
def test_every_hinge_and_knee_flexion_rung_has_its_own_dose(key, expected):
    sets, hold = expected
    dose = RUNG_DOSES[key]
    assert (dose.sets, dose.hold_seconds, dose.minutes) == (sets, hold, None)
    assert dose_for(key, week=1) == dose


def test_rung_doses_cover_exactly_the_hinge_and_knee_flexion_rungs():
    assert set(RUNG_DOSES) == set(STRENGTH_RUNG_DOSES)
    assert set(RUNNING_DOSES) == {rung.key for rung in LADDERS[RUNNING]}


def test_rung_doses_agree_with_the_older_by_kind_table():
    for key, dose in RUNG_DOSES.items():
        if RUNGS_BY_KEY[key].isometric:
            assert dose.sets == STRENGTH_DOSES[True]
            assert dose.hold_seconds == ISOMETRIC_HOLD_SECONDS


def test_single_leg_rungs_say_each_leg():
    assert RUNG_DOSES["rdl_single_leg"].note == RUNG_DOSES["curl_single_leg"].note == "each leg"


# --- Volume --------------------------------------------------------------------------------------

VOLUMES = {
    "reps: sum of each set's most reps": (Dose(reps(3, 8, 12)), DoseKind.REPS, 36),
    "reps by set 12, 10, 8": (
        Dose((RepRange(12, 12), RepRange(10, 10), RepRange(8, 8))),
        DoseKind.REPS,
        30,
    ),
    "holds: reps x longest hold": (Dose(reps(4, 1), (30, 45)), DoseKind.HOLD, 180),
    "timed: minutes x sets": (Dose(reps(2, 1), minutes=8), DoseKind.TIMED, 16),
    "one timed set": (Dose(reps(1, 1), minutes=20), DoseKind.TIMED, 20),
    "six runs": (Dose(reps(6, 1), note="100 m"), DoseKind.REPS, 6),
}


@pytest.mark.parametrize(("dose", "kind", "volume"), VOLUMES.values(), ids=list(VOLUMES))
def test_dose_volume(dose, kind, volume):
    assert dose.kind is kind
    assert dose.volume == volume


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sets": ()}, "sets"),
        ({"sets": None}, "sets"),
        ({"sets": ((8, 12),)}, "sets"),
        ({"hold_seconds": (45, 30)}, "hold_seconds"),
        ({"hold_seconds": (0, 30)}, "hold_seconds"),
        ({"hold_seconds": 30}, "hold_seconds"),
        ({"minutes": 0}, "minutes"),
        ({"minutes": True}, "minutes"),
        ({"minutes": 8.0}, "minutes"),
        ({"minutes": 8, "hold_seconds": (30, 45)}, "minutes"),
        ({"note": None}, "note"),
    ],
)
def test_dose_rejects_bad_fields_by_name(kwargs, field):
    values = {"sets": reps(3, 8, 12), **kwargs}
    with pytest.raises(ProgressionInputError, match=rf"^{field}: ") as caught:
        Dose(**values)
    assert caught.value.field == field


def test_dose_is_frozen_normalised_and_json_ready():
    dose = Dose([RepRange(1, 1)], hold_seconds=[30, 45])
    assert dose.sets == (RepRange(1, 1),) and dose.hold_seconds == (30, 45)
    with pytest.raises(AttributeError):
        dose.minutes = 3
    data = json.loads(json.dumps(RUNNING_DOSES["run_easy_jog"].to_dict()))
    assert data["minutes"] == 8 and data["kind"] == "timed" and data["volume"] == 16


# --- dose_for: the Nordic ------------------------------------------------------------------------

TEMPLATE_NORDIC = Dose(reps(2, 4, 6), note="Assisted")  # a rehab template's lighter Nordic dose


@pytest.mark.parametrize("week", range(1, 13))
@pytest.mark.parametrize("rung_key", NORDIC_KEYS)
@pytest.mark.parametrize(
    ("slot_rung_key", "slot_dose"),
    [
        (None, None),
        ("nordic_full", None),
        ("nordic_full", TEMPLATE_NORDIC),
        ("nordic_partial_range", TEMPLATE_NORDIC),
        ("rdl_dumbbell", RUNG_DOSES["rdl_dumbbell"]),
    ],
)
def test_a_nordic_rung_keeps_the_weeks_nordic_dose_whatever_the_slot(
    week, rung_key, slot_rung_key, slot_dose
):
    dose = dose_for(rung_key, week=week, slot_rung_key=slot_rung_key, slot_dose=slot_dose)
    assert dose.sets == nordic_dose(week).sets
    assert dose.hold_seconds is None and dose.minutes is None
    assert dose.sets not in {RUNG_DOSES["rdl_dumbbell"].sets, TEMPLATE_NORDIC.sets}


def test_a_nordic_rung_is_capped_too():
    week_5 = dose_for("nordic_inclined", week=5)
    assert week_5.volume == 30  # 12 + 10 + 8
    capped = dose_for("nordic_inclined", week=5, cap=dose_for("nordic_partial_range", week=2))
    assert capped.sets == nordic_dose(2).sets and capped.volume == 12


# --- dose_for: the slot and the step down --------------------------------------------------------


def test_the_slots_own_rung_gets_the_slots_dose():
    coach = Dose(reps(4, 5), note="Heavy, slow")
    assert dose_for("rdl_barbell", week=1, slot_rung_key="rdl_barbell", slot_dose=coach) == coach


def test_the_slots_own_rung_without_a_slot_dose_gets_its_own_dose():
    dose = dose_for("rdl_barbell", week=1, slot_rung_key="rdl_barbell")
    assert dose == RUNG_DOSES["rdl_barbell"]


def test_a_step_down_never_gets_more_volume_than_the_slot():
    # Single-leg RDL (3 x 6-10, volume 30) down to the barbell RDL (own 3 x 8-12, volume 36).
    down = dose_for("rdl_barbell", week=1, slot_rung_key="rdl_single_leg")
    assert down.sets == reps(3, 6, 10) and down.volume == 30
    # A coach's light template dose carries down too; the rung keeps its own note.
    light = Dose(reps(2, 5), note="Light")
    down = dose_for("curl_slider", week=1, slot_rung_key="curl_machine", slot_dose=light)
    assert down.sets == reps(2, 5) and down.note == ""
    # A step down to a rung whose own dose is smaller keeps its own (eccentric 24 under 30).
    down = dose_for("curl_slow_eccentric", week=1, slot_rung_key="curl_single_leg")
    assert down == RUNG_DOSES["curl_slow_eccentric"]
    # Two rungs down, the same rule: machine curl (own 36) under the single-leg curl (30).
    down = dose_for("curl_machine", week=1, slot_rung_key="curl_single_leg")
    assert down.sets == reps(3, 6, 10)


def test_a_step_down_to_an_isometric_keeps_the_hold_dose():
    # Holds and reps have no common measure: the isometric rung keeps its own 4 holds.
    down = dose_for("hinge_isometric", week=1, slot_rung_key="rdl_dumbbell")
    assert down == RUNG_DOSES["hinge_isometric"]


def test_a_rung_above_the_slot_gets_its_own_dose():
    tiny = Dose(reps(1, 3))
    up = dose_for("rdl_single_leg", week=1, slot_rung_key="rdl_dumbbell", slot_dose=tiny)
    assert up == RUNG_DOSES["rdl_single_leg"]


def test_a_slot_on_another_ladder_changes_nothing():
    tiny = Dose(reps(1, 1))
    other = dose_for("curl_machine", week=1, slot_rung_key="rdl_single_leg", slot_dose=tiny)
    assert other == RUNG_DOSES["curl_machine"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rung_key": "squat"}, "rung_key"),
        ({"rung_key": None}, "rung_key"),
        ({"slot_rung_key": "squat"}, "slot_rung_key"),
        ({"slot_dose": Dose(reps(3, 8))}, "slot_rung_key"),  # a slot dose needs its rung
        ({"slot_rung_key": "rdl_dumbbell", "slot_dose": {"sets": 3}}, "slot_dose"),
        ({"cap": 30}, "cap"),
        ({"week": 0}, "week"),
        ({"week": True}, "week"),
    ],
)
def test_dose_for_rejects_bad_arguments_by_name(kwargs, field):
    values = {"rung_key": "rdl_dumbbell", "week": 1, **kwargs}
    rung_key = values.pop("rung_key")
    with pytest.raises(ProgressionInputError, match=rf"^{field}: ") as caught:
        dose_for(rung_key, **values)
    assert caught.value.field == field


# --- The cap after a regression ------------------------------------------------------------------


def test_cap_shrinks_to_the_dose_regressed_from():
    came_from = RUNG_DOSES["curl_slow_eccentric"]  # 3 x 6-8, volume 24
    down = dose_for("curl_machine", week=1, cap=came_from)
    assert down.sets == came_from.sets and down.volume == 24


def test_cap_of_another_kind_changes_nothing():
    capped = dose_for("hinge_isometric", week=1, cap=Dose(reps(1, 1)))
    assert capped == RUNG_DOSES["hinge_isometric"]


def test_next_prescription_caps_a_regression_by_the_rung_it_came_from():
    # Single-leg RDL (volume 30) down to the barbell RDL: 3 x 6-10, not the barbell's own 3 x 8-12.
    down = next_prescription(
        ProgressionInput(HINGE, 4, TrainingPhase.REHAB, True, 1, (SessionResult(7, False),))
    )
    assert down.decision is Decision.REGRESS
    assert down.prescription.rung.key == "rdl_barbell"
    assert down.prescription.sets == reps(3, 6, 10)
    # The next session on that rung, with nothing to cap it, gets the barbell's own dose.
    hold = next_prescription(ProgressionInput(HINGE, 3, TrainingPhase.REHAB, True, 1, ()))
    assert hold.prescription.dose == RUNG_DOSES["rdl_barbell"]


# --- The Nordic week ceiling ---------------------------------------------------------------------


@pytest.mark.parametrize("week", [1, 2, 5, 9, 10, 11, 12, 52])
def test_nordic_ceiling_by_week(week):
    assert NORDIC_WEIGHTED_FROM_WEEK == 11
    assert nordic_ceiling(week) == (WEIGHTED if week >= 11 else FULL)
    # The phase gate is unchanged: the weighted Nordic is a rung every open phase allows.
    assert highest_allowed_index(NORDIC, TrainingPhase.PREVENTION, True) == WEIGHTED


@pytest.mark.parametrize("week", [0, -1, True, "11", None])
def test_nordic_ceiling_rejects_a_bad_week(week):
    with pytest.raises(ProgressionInputError, match="^week: "):
        nordic_ceiling(week)


def _nordic(rung: int, week: int, *recent: SessionResult, phase=TrainingPhase.PREVENTION):
    return next_prescription(ProgressionInput(NORDIC, rung, phase, True, week, recent))


@pytest.mark.parametrize("week", [1, 4, 10])
def test_full_nordic_holds_instead_of_advancing_before_week_11(week):
    clean = SessionResult(1, False)
    result = _nordic(FULL, week, clean, clean)
    assert result.decision is Decision.HOLD
    assert result.prescription.rung.key == "nordic_full"
    assert f"waits until week 11 of the Nordic block (this is week {week})" in result.reason
    assert not result.alert_coach


@pytest.mark.parametrize("week", [11, 12, 30])
def test_full_nordic_advances_to_weighted_from_week_11(week):
    clean = SessionResult(1, False)
    result = _nordic(FULL, week, clean, clean)
    assert result.decision is Decision.ADVANCE
    assert result.prescription.rung.key == "nordic_weighted"


@pytest.mark.parametrize("week", [1, 10])
def test_weighted_nordic_before_week_11_moves_down_to_full_with_an_alert(week):
    result = _nordic(WEIGHTED, week, SessionResult(0, False))
    assert result.decision is Decision.REGRESS
    assert result.prescription.rung.key == "nordic_full"
    assert result.alert_coach and not result.offer_retriage
    assert "waits until week 11" in result.reason
    assert result.prescription.sets == nordic_dose(week).sets
    painful = _nordic(WEIGHTED, week, SessionResult(7, False))
    assert painful.prescription.rung.key == "nordic_full"  # not two rungs down
    assert painful.alert_coach and painful.offer_retriage


# --- Properties ----------------------------------------------------------------------------------

checked = settings(max_examples=500, database=None, deadline=None)

rep_ranges = st.tuples(st.integers(1, 15), st.integers(0, 10)).map(
    lambda t: RepRange(t[0], t[0] + t[1])
)
doses = st.builds(
    Dose,
    sets=st.lists(rep_ranges, min_size=1, max_size=6).map(tuple),
    hold_seconds=st.none()
    | st.tuples(st.integers(1, 60), st.integers(0, 30)).map(lambda t: (t[0], t[0] + t[1])),
    note=st.sampled_from(["", "Light"]),
) | st.builds(
    Dose,
    sets=st.lists(rep_ranges, min_size=1, max_size=4).map(tuple),
    minutes=st.integers(1, 40),
)
weeks = st.integers(min_value=1, max_value=60)


@checked
@given(
    rung_key=st.sampled_from(ALL_KEYS),
    slot_rung_key=st.sampled_from(ALL_KEYS),
    slot_dose=st.none() | doses,
    week=weeks,
)
def test_a_step_down_never_raises_the_volume_above_the_slot(
    rung_key, slot_rung_key, slot_dose, week
):
    rung, slot = RUNGS_BY_KEY[rung_key], RUNGS_BY_KEY[slot_rung_key]
    dose = dose_for(rung_key, week=week, slot_rung_key=slot_rung_key, slot_dose=slot_dose)
    own = dose_for(rung_key, week=week)
    if rung.family is NORDIC:
        assert dose.sets == nordic_dose(week).sets  # the week's dose, whatever the slot
        return
    if rung_key == slot_rung_key and slot_dose is not None:
        assert dose == slot_dose
        return
    assert dose.kind is own.kind and dose.note == own.note
    below = rung.family is slot.family and index_of(rung_key) < index_of(slot_rung_key)
    slot_dose = slot_dose if slot_dose is not None else dose_for(slot_rung_key, week=week)
    if below and slot_dose.kind is own.kind:
        assert dose.volume <= slot_dose.volume
        assert dose == own or dose.sets == slot_dose.sets
    else:
        assert dose == own
    assert dose.volume <= own.volume  # the slot only ever takes volume away


@checked
@given(
    rung_key=st.sampled_from(ALL_KEYS),
    slot_rung_key=st.none() | st.sampled_from(ALL_KEYS),
    slot_dose=st.none() | doses,
    cap=doses,
    week=weeks,
)
def test_the_cap_is_respected(rung_key, slot_rung_key, slot_dose, cap, week):
    if slot_rung_key is None:
        slot_dose = None
    slot = {"slot_rung_key": slot_rung_key, "slot_dose": slot_dose}
    uncapped = dose_for(rung_key, week=week, **slot)
    capped = dose_for(rung_key, week=week, **slot, cap=cap)
    assert capped.kind is uncapped.kind
    if capped.kind is cap.kind:
        assert capped.volume <= cap.volume
        assert capped.volume == min(uncapped.volume, cap.volume)
    else:
        assert capped == uncapped


@checked
@given(rung_key=st.sampled_from(ALL_KEYS), week=weeks)
def test_capping_by_its_own_dose_changes_nothing(rung_key, week):
    own = dose_for(rung_key, week=week)
    assert dose_for(rung_key, week=week, cap=own) == own


sessions = st.builds(
    SessionResult,
    worst_pain=st.integers(min_value=0, max_value=10),
    sharp_pain=st.booleans(),
    next_morning=st.none() | st.sampled_from(MorningFeeling),
    sets_logged=st.none() | st.integers(min_value=0, max_value=4),
)


@checked
@given(
    rung_index=st.integers(min_value=0, max_value=WEIGHTED),
    phase=st.sampled_from(TrainingPhase),
    criteria=st.booleans(),
    week=weeks,
    recent=st.lists(sessions, max_size=4).map(tuple),
)
def test_weighted_nordic_is_never_prescribed_before_week_11(
    rung_index, phase, criteria, week, recent
):
    if highest_allowed_index(NORDIC, phase, criteria) is None:
        return
    result = next_prescription(ProgressionInput(NORDIC, rung_index, phase, criteria, week, recent))
    if week < NORDIC_WEIGHTED_FROM_WEEK:
        assert result.prescription.rung.key != "nordic_weighted"
        assert result.prescription.rung_index <= nordic_ceiling(week)
    assert result.prescription.sets == nordic_dose(week).sets


@checked
@given(
    family=st.sampled_from(Family),
    phase=st.sampled_from(TrainingPhase),
    history=st.lists(sessions, min_size=1, max_size=40),
)
def test_a_whole_nordic_block_reaches_weighted_only_from_week_11(family, phase, history):
    # The app's contract: ``recent`` restarts whenever the rung changes; one session a week.
    if highest_allowed_index(family, phase, True) is None:
        return
    rung, on_rung = 0, []
    for week, session in enumerate(history, start=1):
        on_rung.append(session)
        inp = ProgressionInput(family, rung, phase, True, week, tuple(on_rung))
        result = next_prescription(inp)
        if family is NORDIC and week < NORDIC_WEIGHTED_FROM_WEEK:
            assert result.prescription.rung.key != "nordic_weighted"
        if result.decision is Decision.REGRESS:
            came_from = dose_for(LADDERS[family][rung].key, week=week)
            if result.prescription.dose.kind is came_from.kind:
                assert result.prescription.dose.volume <= came_from.volume
        if result.prescription.rung_index != rung:
            rung, on_rung = result.prescription.rung_index, []
