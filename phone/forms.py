"""Forms only the athlete's phone uses: one set, finishing a session, the next-morning check-in,
a session's effort and the daily wellness check.

The athlete's injury report uses `injuries.forms.AthleteComplaintForm`, which shares its questions
with the coach's form and stays beside it.
"""

from django import forms
from django.core.validators import MaxValueValidator

from monitoring import measures as m
from monitoring.models import Mood, SessionKind, Sleep
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


# --- Session effort and the daily wellness check (docs/load-and-risk.md) -------------------------

# The effort scale's words (Foster's CR-10, as docs/load-and-risk.md#session-load asks it): the
# numbers without a word sit between their neighbours.
EFFORT_WORDS = {0: "Rest", 1: "Very easy", 2: "Easy", 3: "Moderate", 4: "Somewhat hard", 5: "Hard", 7: "Very hard", 10: "Maximal"}
EFFORT = [(n, str(n)) for n in range(11)]
QUICK_MINUTES = [45, 60, 75, 90]


class EffortForm(forms.Form):
    """One training session or match, about 30 minutes after it: the day, training or match, an
    optional label, the effort (0-10), the minutes (a quick pick or typed) and, optionally, the
    worst hamstring pain. The service checks everything again (monitoring.services.session_rpe_log)."""

    day = forms.DateField(
        label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), input_formats=["%Y-%m-%d"],
        error_messages={"required": "Choose the date of the session.", "invalid": "Choose the date of the session from the calendar."},
    )
    kind = forms.ChoiceField(
        label="Training or match?", choices=SessionKind.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose training or match.", "invalid_choice": "Choose training or match."},
    )
    label = forms.CharField(
        label="Label (optional)", max_length=40, required=False,
        help_text="Only when you had two sessions that day, e.g. AM or PM.",
        error_messages={"max_length": "Keep the label to 40 characters or fewer."},
    )
    rpe = forms.TypedChoiceField(
        label="How hard was it? (0 rest, 10 maximal)", choices=EFFORT, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": "Choose how hard it was, from 0 to 10.",
                        "invalid_choice": "Choose how hard it was, from 0 to 10."},
    )
    minutes_pick = forms.TypedChoiceField(
        label="How many minutes?", choices=[(n, f"{n} min") for n in QUICK_MINUTES], coerce=int, empty_value=None,
        required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the minutes shown, or type the minutes."},
    )
    minutes = forms.IntegerField(
        label="Or type the minutes", required=False, min_value=1, max_value=m.MINUTES_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Type the minutes as a whole number, like 70.",
            "min_value": "The minutes must be at least 1.",
            "max_value": f"The minutes can be at most {m.MINUTES_MAX}.",
        },
    )
    hamstring_pain = forms.TypedChoiceField(
        label="Worst hamstring pain during it (optional: 0 none, 10 worst)",
        choices=[("", "No answer"), *PAIN], coerce=int, empty_value=None, required=False, widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose the worst hamstring pain from 0 to 10, or no answer."},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["day"].initial = today
        self.fields["day"].widget.attrs["max"] = today.isoformat()
        self.fields["kind"].initial = SessionKind.TRAINING
        self.fields["hamstring_pain"].initial = ""

    def clean(self):
        data = super().clean()
        picked, typed = data.get("minutes_pick"), data.get("minutes")
        if "minutes" in self.errors or "minutes_pick" in self.errors:
            return data
        if picked is None and typed is None:
            self.add_error("minutes", "Choose the minutes, or type them.")
        elif picked is not None and typed is not None and picked != typed:
            self.add_error("minutes", f"You chose {picked} minutes and typed {typed}: clear one of them.")
        else:
            data["minutes"] = typed if typed is not None else picked
        return data

    def effort_choices(self):
        """The effort buttons: each number with its word, if the scale has one."""
        return [(radio, EFFORT_WORDS.get(int(radio.data["value"]), "")) for radio in self["rpe"]]


def _scale(label, choices, message):
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, widget=forms.RadioSelect,
        error_messages={"required": message, "invalid_choice": message},
    )


class WellnessForm(forms.Form):
    """The daily wellness check: five rows of one tap each (docs/load-and-risk.md#tightness)."""

    sleep = _scale("Last night's sleep", Sleep.choices, "Choose how you slept.")
    soreness = _scale("General soreness (0 none, 10 worst)", PAIN, "Choose your general soreness, from 0 to 10.")
    tightness_left = _scale("Left hamstring tightness (0 none, 10 worst)", PAIN,
                            "Choose how tight the left hamstring is, from 0 to 10.")
    tightness_right = _scale("Right hamstring tightness (0 none, 10 worst)", PAIN,
                             "Choose how tight the right hamstring is, from 0 to 10.")
    mood = _scale("Mood", Mood.choices, "Choose your mood.")

    def rows(self):
        """Each question with whether it is a 0-10 scale (shown as a row of numbers)."""
        return [(field, field.name in {"soreness", "tightness_left", "tightness_right"}) for field in self]
