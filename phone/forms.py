"""Forms only the athlete's phone uses: one set, finishing a session, the next-morning check-in.

The athlete's injury report uses `injuries.forms.AthleteComplaintForm`, which shares its questions
with the coach's form and stays beside it.
"""

from django import forms
from django.core.validators import MaxValueValidator

from programmes import loads

PAIN = [(n, str(n)) for n in range(11)]


class FinishForm(forms.Form):
    worst_pain = forms.TypedChoiceField(
        label="Worst pain during the session (0 none, 10 worst)", choices=PAIN, coerce=int,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )
    sharp_pain = forms.TypedChoiceField(
        label="Was any of the pain sharp?", choices=[(True, "Yes"), (False, "No")],
        coerce=lambda v: v in (True, "True"), widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )


class MorningForm(forms.Form):
    feeling = forms.ChoiceField(
        label="How does the hamstring feel compared with yesterday?",
        choices=[("better", "Better"), ("same", "The same"), ("worse", "Worse")],
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )
    pain = forms.TypedChoiceField(
        label="Pain right now (0 none, 10 worst)", choices=PAIN, coerce=int,
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
    )


class LoadField(forms.DecimalField):
    """A load in the athlete's unit; a decimal comma ("22,5") is read as a point."""

    def to_python(self, value):
        return super().to_python(value.strip().replace(",", ".") if isinstance(value, str) else value)


class SetEditForm(forms.Form):
    """One set as done, when it was not as prescribed: reps, and the load in the athlete's unit
    (or, for a run, a note). A field left out of the request keeps what the set has; a load box
    sent empty means no load (bodyweight)."""

    reps = forms.IntegerField(
        label="Reps done", min_value=0, max_value=200, required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Type the reps as a whole number, like 8.",
            "min_value": "Reps cannot be fewer than 0.",
            "max_value": "Reps can be at most 200.",
        },
    )
    load = LoadField(label="Load", required=False, min_value=0, max_digits=6, decimal_places=2)
    note = forms.CharField(
        label="Note", max_length=120, required=False,
        error_messages={"max_length": "Keep the note to 120 characters or fewer."},
    )

    def __init__(self, *args, unit: str = loads.KG, **kwargs):
        super().__init__(*args, **kwargs)
        self.unit = unit
        most = loads.MAX_IN[unit]
        field = self.fields["load"]
        field.label = f"Load ({unit})"
        field.max_value = most
        field.validators = [v for v in field.validators if not isinstance(v, MaxValueValidator)]
        field.validators.append(MaxValueValidator(most))
        field.widget.attrs.update({"inputmode": "decimal", "step": "0.5", "min": "0", "max": str(most)})
        field.error_messages = {
            **field.error_messages,
            "invalid": f"Type the load as a number of {loads.UNIT_WORDS[unit]}, like 20 or 22.5.",
            "min_value": "A load cannot be negative.",
            "max_value": f"A load can be at most {most} {unit}.",
            "max_decimal_places": "Use at most two decimals, like 22.5.",
            "max_digits": f"A load can be at most {most} {unit}.",
            "max_whole_digits": f"A load can be at most {most} {unit}.",
        }

    def changes(self) -> dict:
        """What the service should change: the fields the request sent, the load in kilograms."""
        data = self.cleaned_data
        changes = {"reps": data["reps"]}
        if "load" in self.data:
            changes["load_kg"] = None if data["load"] is None else loads.to_kg(data["load"], self.unit)
        if "note" in self.data:
            changes["note"] = data["note"].strip()
        return changes

    def problems(self) -> str:
        """Every error in plain words, each after the label of its field."""
        return " ".join(f"{self.fields[name].label}: {' '.join(errors)}" for name, errors in self.errors.items())
