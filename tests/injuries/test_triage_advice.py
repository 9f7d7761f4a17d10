"""First-days advice that agrees with the referral, the extra "see a doctor" warnings, sources a
coach can look up, and the severity orders (docs/clinical-rules.md, "Urgent pathway", "Red flags").
No database.
"""

import dataclasses
import re
from pathlib import Path

import pytest

from injuries.triage import (
    ADVICE,
    CLASSIFICATION_SEVERITY,
    EXTRA_WARNINGS,
    MEDICATION_NOTE,
    RECOVERY_SOURCES,
    REFERRAL_SEVERITY,
    RHABDOMYOLYSIS_WARNING,
    STOP_AND_SEE_A_DOCTOR,
    URGENCY_EMERGENCY,
    URGENCY_SEE_A_DOCTOR,
    URGENCY_URGENT,
    Classification,
    Referral,
    Warning,
    advice_for,
    most_severe,
    most_urgent,
    source_for_rule,
    triage,
    warnings_for,
)

from .test_triage_rules import CRAMP, DOMS, complaint

TRIAGE_DIR = Path(__file__).resolve().parents[2] / "injuries"
WARNING_CODES = ["avulsion", "clot", "saddle_numbness", "rhabdomyolysis"]

# Advice that tells an athlete to carry on, or that reads as the whole answer: wrong beside an
# urgent referral.
CARRY_ON_PHRASES = ["drink some fluid", "keep moving", "lighter", "next session", "start the rehab"]

# One complaint per classification with a red flag; grade 3 is urgent with or without one.
RED_FLAG_CASES = [
    pytest.param(complaint(CRAMP, numbness=True), Classification.CRAMP, id="cramp+numbness"),
    pytest.param(
        complaint(CRAMP, walking_difficulty_ongoing=True), Classification.CRAMP, id="cramp+walking"
    ),
    pytest.param(complaint(DOMS, numbness=True), Classification.DOMS, id="doms+numbness"),
    pytest.param(
        complaint(DOMS, walking_difficulty_ongoing=True), Classification.DOMS, id="doms+walking"
    ),
    pytest.param(complaint(numbness=True), Classification.GRADE_1, id="grade_1+numbness"),
    pytest.param(
        complaint(pain_score=6, walking_difficulty_ongoing=True),
        Classification.GRADE_2,
        id="grade_2+walking",
    ),
    pytest.param(
        complaint(cannot_move_leg=True, pain_score=3),
        Classification.GRADE_3,
        id="grade_3+cannot_move",
    ),
    pytest.param(complaint(pain_score=9), Classification.GRADE_3, id="grade_3 alone"),
]

NOT_URGENT_CASES = [
    pytest.param(complaint(CRAMP), Classification.CRAMP, Referral.NONE, id="cramp"),
    pytest.param(complaint(DOMS), Classification.DOMS, Referral.NONE, id="doms"),
    pytest.param(complaint(), Classification.GRADE_1, Referral.IF_NOT_IMPROVING, id="grade_1"),
    pytest.param(
        complaint(pain_score=5), Classification.GRADE_2, Referral.RECOMMENDED, id="grade_2"
    ),
]


# --- Advice and referral agree ---------------------------------------------------------------------


@pytest.mark.parametrize("case, classification", RED_FLAG_CASES)
def test_urgent_advice_says_stop_training_and_see_a_doctor_whatever_the_classification(
    case, classification
):
    result = triage(case)
    assert (result.classification, result.referral) == (classification, Referral.URGENT)
    for advice in (result.advice, result.to_dict()["advice"]):
        assert advice.startswith(STOP_AND_SEE_A_DOCTOR)
        lowered = advice.lower()
        assert "stop training" in lowered and "see a doctor" in lowered and "today" in lowered
        for phrase in CARRY_ON_PHRASES:
            assert phrase not in lowered, phrase


@pytest.mark.parametrize("case, classification, referral", NOT_URGENT_CASES)
def test_advice_without_an_urgent_referral_is_the_classifications_own(
    case, classification, referral
):
    result = triage(case)
    assert (result.classification, result.referral) == (classification, referral)
    assert result.advice == result.to_dict()["advice"] == ADVICE[classification]
    assert not result.advice.startswith(STOP_AND_SEE_A_DOCTOR)


@pytest.mark.parametrize(
    "classification, phrase",
    [
        (Classification.CRAMP, "drink some fluid"),
        (Classification.DOMS, "keep moving gently"),
        (Classification.DOMS, "next session lighter"),
        (Classification.GRADE_1, "start the rehab programme"),
    ],
)
def test_the_non_urgent_advice_is_unchanged(classification, phrase):
    assert phrase in ADVICE[classification].lower()
    assert phrase not in advice_for(classification, Referral.URGENT).lower()


@pytest.mark.parametrize("classification", list(Classification))
@pytest.mark.parametrize("referral", list(Referral))
def test_advice_for_takes_members_or_their_values(classification, referral):
    advice = advice_for(classification, referral)
    assert advice == advice_for(classification.value, referral.value)
    assert advice.startswith(STOP_AND_SEE_A_DOCTOR) == (referral is Referral.URGENT)
    if referral is not Referral.URGENT:
        assert advice == ADVICE[classification]


@pytest.mark.parametrize("classification", list(Classification))
def test_urgent_advice_keeps_the_medication_note(classification):
    assert MEDICATION_NOTE in advice_for(classification, Referral.URGENT)


def test_urgent_doms_still_names_the_rhabdomyolysis_signs():
    advice = advice_for(Classification.DOMS, Referral.URGENT)
    assert "rhabdomyolysis" in advice and "cola" in advice


@pytest.mark.parametrize(
    "classification, referral",
    [("sprain", "urgent"), ("cramp", "soon"), ("", "none"), (None, "none")],
)
def test_advice_for_rejects_unknown_values(classification, referral):
    with pytest.raises(ValueError):
        advice_for(classification, referral)


# --- The extra warnings ----------------------------------------------------------------------------


def test_extra_warnings_are_four_frozen_records_with_their_urgency():
    assert [w.code for w in EXTRA_WARNINGS] == WARNING_CODES
    urgency = {w.code: w.urgency for w in EXTRA_WARNINGS}
    assert urgency == {
        "avulsion": URGENCY_SEE_A_DOCTOR,
        "clot": URGENCY_URGENT,
        "saddle_numbness": URGENCY_EMERGENCY,
        "rhabdomyolysis": URGENCY_URGENT,
    }
    assert URGENCY_EMERGENCY == "Emergency: call emergency services"
    for warning in EXTRA_WARNINGS:
        assert isinstance(warning, Warning)
        assert warning.title and warning.text
        with pytest.raises(dataclasses.FrozenInstanceError):
            warning.text = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "code, words",
    [
        ("avulsion", ["pop", "splits", "sitting", "bruise"]),
        ("clot", ["swell", "warm", "red"]),
        ("saddle_numbness", ["saddle", "bladder", "bowel", "emergency"]),
        ("rhabdomyolysis", ["cola", "nordic", "eccentric", "swell"]),
    ],
)
def test_each_warning_names_its_signs(code, words):
    (warning,) = [w for w in EXTRA_WARNINGS if w.code == code]
    for word in words:
        assert word in warning.text.lower(), word


def test_the_old_rhabdomyolysis_name_is_the_warnings_text():
    (rhabdo,) = [w for w in EXTRA_WARNINGS if w.code == "rhabdomyolysis"]
    assert rhabdo.text == RHABDOMYOLYSIS_WARNING


@pytest.mark.parametrize(
    "classification, first",
    [
        (Classification.CRAMP, "avulsion"),
        (Classification.DOMS, "rhabdomyolysis"),
        (Classification.GRADE_1, "avulsion"),
        (Classification.GRADE_2, "avulsion"),
        (Classification.GRADE_3, "avulsion"),
    ],
)
def test_warnings_for_lists_all_four_with_rhabdomyolysis_first_on_doms(classification, first):
    codes = [w.code for w in warnings_for(classification)]
    assert sorted(codes) == sorted(WARNING_CODES)
    assert codes[0] == first
    assert warnings_for(classification.value) == warnings_for(classification)


@pytest.mark.parametrize(
    "case",
    [complaint(CRAMP), complaint(DOMS), complaint(DOMS, numbness=True), complaint(pain_score=9)],
)
def test_every_result_dict_carries_the_warnings(case):
    result = triage(case)
    data = result.to_dict()
    assert data["warnings"] == [
        {"code": w.code, "title": w.title, "text": w.text, "urgency": w.urgency}
        for w in warnings_for(result.classification)
    ]
    assert {w["code"] for w in data["warnings"]} == set(WARNING_CODES)
    if result.classification is Classification.DOMS:
        assert data["warnings"][0]["code"] == "rhabdomyolysis"


# --- Sources a coach can look up -------------------------------------------------------------------

SOURCE_CASES = [
    complaint(CRAMP),
    complaint(CRAMP, hours_since_onset=7, swelling="mild"),
    complaint(DOMS),
    complaint(DOMS, hours_since_onset=100),
    complaint(),
    complaint(
        pain_score=9,
        swelling="severe",
        weakness="complete",
        bruising="heavy",
        popping_sensation=True,
        sudden_sharp_pain=True,
        can_bear_weight=False,
        cannot_move_leg=True,
        walking_difficulty_ongoing=True,
        numbness=True,
    ),
]


@pytest.mark.parametrize("case", SOURCE_CASES)
def test_no_reason_source_names_the_spec_file(case):
    for reason in triage(case).to_dict()["reasons"]:
        assert "DOMAIN" not in reason["source"]
        assert ".md" not in reason["source"]
        assert reason["source"].startswith("Hamstring article")
        assert source_for_rule(reason["rule"]) == reason["source"]


def test_source_for_rule_knows_only_the_rules_groups():
    assert source_for_rule("referral.urgent") == source_for_rule("referral.none")
    assert source_for_rule("nonsense") is None


def test_recovery_sources_cite_the_article_and_ekstrand():
    assert set(RECOVERY_SOURCES) == set(Classification)
    assert "Ekstrand 2012 BJSM 46:112" in RECOVERY_SOURCES[Classification.GRADE_1]
    assert "Ekstrand 2012 BJSM 46:112" in RECOVERY_SOURCES[Classification.GRADE_2]
    assert all("DOMAIN" not in source for source in RECOVERY_SOURCES.values())


@pytest.mark.parametrize(
    "path",
    ["triage.py", "display.py", "management/commands/triage.py"],
)
def test_the_triage_code_never_names_the_spec_file(path):
    assert not re.search("DOMAIN", (TRIAGE_DIR / path).read_text())


# --- Severity --------------------------------------------------------------------------------------


def test_severity_orders():
    assert CLASSIFICATION_SEVERITY == {
        Classification.CRAMP: 0,
        Classification.DOMS: 1,
        Classification.GRADE_1: 2,
        Classification.GRADE_2: 3,
        Classification.GRADE_3: 4,
    }
    assert REFERRAL_SEVERITY == {
        Referral.NONE: 0,
        Referral.IF_NOT_IMPROVING: 1,
        Referral.RECOMMENDED: 2,
        Referral.URGENT: 3,
    }


@pytest.mark.parametrize(
    "classifications, expected",
    [
        (["cramp"], Classification.CRAMP),
        (["doms", "cramp"], Classification.DOMS),
        ([Classification.GRADE_1, "doms"], Classification.GRADE_1),
        (["grade_2", "grade_1", "grade_2"], Classification.GRADE_2),
        (("grade_1", "grade_3", "cramp"), Classification.GRADE_3),
        (iter(["doms", "grade_1"]), Classification.GRADE_1),
    ],
)
def test_most_severe(classifications, expected):
    result = most_severe(classifications)
    assert result is expected


@pytest.mark.parametrize("bad", [[], ["grade_4"], ["cramp", None]])
def test_most_severe_rejects_nothing_or_unknown_values(bad):
    with pytest.raises(ValueError):
        most_severe(bad)


@pytest.mark.parametrize(
    "referrals, expected",
    [
        (["none"], Referral.NONE),
        (["if_not_improving", "none"], Referral.IF_NOT_IMPROVING),
        (["recommended", Referral.IF_NOT_IMPROVING], Referral.RECOMMENDED),
        (["none", "urgent", "recommended"], Referral.URGENT),
    ],
)
def test_most_urgent(referrals, expected):
    assert most_urgent(referrals) is expected
