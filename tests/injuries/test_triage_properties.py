"""Properties of triage() over every valid complaint. No database."""

import dataclasses
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from injuries.triage import (
    ADVICE,
    STOP_AND_SEE_A_DOCTOR,
    STRAIN_GRADES,
    Bruising,
    Classification,
    Complaint,
    Onset,
    PainQuality,
    RedFlag,
    Referral,
    Side,
    Swelling,
    Weakness,
    source_for_rule,
    triage,
)

# Example database off: nothing is written into the project folder.
checked = settings(max_examples=400, database=None, deadline=None)

hours = st.one_of(
    st.sampled_from([0, 5.99, 6, 6.01, 96, 96.01]),  # the rule boundaries
    st.integers(min_value=0, max_value=10**6),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False),
)

complaints = st.builds(
    Complaint,
    side=st.sampled_from(Side),
    onset=st.sampled_from(Onset),
    hours_since_onset=hours,
    pain_score=st.integers(min_value=0, max_value=10),
    pain_quality=st.sampled_from(PainQuality),
    popping_sensation=st.booleans(),
    sudden_sharp_pain=st.booleans(),
    eased_with_rest=st.booleans(),
    overuse_or_dehydration=st.booleans(),
    weakness=st.sampled_from(Weakness),
    can_bear_weight=st.booleans(),
    cannot_move_leg=st.booleans(),
    swelling=st.sampled_from(Swelling),
    bruising=st.sampled_from(Bruising),
    walking_difficulty_ongoing=st.booleans(),
    numbness=st.booleans(),
)

# Each strain-table sign, its values from least to most severe.
SEVERITY: dict[str, list] = {
    "pain_score": list(range(11)),
    "swelling": [Swelling.NONE, Swelling.MILD, Swelling.MODERATE, Swelling.SEVERE],
    "weakness": [Weakness.NONE, Weakness.PARTIAL, Weakness.COMPLETE],
    "bruising": [Bruising.NONE, Bruising.SOME, Bruising.HEAVY],
    "popping_sensation": [False, True],
    "sudden_sharp_pain": [False, True],
    "can_bear_weight": [True, False],
    "cannot_move_leg": [False, True],
}
REFERRAL_URGENCY = [Referral.NONE, Referral.IF_NOT_IMPROVING, Referral.RECOMMENDED, Referral.URGENT]


@checked
@given(complaints)
def test_same_complaint_same_result(complaint):
    again = Complaint.from_dict(json.loads(json.dumps(complaint.to_dict())))
    assert triage(complaint) == triage(complaint) == triage(again)
    assert triage(complaint).to_dict() == triage(again).to_dict()


@checked
@given(complaints)
def test_any_red_flag_makes_the_referral_urgent(complaint):
    result = triage(complaint)
    if result.red_flags:
        assert result.referral == Referral.URGENT


@checked
@given(complaints)
def test_red_flags_are_exactly_those_whose_conditions_hold(complaint):
    expected = []
    if complaint.cannot_move_leg and complaint.pain_score >= 1:
        expected.append(RedFlag.CANNOT_MOVE_LEG_WITH_PERSISTING_PAIN)
    if complaint.walking_difficulty_ongoing:
        expected.append(RedFlag.ONGOING_WALKING_DIFFICULTY)
    if complaint.numbness:
        expected.append(RedFlag.NUMBNESS)
    assert triage(complaint).red_flags == tuple(expected)


@checked
@given(complaints, st.data())
def test_a_more_severe_sign_never_lowers_a_strains_grade(complaint, data):
    before = triage(complaint)
    if before.classification not in STRAIN_GRADES:
        return  # cramp and DOMS have no grade to lower
    sign = data.draw(st.sampled_from(sorted(SEVERITY)), label="sign")
    ladder = SEVERITY[sign]
    current = ladder.index(getattr(complaint, sign))
    worse = data.draw(st.sampled_from(ladder[current:]), label="worse value")
    after = triage(dataclasses.replace(complaint, **{sign: worse}))
    assert after.classification in STRAIN_GRADES
    assert STRAIN_GRADES.index(after.classification) >= STRAIN_GRADES.index(before.classification)
    assert REFERRAL_URGENCY.index(after.referral) >= REFERRAL_URGENCY.index(before.referral)


@checked
@given(complaints)
def test_every_result_has_reasons_ending_with_the_referral(complaint):
    result = triage(complaint)
    assert len(result.reasons) >= 2
    assert result.reasons[-1].rule == f"referral.{result.referral.value}"
    for reason in result.reasons:
        assert reason.rule and reason.criterion and reason.source
    for flag in result.red_flags:
        assert f"red_flag.{flag.value}" in [reason.rule for reason in result.reasons]


@checked
@given(complaints)
def test_a_strain_grade_is_never_below_its_pain_level_and_names_the_pain(complaint):
    result = triage(complaint)
    if result.classification in STRAIN_GRADES:
        pain_level = 1 if complaint.pain_score <= 4 else 2 if complaint.pain_score <= 7 else 3
        assert STRAIN_GRADES.index(result.classification) + 1 >= pain_level
        assert "sign.pain_score" in [reason.rule for reason in result.reasons]
    else:
        assert result.referral in (Referral.NONE, Referral.URGENT)


@checked
@given(complaints)
def test_result_to_dict_round_trips_through_json(complaint):
    data = triage(complaint).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["classification"] in {c.value for c in Classification}


@checked
@given(complaints)
def test_complaint_round_trips_through_to_dict_and_json(complaint):
    assert Complaint.from_dict(complaint.to_dict()) == complaint
    assert Complaint.from_dict(json.loads(json.dumps(complaint.to_dict()))) == complaint


@checked
@given(complaints)
def test_urgent_advice_always_says_stop_training_and_see_a_doctor(complaint):
    result = triage(complaint)
    data = result.to_dict()
    assert data["advice"] == result.advice
    if result.referral == Referral.URGENT:
        assert result.advice.startswith(STOP_AND_SEE_A_DOCTOR)
        assert "drink some fluid" not in result.advice
        assert "keep moving" not in result.advice.lower()
    else:
        assert result.advice == ADVICE[result.classification]
        assert STOP_AND_SEE_A_DOCTOR not in result.advice


@checked
@given(complaints)
def test_every_result_lists_the_four_warnings_and_cites_no_spec_file(complaint):
    data = triage(complaint).to_dict()
    codes = [warning["code"] for warning in data["warnings"]]
    assert sorted(codes) == ["avulsion", "clot", "rhabdomyolysis", "saddle_numbness"]
    assert (codes[0] == "rhabdomyolysis") == (data["classification"] == "doms")
    for reason in data["reasons"]:
        assert "DOMAIN" not in reason["source"]
        assert reason["source"] == source_for_rule(reason["rule"])
