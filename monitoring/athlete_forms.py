"""The two small forms of an athlete's load page: their maximal velocity, and a hamstring injury
from before they joined (docs/load-and-risk.md#near-maximal-speed, #risk-profile).

The forms check the shape of what was typed (a number, a date, a choice); the services
(monitoring/services.py) check the rules and save, so one refusal reads the same from any door.
"""

from decimal import Decimal

from django import forms

from injuries.models.complaints import SIDE_CHOICES

from .models import PriorInjury

EARLIEST_YEAR = 1900


def _date_field(label, help_text=""):
    return forms.DateField(
        label=label, help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": f"{label}: enter a date.", "invalid": f"{label}: enter a date written as YYYY-MM-DD."},
    )


def _not_too_old(day, label):
    if day.year < EARLIEST_YEAR:
        raise forms.ValidationError(f"{label}: enter a date after {EARLIEST_YEAR}.")
    return day


class MaxVelocityForm(forms.Form):
    """A coach's measure of the athlete's top speed (a timed flying sprint, say)."""

    velocity = forms.DecimalField(
        label="Maximal velocity (metres per second)", min_value=Decimal("0.01"), max_value=Decimal(15),
        max_digits=6, decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "15", "inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": "Enter the maximal velocity in metres per second, e.g. 9.1.",
            "invalid": "The maximal velocity must be a number in metres per second, e.g. 9.1.",
            "min_value": "The maximal velocity must be more than 0 metres per second.",
            "max_value": "The maximal velocity must be 15 metres per second or less.",
            "max_digits": "The maximal velocity must be between 0 and 15 metres per second.",
            "max_decimal_places": "Give the maximal velocity to two decimals at most, e.g. 9.15.",
            "max_whole_digits": "The maximal velocity must be between 0 and 15 metres per second.",
        },
    )
    measured_on = _date_field("Date measured")

    def clean_measured_on(self):
        return _not_too_old(self.cleaned_data["measured_on"], "Date measured")


GRADE_CHOICES = [(value or "unknown", label) for value, label in PriorInjury.Grade.choices]


class PriorInjuryForm(forms.Form):
    """A hamstring injury from before the athlete joined: about when, which side, how bad."""

    approx_date = _date_field("About when", help_text="The first of the month will do.")
    side = forms.ChoiceField(label="Side", choices=SIDE_CHOICES, widget=forms.RadioSelect,
                             error_messages={"required": "Choose the side: left, right or both.",
                                             "invalid_choice": "Choose the side: left, right or both."})
    grade = forms.ChoiceField(label="Grade", choices=GRADE_CHOICES, initial="unknown", required=False,
                              error_messages={"required": "Choose the grade: 1, 2, 3 or not known.",
                                              "invalid_choice": "Choose the grade: 1, 2, 3 or not known."})
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                            error_messages={"max_length": "The notes are longer than 2000 characters."})

    def clean_approx_date(self):
        return _not_too_old(self.cleaned_data["approx_date"], "About when")

    def clean_grade(self):
        grade = self.cleaned_data["grade"]
        return "" if grade in ("", "unknown") else grade  # left empty: not known
