"""Plain words for a stored or provisional triage result (the dict of TriageResult.to_dict).

Stored results keep the words of the day they were made; what is derived from the classification
and referral alone (the first-days advice, the warnings, each rule's source) is shown as the rules
word it today, so an old urgent result never shows advice that contradicts its referral and no
page shows a source coaches cannot look up (docs/clinical-rules.md, "Urgent pathway").

It also words a stored record's fields for the "every change" history: each field by its label and
each value as a page shows it (a choice's label, a date in the reader's format, Yes or No, "—").
"""

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.text import capfirst

from .forms import COACH_LABELS
from .models import CLASSIFICATION_CHOICES, RED_FLAG_LABELS, REFERRAL_CHOICES, Complaint
from .triage import RECOVERY_SOURCES, advice_for, source_for_rule, warnings_for

CLASSIFICATION_LABELS = dict(CLASSIFICATION_CHOICES)
REFERRAL_LABELS = dict(REFERRAL_CHOICES)
_VALUE_LABELS = {
    name: {str(value): label for value, label in Complaint._meta.get_field(name).choices}
    for name in COACH_LABELS
    if Complaint._meta.get_field(name).choices
}


def _value(field: str, value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field == "hours_since_onset":
        return f"{float(value):g} h"
    if field == "pain_score":
        return f"{value}/10"
    return _VALUE_LABELS.get(field, {}).get(str(value), str(value))


def _answer(field: str | None, value) -> str:
    if isinstance(value, dict):
        return "; ".join(_answer(name, v) for name, v in value.items())
    if field is None:  # the referral reason reads the classification
        return f"Classification: {CLASSIFICATION_LABELS.get(value, value)}"
    return f"{COACH_LABELS.get(field, field)}: {_value(field, value)}"


def describe(result: dict) -> dict:
    days = result["recovery_days"]
    classification, referral = result["classification"], result["referral"]
    return {
        "classification": result["classification"],
        "classification_label": CLASSIFICATION_LABELS[result["classification"]],
        "referral": result["referral"],
        "referral_label": REFERRAL_LABELS[result["referral"]],
        "red_flags": [RED_FLAG_LABELS[code] for code in result["red_flags"]],
        "reasons": [
            {
                "answer": _answer(r["field"], r["value"]),
                "criterion": r["criterion"],
                "source": source_for_rule(r["rule"]) or r["source"],
                "rule": r["rule"],
            }
            for r in result["reasons"]
        ],
        "recovery": f"{days['min']}–{days['max']} days",
        "recovery_source": RECOVERY_SOURCES[classification],
        "advice": advice_for(classification, referral),
        "warnings": [warning.to_dict() for warning in warnings_for(classification)],
        "guidance_note": result["guidance_note"],
    }


# --- A record's fields in words (the "every change" history) -------------------------------------

EMPTY = "—"
# Where a field's own name would read oddly on the history page; any other field shows its
# verbose_name, so a new field is never shown by its code.
FIELD_LABELS = {
    "side": "Leg",
    "onset_date": "Began on",
    "classification": "Classification",
    "referral": "Referral",
    "doctor_status": "Doctor",
    "phase": "Phase",
    "phase_started_on": "Phase began on",
    "protect_until": "Protect planned until",
    "expected_return_from": "Expected back from",
    "expected_return_to": "Expected back by",
    "is_recurrence": "Recurrence",
    "worst_classification": "Most severe classification so far",
    "ever_urgent": "Ever referred urgently",
    "doctor_reviewed_on": "Doctor's review on",
    "doctor_reviewer": "Reviewed by",
    "doctor_review_note": "What the doctor said",
    "doctor_review_recorded_by": "Review recorded by",
    "notes": "Notes",
    "cleared_on": "Cleared on",
}


def field_label(model, name: str) -> str:
    return FIELD_LABELS.get(name) or capfirst(str(model._meta.get_field(name).verbose_name))


def value_words(model, name: str, value, *, people: dict | None = None) -> str:
    """A stored value as a page shows it; `people` names the users a foreign key points to."""
    if value is None or value == "":
        return EMPTY
    field = model._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value)
    if field.is_relation:
        return str((people or {}).get(value, "someone since removed"))
    return str(value)
