"""Example complaint answers, one set per classification, as the complaint form posts them.

The demo data, the benchmark and the tests all start from these; each set triages as its name
(tests/injuries/test_examples.py).
"""

from .forms import ComplaintForm

_GRADE_1 = {
    "side": "left",
    "onset": "during_activity",
    "hours_since_onset": "3",
    "pain_score": "3",
    "pain_quality": "tightness",
    "popping_sensation": "False",
    "sudden_sharp_pain": "False",
    "eased_with_rest": "False",
    "overuse_or_dehydration": "False",
    "weakness": "none",
    "can_bear_weight": "True",
    "cannot_move_leg": "False",
    "swelling": "mild",
    "bruising": "none",
    "walking_difficulty_ongoing": "False",
    "numbness": "False",
}
FORM_ANSWERS = {
    "grade_1": _GRADE_1,
    "grade_2": {**_GRADE_1, "hours_since_onset": "5", "pain_score": "6", "pain_quality": "sharp",
                "popping_sensation": "True", "sudden_sharp_pain": "True", "swelling": "moderate"},
    "grade_3": {**_GRADE_1, "hours_since_onset": "2", "pain_score": "9", "pain_quality": "sharp",
                "popping_sensation": "True", "sudden_sharp_pain": "True", "weakness": "complete",
                "can_bear_weight": "False", "swelling": "severe", "bruising": "heavy"},
    "cramp": {**_GRADE_1, "hours_since_onset": "1", "pain_score": "4", "pain_quality": "cramping",
              "eased_with_rest": "True", "overuse_or_dehydration": "True", "swelling": "none"},
    "doms": {**_GRADE_1, "onset": "after_activity", "hours_since_onset": "30", "pain_score": "3",
             "pain_quality": "dull_ache", "swelling": "none"},
}


def form_answers(classification: str = "grade_1", **overrides) -> dict:
    """A complete complaint form's POST data that triages as `classification`."""
    return {**FORM_ANSWERS[classification], **{k: str(v) for k, v in overrides.items()}}


def typed_answers(classification: str = "grade_1", **overrides) -> dict:
    """The same answers as a valid form's cleaned data: what the services take."""
    form = ComplaintForm(form_answers(classification, **overrides))
    if not form.is_valid():
        raise ValueError(f"example answers for {classification}: {form.errors.as_json()}")
    return form.answers()
