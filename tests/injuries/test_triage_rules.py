"""Every rule and boundary of the triage (docs/clinical-rules.md), one row each. No database."""

import json
import math
from decimal import Decimal
from fractions import Fraction

import pytest

from injuries.triage import (
    ADVICE,
    GUIDANCE_NOTE,
    RECOVERY_WINDOWS,
    Bruising,
    Classification,
    Complaint,
    Onset,
    PainQuality,
    RecoveryWindow,
    RedFlag,
    Referral,
    Side,
    Swelling,
    TriageInputError,
    Weakness,
    triage,
)

# No strain sign, no red flag, no cramp or DOMS pattern: by the triage rules that is still a
# (mild) strain, graded by pain alone, so this baseline triages as grade_1 with pain 0.
NOTHING_WRONG = {
    "side": "left",
    "onset": "during_activity",
    "hours_since_onset": 1.0,
    "pain_score": 0,
    "pain_quality": "tightness",
    "popping_sensation": False,
    "sudden_sharp_pain": False,
    "eased_with_rest": False,
    "overuse_or_dehydration": False,
    "weakness": "none",
    "can_bear_weight": True,
    "cannot_move_leg": False,
    "swelling": "none",
    "bruising": "none",
    "walking_difficulty_ongoing": False,
    "numbness": False,
}
CRAMP = {"pain_quality": "cramping", "onset": "during_activity", "hours_since_onset": 1.0}
DOMS = {"pain_quality": "dull_ache", "onset": "after_activity", "hours_since_onset": 24.0}


def complaint(*patterns: dict, **overrides) -> Complaint:
    """The baseline, then each pattern (CRAMP, DOMS ...), then keyword overrides, later winning."""
    merged = dict(NOTHING_WRONG)
    for pattern in patterns:
        merged.update(pattern)
    return Complaint(**{**merged, **overrides})


def rules(result) -> list[str]:
    return [reason.rule for reason in result.reasons]


# --- Choices: exactly the domain's values --------------------------------------------------------


@pytest.mark.parametrize(
    "choices, values",
    [
        (Side, ["left", "right", "both"]),
        (Onset, ["during_activity", "after_activity", "no_clear_trigger"]),
        (PainQuality, ["cramping", "dull_ache", "stiffness", "tightness", "sharp"]),
        (Weakness, ["none", "partial", "complete"]),
        (Swelling, ["none", "mild", "moderate", "severe"]),
        (Bruising, ["none", "some", "heavy"]),
        (Classification, ["cramp", "doms", "grade_1", "grade_2", "grade_3"]),
        (Referral, ["urgent", "recommended", "if_not_improving", "none"]),
        (
            RedFlag,
            ["cannot_move_leg_with_persisting_pain", "ongoing_walking_difficulty", "numbness"],
        ),
    ],
)
def test_choices_have_exactly_the_domain_values(choices, values):
    assert [member.value for member in choices] == values


def test_baseline_without_sign_or_pattern_is_a_grade_1_strain():
    result = triage(complaint())
    assert result.classification == Classification.GRADE_1
    assert result.referral == Referral.IF_NOT_IMPROVING
    assert result.red_flags == ()
    assert rules(result) == [
        "strain.no_cramp_or_doms_pattern",
        "sign.pain_score",
        "referral.if_not_improving",
    ]


# --- Cramp ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hours, eased_with_rest, expected",
    [
        (0, False, Classification.CRAMP),
        (5.99, False, Classification.CRAMP),
        (6, False, Classification.GRADE_1),  # not eased after 6 hours: treated as a strain
        (6.01, False, Classification.GRADE_1),
        (5.99, True, Classification.CRAMP),
        (6, True, Classification.CRAMP),
        (500, True, Classification.CRAMP),
    ],
)
def test_cramp_needs_rest_easing_or_under_6_hours(hours, eased_with_rest, expected):
    result = triage(complaint(CRAMP, hours_since_onset=hours, eased_with_rest=eased_with_rest))
    assert result.classification == expected


def test_cramp_not_eased_after_6_hours_says_why_it_is_a_strain():
    result = triage(complaint(CRAMP, hours_since_onset=6))
    assert rules(result) == [
        "cramp.not_eased_after_6_hours",
        "sign.pain_score",
        "referral.if_not_improving",
    ]
    assert result.reasons[0].field == "hours_since_onset"
    assert result.reasons[0].value == 6.0


def test_cramp_reason_lists_the_criteria_that_matched():
    eased_and_recent = triage(complaint(CRAMP, eased_with_rest=True))
    assert rules(eased_and_recent) == ["cramp.criteria", "referral.none"]
    assert eased_and_recent.reasons[0].value == {
        "pain_quality": "cramping",
        "onset": "during_activity",
        "swelling": "none",
        "bruising": "none",
        "eased_with_rest": True,
        "hours_since_onset": 1.0,
    }
    eased_only = triage(complaint(CRAMP, hours_since_onset=8, eased_with_rest=True))
    assert "hours_since_onset" not in eased_only.reasons[0].value
    recent_only = triage(complaint(CRAMP))
    assert "eased_with_rest" not in recent_only.reasons[0].value


@pytest.mark.parametrize(
    "overrides, expected_rule",
    [
        ({"onset": "after_activity"}, "strain.no_cramp_or_doms_pattern"),
        ({"onset": "no_clear_trigger"}, "strain.no_cramp_or_doms_pattern"),
        ({"pain_quality": "tightness"}, "strain.no_cramp_or_doms_pattern"),
        ({"pain_quality": "sharp"}, "strain.no_cramp_or_doms_pattern"),
        ({"swelling": "mild"}, "cramp.swelling_or_bruising"),
        ({"bruising": "some"}, "cramp.swelling_or_bruising"),
    ],
)
def test_cramp_needs_every_criterion(overrides, expected_rule):
    result = triage(complaint(CRAMP, overrides))
    assert result.classification == Classification.GRADE_1
    assert rules(result)[0] == expected_rule


def test_cramp_with_swelling_and_not_eased_gives_both_reasons():
    result = triage(complaint(CRAMP, hours_since_onset=7, swelling="mild"))
    assert rules(result)[:2] == ["cramp.swelling_or_bruising", "cramp.not_eased_after_6_hours"]


@pytest.mark.parametrize("pain_score", [0, 5, 10])
def test_pain_score_does_not_change_a_cramp(pain_score):
    assert triage(complaint(CRAMP, pain_score=pain_score)).classification == Classification.CRAMP


@pytest.mark.parametrize("overuse_or_dehydration", [False, True])
def test_overuse_or_dehydration_is_recorded_but_decides_nothing(overuse_or_dehydration):
    result = triage(complaint(CRAMP, overuse_or_dehydration=overuse_or_dehydration))
    assert result.classification == Classification.CRAMP


# --- DOMS -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hours, expected",
    [
        (0, Classification.DOMS),
        (24, Classification.DOMS),
        (96, Classification.DOMS),
        (96.01, Classification.GRADE_1),  # past 4 days is not DOMS
        (200, Classification.GRADE_1),
    ],
)
def test_doms_lasts_up_to_96_hours(hours, expected):
    assert triage(complaint(DOMS, hours_since_onset=hours)).classification == expected


def test_doms_past_4_days_says_why_it_is_a_strain():
    result = triage(complaint(DOMS, hours_since_onset=96.01))
    assert rules(result)[0] == "doms.past_4_days"
    assert result.reasons[0].value == 96.01


@pytest.mark.parametrize("pain_quality", ["dull_ache", "stiffness"])
def test_doms_is_a_dull_ache_or_stiffness(pain_quality):
    result = triage(complaint(DOMS, pain_quality=pain_quality))
    assert result.classification == Classification.DOMS
    assert rules(result) == ["doms.criteria", "referral.none"]
    assert result.reasons[0].value == {
        "pain_quality": pain_quality,
        "onset": "after_activity",
        "hours_since_onset": 24.0,
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"pain_quality": "tightness"},
        {"pain_quality": "sharp"},
        {"pain_quality": "cramping"},
        {"onset": "during_activity"},
        {"onset": "no_clear_trigger"},
    ],
)
def test_doms_needs_its_pain_quality_and_an_after_activity_onset(overrides):
    assert triage(complaint(DOMS, overrides)).classification == Classification.GRADE_1


@pytest.mark.parametrize("pain_score", [0, 4, 5, 8, 10])
def test_pain_score_does_not_change_doms(pain_score):
    assert triage(complaint(DOMS, pain_score=pain_score)).classification == Classification.DOMS


@pytest.mark.parametrize("overrides", [{"swelling": "mild"}, {"bruising": "some"}])
def test_mild_swelling_or_some_bruising_does_not_rule_out_doms(overrides):
    assert triage(complaint(DOMS, **overrides)).classification == Classification.DOMS


# --- Strain grading -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pain_score, expected",
    [
        (0, Classification.GRADE_1),
        (4, Classification.GRADE_1),
        (5, Classification.GRADE_2),
        (7, Classification.GRADE_2),
        (8, Classification.GRADE_3),
        (10, Classification.GRADE_3),
    ],
)
def test_pain_levels_grade_a_strain(pain_score, expected):
    assert triage(complaint(pain_score=pain_score)).classification == expected


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("swelling", "none", Classification.GRADE_1),
        ("swelling", "mild", Classification.GRADE_1),
        ("swelling", "moderate", Classification.GRADE_2),
        ("swelling", "severe", Classification.GRADE_3),
        ("weakness", "none", Classification.GRADE_1),
        ("weakness", "partial", Classification.GRADE_2),
        ("weakness", "complete", Classification.GRADE_3),
        ("bruising", "none", Classification.GRADE_1),
        ("bruising", "some", Classification.GRADE_1),
        ("bruising", "heavy", Classification.GRADE_2),
        ("popping_sensation", False, Classification.GRADE_1),
        ("popping_sensation", True, Classification.GRADE_2),
        ("sudden_sharp_pain", False, Classification.GRADE_1),
        ("sudden_sharp_pain", True, Classification.GRADE_2),
        ("can_bear_weight", True, Classification.GRADE_1),
        ("can_bear_weight", False, Classification.GRADE_2),
        ("cannot_move_leg", False, Classification.GRADE_1),
        ("cannot_move_leg", True, Classification.GRADE_3),
    ],
)
def test_each_sign_level_sets_the_grade(field, value, expected):
    result = triage(complaint(**{field: value}))
    assert result.classification == expected
    # A sign above level 1 is named in the reasons with the value that fired it.
    sign_reasons = [r for r in result.reasons if r.rule == f"sign.{field}"]
    if expected == Classification.GRADE_1:
        assert sign_reasons == []
    else:
        assert [(r.field, r.value) for r in sign_reasons] == [(field, value)]


@pytest.mark.parametrize(
    "signs, pain_score, expected",
    [
        ({"popping_sensation": True}, 4, Classification.GRADE_2),
        ({"popping_sensation": True}, 8, Classification.GRADE_3),
        ({"swelling": "moderate", "weakness": "complete"}, 0, Classification.GRADE_3),
        ({"bruising": "heavy", "sudden_sharp_pain": True}, 3, Classification.GRADE_2),
        ({"swelling": "severe", "bruising": "heavy"}, 6, Classification.GRADE_3),
        ({"can_bear_weight": False}, 7, Classification.GRADE_2),
    ],
)
def test_the_grade_is_the_highest_level(signs, pain_score, expected):
    assert triage(complaint(**signs, pain_score=pain_score)).classification == expected


def test_strain_reasons_name_pain_and_every_sign_above_level_1_in_table_order():
    result = triage(
        complaint(
            pain_score=6,
            swelling="severe",
            weakness="partial",
            bruising="some",  # level 1: not a sign
            popping_sensation=True,
            can_bear_weight=False,
        )
    )
    assert result.classification == Classification.GRADE_3
    assert rules(result) == [
        "sign.pain_score",
        "sign.swelling",
        "sign.weakness",
        "sign.popping_sensation",
        "sign.can_bear_weight",
        "referral.urgent",
    ]
    assert [r.value for r in result.reasons[:-1]] == [6, "severe", "partial", True, False]


# --- Classification order -------------------------------------------------------------------------

STRAIN_SIGNS = [
    ({"popping_sensation": True}, Classification.GRADE_2),
    ({"sudden_sharp_pain": True}, Classification.GRADE_2),
    ({"weakness": "partial"}, Classification.GRADE_2),
    ({"weakness": "complete"}, Classification.GRADE_3),
    ({"can_bear_weight": False}, Classification.GRADE_2),
    ({"cannot_move_leg": True}, Classification.GRADE_3),
    ({"swelling": "moderate"}, Classification.GRADE_2),
    ({"swelling": "severe"}, Classification.GRADE_3),
    ({"bruising": "heavy"}, Classification.GRADE_2),
]


@pytest.mark.parametrize("pattern", [CRAMP, {**CRAMP, "eased_with_rest": True}, DOMS])
@pytest.mark.parametrize("sign, expected", STRAIN_SIGNS)
def test_any_strain_sign_rules_out_cramp_and_doms(pattern, sign, expected):
    result = triage(complaint(pattern, sign))
    assert result.classification == expected
    assert not any(rule.startswith(("cramp.", "doms.")) for rule in rules(result))


def test_cramp_is_checked_before_doms_and_they_cannot_both_match():
    # The two patterns need different pain qualities and onsets, so order only matters for
    # which "why not" reason a near miss gets.
    assert triage(complaint(CRAMP)).classification == Classification.CRAMP
    assert triage(complaint(DOMS)).classification == Classification.DOMS


# --- Red flags ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, flags",
    [
        ({"cannot_move_leg": True, "pain_score": 0}, ()),
        (
            {"cannot_move_leg": True, "pain_score": 1},
            (RedFlag.CANNOT_MOVE_LEG_WITH_PERSISTING_PAIN,),
        ),
        ({"pain_score": 10}, ()),
        ({"walking_difficulty_ongoing": True}, (RedFlag.ONGOING_WALKING_DIFFICULTY,)),
        ({"numbness": True}, (RedFlag.NUMBNESS,)),
        (
            {
                "numbness": True,
                "walking_difficulty_ongoing": True,
                "cannot_move_leg": True,
                "pain_score": 3,
            },
            (
                RedFlag.CANNOT_MOVE_LEG_WITH_PERSISTING_PAIN,
                RedFlag.ONGOING_WALKING_DIFFICULTY,
                RedFlag.NUMBNESS,
            ),
        ),
    ],
)
def test_red_flags(overrides, flags):
    result = triage(complaint(**overrides))
    assert result.red_flags == flags
    flag_rules = [rule for rule in rules(result) if rule.startswith("red_flag.")]
    assert flag_rules == [f"red_flag.{flag.value}" for flag in flags]
    if flags:
        assert result.referral == Referral.URGENT


def test_red_flag_reasons_carry_the_values_that_fired_them():
    result = triage(
        complaint(
            cannot_move_leg=True, pain_score=4, walking_difficulty_ongoing=True, numbness=True
        )
    )
    first_three = [(r.rule, r.field, r.value) for r in result.reasons[:3]]
    assert first_three == [
        (
            "red_flag.cannot_move_leg_with_persisting_pain",
            None,
            {"cannot_move_leg": True, "pain_score": 4},
        ),
        ("red_flag.ongoing_walking_difficulty", "walking_difficulty_ongoing", True),
        ("red_flag.numbness", "numbness", True),
    ]
    assert all("doctor" in r.criterion for r in result.reasons[:3])


@pytest.mark.parametrize(
    "pattern, expected",
    [
        (CRAMP, Classification.CRAMP),
        (DOMS, Classification.DOMS),
        ({}, Classification.GRADE_1),
        ({"popping_sensation": True}, Classification.GRADE_2),
    ],
)
@pytest.mark.parametrize("flag", [{"walking_difficulty_ongoing": True}, {"numbness": True}])
def test_red_flags_do_not_change_the_classification(pattern, expected, flag):
    result = triage(complaint(pattern, **flag))
    assert result.classification == expected
    assert result.referral == Referral.URGENT


# --- Referral -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, classification, referral",
    [
        (CRAMP, Classification.CRAMP, Referral.NONE),
        (DOMS, Classification.DOMS, Referral.NONE),
        ({}, Classification.GRADE_1, Referral.IF_NOT_IMPROVING),
        ({"pain_score": 5}, Classification.GRADE_2, Referral.RECOMMENDED),
        ({"pain_score": 8}, Classification.GRADE_3, Referral.URGENT),
        ({"cannot_move_leg": True}, Classification.GRADE_3, Referral.URGENT),  # no flag at pain 0
        ({**CRAMP, "numbness": True}, Classification.CRAMP, Referral.URGENT),
        ({**DOMS, "walking_difficulty_ongoing": True}, Classification.DOMS, Referral.URGENT),
        ({"numbness": True}, Classification.GRADE_1, Referral.URGENT),
        ({"pain_score": 6, "numbness": True}, Classification.GRADE_2, Referral.URGENT),
    ],
)
def test_referral(overrides, classification, referral):
    result = triage(complaint(**overrides))
    assert (result.classification, result.referral) == (classification, referral)
    last = result.reasons[-1]
    assert (last.rule, last.field, last.value) == (
        f"referral.{referral.value}",
        None,
        classification.value,
    )


# --- Recovery, advice and the result's JSON -------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, window",
    [
        (CRAMP, (0, 1)),
        (DOMS, (1, 4)),
        ({}, (7, 21)),
        ({"pain_score": 5}, (21, 42)),
        ({"pain_score": 8}, (84, 180)),
    ],
)
def test_recovery_window_follows_the_classification(overrides, window):
    result = triage(complaint(**overrides))
    assert result.recovery == RecoveryWindow(*window)
    assert result.to_dict()["recovery_days"] == {"min": window[0], "max": window[1]}


def test_every_classification_has_a_window_and_advice():
    assert set(RECOVERY_WINDOWS) == set(Classification) == set(ADVICE)


def test_doms_advice_warns_about_rhabdomyolysis_and_a_lighter_session():
    advice = triage(complaint(DOMS)).advice
    assert "rhabdomyolysis" in advice
    assert "cola" in advice
    assert "lighter" in advice


@pytest.mark.parametrize("classification", list(Classification))
def test_medication_is_only_on_a_doctors_or_pharmacists_advice(classification):
    if classification != Classification.DOMS:
        assert "doctor's or pharmacist's advice" in ADVICE[classification]


def test_result_to_dict_is_json_ready_and_says_it_is_not_a_diagnosis():
    data = triage(complaint(pain_score=9, numbness=True)).to_dict()
    assert list(data) == [
        "classification",
        "referral",
        "red_flags",
        "reasons",
        "recovery_days",
        "advice",
        "warnings",
        "guidance_note",
    ]
    assert data["classification"] == "grade_3"
    assert data["referral"] == "urgent"
    assert data["red_flags"] == ["numbness"]
    assert data["reasons"][0] == {
        "rule": "red_flag.numbness",
        "field": "numbness",
        "value": True,
        "criterion": data["reasons"][0]["criterion"],
        "source": data["reasons"][0]["source"],
    }
    assert data["guidance_note"] == GUIDANCE_NOTE
    assert "not a diagnosis" in GUIDANCE_NOTE
    assert json.loads(json.dumps(data)) == data
    assert all(type(value) is str for value in (data["classification"], data["referral"]))


def test_reasons_cite_the_article_and_a_source():
    result = triage(complaint(CRAMP, numbness=True))
    for reason in result.reasons:
        assert reason.criterion and reason.source
    assert result.reasons[0].source.startswith("Hamstring article")
    assert not any("DOMAIN" in reason.source for reason in result.reasons)


def test_changing_a_result_dict_does_not_change_the_next_result():
    first = triage(complaint(CRAMP)).to_dict()
    first["reasons"][0]["value"]["onset"] = "tampered"
    assert triage(complaint(CRAMP)).to_dict()["reasons"][0]["value"]["onset"] == "during_activity"


# --- Validation (the complaint's fields) ----------------------------------------------------------


def test_from_dict_builds_the_complaint_with_enum_members():
    built = Complaint.from_dict(NOTHING_WRONG)
    assert built == complaint()
    assert built.side is Side.LEFT
    assert built.to_dict() == NOTHING_WRONG


@pytest.mark.parametrize("hours", [3, 3.0, Decimal("3"), Fraction(6, 2)])
def test_any_real_number_of_hours_becomes_a_float(hours):
    built = Complaint.from_dict({**NOTHING_WRONG, "hours_since_onset": hours})
    assert built.hours_since_onset == 3.0
    assert type(built.hours_since_onset) is float


@pytest.mark.parametrize(
    "field, value, problem",
    [
        ("pain_score", 11, "must be an integer from 0 to 10, got 11"),
        ("pain_score", -1, "must be an integer from 0 to 10, got -1"),
        ("pain_score", 5.5, "must be an integer from 0 to 10, got 5.5"),
        ("pain_score", 5.0, "must be an integer from 0 to 10, got 5.0"),
        ("pain_score", "5", 'must be an integer from 0 to 10, got "5"'),
        ("pain_score", True, "must be an integer from 0 to 10, got true"),
        ("pain_score", None, "must be an integer from 0 to 10, got null"),
        ("hours_since_onset", -1, "must be a finite number of hours, 0 or more, got -1"),
        ("hours_since_onset", -0.01, "must be a finite number of hours, 0 or more, got -0.01"),
        ("hours_since_onset", math.inf, None),
        ("hours_since_onset", math.nan, "must be a finite number of hours, 0 or more, got NaN"),
        ("hours_since_onset", 10**400, None),
        ("hours_since_onset", Decimal("-1"), None),
        ("hours_since_onset", Decimal("sNaN"), None),
        ("hours_since_onset", "3", 'must be a finite number of hours, 0 or more, got "3"'),
        ("hours_since_onset", False, "must be a finite number of hours, 0 or more, got false"),
        ("numbness", "false", 'must be true or false, got "false"'),
        ("numbness", 0, "must be true or false, got 0"),
        ("can_bear_weight", 1, "must be true or false, got 1"),
        ("can_bear_weight", None, "must be true or false, got null"),
        ("side", "up", 'must be one of left, right, both, got "up"'),
        ("side", "Left", 'must be one of left, right, both, got "Left"'),
        ("swelling", 2, "must be one of none, mild, moderate, severe, got 2"),
        ("weakness", ["none"], 'must be one of none, partial, complete, got ["none"]'),
        ("pain_quality", "pain", None),
        ("onset", "", None),
        ("bruising", "bruised", None),
    ],
)
def test_from_dict_rejects_a_bad_value_naming_the_field(field, value, problem):
    with pytest.raises(TriageInputError) as caught:
        Complaint.from_dict({**NOTHING_WRONG, field: value})
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.field == field
    assert error.errors == {field: error.problem}
    assert str(error) == f"{field}: {error.problem}"
    if problem is not None:
        assert error.problem == problem


def test_from_dict_rejects_a_missing_field():
    data = dict(NOTHING_WRONG)
    del data["pain_score"]
    with pytest.raises(TriageInputError, match=r"^pain_score: is required$"):
        Complaint.from_dict(data)


def test_from_dict_rejects_an_unknown_field():
    with pytest.raises(TriageInputError) as caught:
        Complaint.from_dict({**NOTHING_WRONG, "notes": "sore"})
    assert (caught.value.field, caught.value.problem) == ("notes", "is not a complaint field")


def test_from_dict_lists_every_bad_field_and_reports_the_first_in_field_order():
    data = {**NOTHING_WRONG, "side": "up", "pain_score": 11, "extra": 1}
    del data["numbness"]
    with pytest.raises(TriageInputError) as caught:
        Complaint.from_dict(data)
    assert caught.value.field == "side"
    assert caught.value.errors == {
        "side": 'must be one of left, right, both, got "up"',
        "pain_score": "must be an integer from 0 to 10, got 11",
        "numbness": "is required",
        "extra": "is not a complaint field",
    }


@pytest.mark.parametrize("data", ["a string", ["list"], None, 3])
def test_from_dict_rejects_something_that_is_not_an_object(data):
    with pytest.raises(TriageInputError, match="must be a JSON object") as caught:
        Complaint.from_dict(data)
    assert caught.value.field is None
    assert list(caught.value.errors) == ["__all__"]


def test_direct_construction_validates_too():
    with pytest.raises(TriageInputError, match="^pain_score: "):
        complaint(pain_score=12)


def test_complaint_is_frozen():
    with pytest.raises(AttributeError):
        complaint().pain_score = 5
