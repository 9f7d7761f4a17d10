"""The forms of the monitoring pages: a coach's session for a whole team at once."""

from django import forms

from . import measures as m
from .models import SessionKind
from .services import RpeEntry

PAIN_MAX = 10


def _cell(what: str, name: str, low: int, high: int) -> forms.IntegerField:
    """One number of one athlete's row: optional, labelled with the athlete's name for screen
    readers (the column heading says it to sighted coaches)."""
    message = f"{what} is a whole number from {low} to {high}."
    return forms.IntegerField(
        label=f"{what} for {name}", required=False, min_value=low, max_value=high,
        error_messages={"invalid": message, "min_value": message, "max_value": message},
        widget=forms.NumberInput(attrs={
            "aria-label": f"{what} for {name}", "min": low, "max": high, "inputmode": "numeric", "autocomplete": "off",
        }),
    )


class SessionChoiceForm(forms.Form):
    """Which team session to open again, to correct it (read from the query string)."""

    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    kind = forms.ChoiceField(label="Kind of session", choices=SessionKind.choices, initial=SessionKind.TRAINING)
    label = forms.CharField(label="Label (optional)", required=False, max_length=40)


class TeamSessionForm(forms.Form):
    """One training session or match of a team: the day, the kind and a label, then each active
    athlete's effort (0-10) and minutes, and optionally their worst hamstring pain. A row left
    blank is an athlete who did not train (docs/load-and-risk.md#session-load)."""

    day = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          error_messages={"invalid": "Enter the date as YYYY-MM-DD.", "required": "Enter the date."})
    kind = forms.ChoiceField(label="Kind of session", choices=SessionKind.choices, initial=SessionKind.TRAINING,
                             error_messages={"invalid_choice": "Choose training or a match."})
    label = forms.CharField(label="Label (optional)", required=False, max_length=40,
                            help_text="To tell two sessions of one day apart, e.g. AM or PM.")
    same_minutes = forms.IntegerField(
        label="Same minutes for everyone (optional)", required=False, min_value=1, max_value=m.MINUTES_MAX,
        help_text="Used for every athlete given an effort whose minutes are left blank.",
        error_messages={n: f"The minutes are a whole number from 1 to {m.MINUTES_MAX}." for n in ("invalid", "min_value", "max_value")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "off", "min": 1, "max": m.MINUTES_MAX}),
    )

    def __init__(self, *args, athletes, **kwargs):
        super().__init__(*args, **kwargs)
        self.athletes = list(athletes)
        for athlete in self.athletes:
            name = athlete.full_name
            self.fields[f"rpe_{athlete.pk}"] = _cell("Effort", name, 0, m.RPE_MAX)
            self.fields[f"minutes_{athlete.pk}"] = _cell("Minutes", name, 1, m.MINUTES_MAX)
            self.fields[f"pain_{athlete.pk}"] = _cell("Hamstring pain", name, 0, PAIN_MAX)

    def rows(self) -> list[dict]:
        """Each athlete's row of bound fields, for the table (no query, no tag per cell)."""
        return [
            {
                "athlete": athlete,
                "name": athlete.full_name,
                "rpe": self[f"rpe_{athlete.pk}"],
                "minutes": self[f"minutes_{athlete.pk}"],
                "pain": self[f"pain_{athlete.pk}"],
                "has_errors": any(self.has_error(f"{what}_{athlete.pk}") for what in ("rpe", "minutes", "pain")),
            }
            for athlete in self.athletes
        ]

    def clean(self):
        data = super().clean()
        same = data.get("same_minutes")
        for athlete in self.athletes:
            rpe, minutes = data.get(f"rpe_{athlete.pk}"), data.get(f"minutes_{athlete.pk}")
            pain = data.get(f"pain_{athlete.pk}")
            if rpe is None and (minutes is not None or pain is not None) and not self._has_row_error(athlete):
                self.add_error(f"rpe_{athlete.pk}", "Enter the effort, or clear the row if they did not train.")
            elif rpe is not None and minutes is None and same is None and not self._has_row_error(athlete):
                self.add_error(f"minutes_{athlete.pk}", "Enter the minutes, or the same minutes for everyone.")
        return data

    def _has_row_error(self, athlete) -> bool:
        return any(f"{what}_{athlete.pk}" in self._errors for what in ("rpe", "minutes", "pain"))

    def problems(self) -> list[str]:
        """Every problem of the table, each naming its athlete, in the table's order."""
        found = []
        for athlete in self.athletes:
            for what in ("rpe", "minutes", "pain"):
                for error in self.errors.get(f"{what}_{athlete.pk}", ()):
                    found.append(f"{athlete.full_name}: {error}")
        return found

    def entries(self) -> list[RpeEntry]:
        """The rows filled in, as the service takes them; a blank row is skipped (did not train)."""
        data, same = self.cleaned_data, self.cleaned_data.get("same_minutes")
        entries = []
        for athlete in self.athletes:
            rpe = data.get(f"rpe_{athlete.pk}")
            if rpe is None:
                continue
            minutes = data.get(f"minutes_{athlete.pk}")
            entries.append(RpeEntry(athlete, rpe, same if minutes is None else minutes, data.get(f"pain_{athlete.pk}")))
        return entries
