from datetime import date

from django import forms
from django.utils import formats, timezone

from . import pathway
from . import triage as t
from .models import CLASSIFICATION_CHOICES, COMPLAINT_FIELDS, Complaint, Injury, Phase

YES_NO = [(True, "Yes"), (False, "No")]
PAIN_CHOICES = [(n, str(n)) for n in range(11)]

# The questions in the order a coach asks them.
GROUPS = [
    ("What happened", ["side", "onset", "hours_since_onset", "popping_sensation", "sudden_sharp_pain", "overuse_or_dehydration"]),
    ("How it feels", ["pain_score", "pain_quality", "eased_with_rest"]),
    ("What the athlete can do, and what you can see", ["weakness", "can_bear_weight", "swelling", "bruising"]),
    ("Red flags", ["cannot_move_leg", "walking_difficulty_ongoing", "numbness"]),
]
assert sorted(sum((fields for _, fields in GROUPS), [])) == sorted(COMPLAINT_FIELDS)

COACH_LABELS = {
    "side": "Which leg",
    "onset": "When it came on",
    "hours_since_onset": "Hours since it began",
    "popping_sensation": "Felt a pop at the moment of injury",
    "sudden_sharp_pain": "A sudden, sharp pain as it began",
    "overuse_or_dehydration": "Heavy workload, heat or poor hydration beforehand",
    "pain_score": "Pain now, as the athlete rates it (0 none, 10 worst)",
    "pain_quality": "The word closest to how it feels",
    "eased_with_rest": "It has eased off with rest",
    "weakness": "Loss of strength in the leg",
    "can_bear_weight": "Can stand on the injured leg",
    "swelling": "Swelling",
    "bruising": "Bruising",
    "cannot_move_leg": "Cannot move the leg",
    "walking_difficulty_ongoing": "Walking is still difficult, not only in the first minutes",
    "numbness": "Numbness in the lower back, hips or legs",
}

ATHLETE_GROUPS = [
    ("What happened", ["side", "onset", "hours_since_onset", "popping_sensation", "sudden_sharp_pain", "overuse_or_dehydration"]),
    ("How it feels", ["pain_score", "pain_quality", "eased_with_rest"]),
    ("What you can do", ["weakness", "can_bear_weight", "swelling", "bruising"]),
    ("Important", ["cannot_move_leg", "walking_difficulty_ongoing", "numbness"]),
]

ATHLETE_LABELS = {
    "side": "Which leg hurts?",
    "onset": "When did it start?",
    "hours_since_onset": "About how many hours ago did it start?",
    "popping_sensation": "Did you feel a pop when it happened?",
    "sudden_sharp_pain": "Was there a sudden, sharp pain when it started?",
    "overuse_or_dehydration": "Beforehand, were you training a lot, in the heat, or short of water?",
    "pain_score": "How much does it hurt right now? (0 no pain, 10 the worst)",
    "pain_quality": "Which word fits the feeling best?",
    "eased_with_rest": "Has it eased off with rest?",
    "weakness": "Has the leg lost strength?",
    "can_bear_weight": "Can you stand on that leg?",
    "swelling": "Is it swollen?",
    "bruising": "Is it bruised?",
    "cannot_move_leg": "Are you unable to move the leg?",
    "walking_difficulty_ongoing": "Is walking still hard (not just for the first few minutes)?",
    "numbness": "Any numbness in your lower back, hips or legs?",
}

# No question is pre-answered: a red flag or a strain sign assumed "no" is a red flag missed
# (docs/clinical-rules.md#answers-are-asked). Each one must be answered.
ANSWER_THIS = {"required": "Answer this question."}


def _yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True", "true", "1", "on", "yes"),
        widget=forms.RadioSelect(attrs={"class": "choice-row"}),
        error_messages=ANSWER_THIS,
    )


def _complaint_fields(labels: dict) -> dict:
    """The complaint's questions as form fields, built once per wording from the model's fields:
    yes/no and every set of values as large radio buttons, pain as a 0–10 row."""
    fields = {}
    for name, field in forms.fields_for_model(Complaint, fields=COMPLAINT_FIELDS).items():
        label = labels[name]
        if isinstance(field, forms.BooleanField):
            fields[name] = _yes_no(label)
        elif name == "pain_score":
            fields[name] = forms.TypedChoiceField(
                label=label, choices=PAIN_CHOICES, coerce=int,
                widget=forms.RadioSelect(attrs={"class": "choice-row pain-scale"}), error_messages=ANSWER_THIS,
            )
        elif name == "hours_since_onset":
            fields[name] = forms.DecimalField(
                label=label, min_value=0, max_value=99999, decimal_places=1,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}), error_messages=ANSWER_THIS,
            )
        else:
            choices = [choice for choice in field.choices if choice[0] != ""]
            fields[name] = forms.ChoiceField(
                label=label, choices=choices, widget=forms.RadioSelect(attrs={"class": "choice-row"}),
                error_messages=ANSWER_THIS,
            )
    return fields


class ComplaintForm(forms.Form):
    """Every complaint field; the triage itself validates the answers once more.

    A plain form, not a ModelForm: it never saves an instance (the services do), so the
    model's own validation would only ask the database to evaluate its check constraints.
    Nothing is pre-answered. ``said``: the athlete's own answers to show beside each question
    when a coach confirms their report.
    """

    groups = GROUPS

    def __init__(self, *args, said=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.said = said or {}

    def grouped(self):
        groups = [(title, [self[name] for name in names]) for title, names in self.groups]
        if self.said:
            for _, fields in groups:
                for field in fields:
                    field.said = self._said(field)
        return groups

    def _typed(self, name, value):
        """An answer as the triage reads it, or None when it is missing or malformed."""
        try:
            return self.fields[name].clean(value)
        except forms.ValidationError:
            return None

    def _words(self, name, typed) -> str:
        if typed is None:
            return "no answer"
        if name == "hours_since_onset":
            return f"{float(typed):g} hours"
        if name == "pain_score":
            return f"{typed}/10"
        return dict((str(value), label) for value, label in self.fields[name].choices).get(str(typed), str(typed))

    def _said(self, field) -> dict | None:
        """What the athlete answered, in words, and whether the answer on the form differs."""
        if field.name not in self.said:
            return None
        said = self._typed(field.name, self.said[field.name])
        now = self._typed(field.name, field.value())
        return {
            "words": self._words(field.name, said),
            "now": self._words(field.name, now),
            "differs": now is not None and now != said,
        }

    def comparison(self) -> list[dict]:
        """Each question with the athlete's own answer beside the one on the form, in words."""
        rows = []
        for title, fields in self.grouped():
            rows += [{"label": field.label, **field.said} for field in fields if field.said]
        return rows

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            try:
                self.triage_input = t.Complaint.from_dict({name: cleaned[name] for name in COMPLAINT_FIELDS})
            except t.TriageInputError as error:
                for field, problem in error.errors.items():
                    self.add_error(None if field == "__all__" else field, problem)
        return cleaned

    def unanswered(self) -> list[str]:
        return [self.fields[name].label for name in self.errors if name in self.fields]

    def problems(self) -> list[tuple[str, str]]:
        """(field name, label) of each question still to answer or correct, in the form's order."""
        return [(name, field.label) for name, field in self.fields.items() if name in self.errors]

    def answers(self) -> dict:
        return {name: self.cleaned_data[name] for name in COMPLAINT_FIELDS}


class AthleteComplaintForm(ComplaintForm):
    """The same questions in the athlete's own words, for a phone."""

    groups = ATHLETE_GROUPS


class ComplaintConfirmForm(ComplaintForm):
    """A coach checks an athlete's report: the answers, and why a red flag the athlete reported
    is no longer there (docs/clinical-rules.md#answers-are-asked); the service decides whether
    the reason is needed."""


REASON_LABEL = "Reason for the changes"

# Built once here rather than per request (the form metaclass would replace a class attribute).
ComplaintForm.base_fields = _complaint_fields(COACH_LABELS)
AthleteComplaintForm.base_fields = _complaint_fields(ATHLETE_LABELS)
ComplaintConfirmForm.base_fields = {
    **_complaint_fields(COACH_LABELS),
    "reason": forms.CharField(
        label=REASON_LABEL,
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you remove a red flag the athlete reported: say what you saw or were told.",
    ),
}


class OverrideForm(forms.Form):
    classification = forms.ChoiceField(label="New classification", choices=CLASSIFICATION_CHOICES)
    reason = forms.CharField(
        label="Why you are changing it",
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with the record beside the original triage, with your name and the time.",
    )

    def __init__(self, *args, injury, **kwargs):
        super().__init__(*args, **kwargs)
        self.injury = injury

    def clean_classification(self):
        value = self.cleaned_data["classification"]
        if value == self.injury.classification:
            raise forms.ValidationError("Choose a classification different from the current one.")
        return value


class PhaseForm(forms.Form):
    """Move an injury between phases. The next phase is proposed; a step back is offered, never
    proposed. ``expected_phase`` is the phase the page showed, so a stale tab cannot move an
    injury someone else has moved meanwhile."""

    to_phase = forms.ChoiceField(label="Move to phase", choices=Phase.choices)
    override = forms.BooleanField(
        required=False,
        label="Move on without the criteria",
        help_text="Only with a written reason, kept with the record. No reason replaces the doctor's review of an urgent case.",
    )
    reason = forms.CharField(
        label="Reason or note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    expected_phase = forms.ChoiceField(
        label="Phase shown on the page", required=False, choices=[("", "")] + Phase.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, injury, **kwargs):
        super().__init__(*args, **kwargs)
        current = injury.phase
        shown = self.data.get(self.add_prefix("expected_phase")) if self.is_bound else None
        if shown in Phase.values:
            # Check the choice against the page the coach saw: if the injury moved meanwhile,
            # the service says so (PhaseChangedMeanwhile) rather than "not a valid choice".
            current = shown
        self.fields["to_phase"].choices = [
            (value, f"{label} (step back)" if pathway.is_step_back(current, value) else label)
            for value, label in Phase.choices
            if value != current
        ]
        self.fields["to_phase"].initial = pathway.next_phase(current)
        self.fields["expected_phase"].initial = current


class DoctorReviewForm(forms.Form):
    """A doctor has seen the athlete: who, when and what they said."""

    reviewer = forms.CharField(
        label="Who saw the athlete", max_length=120, help_text="The doctor's name, and where if it helps."
    )
    reviewed_on = forms.DateField(
        label="Date of the review", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label="What the doctor said", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, injury, **kwargs):
        super().__init__(*args, **kwargs)
        self.injury = injury
        self.fields["reviewed_on"].initial = timezone.localdate

    def clean_reviewed_on(self):
        day = self.cleaned_data["reviewed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The review date cannot be in the future.")
        if day < self.injury.onset_date:
            began = formats.date_format(self.injury.onset_date)
            raise forms.ValidationError(f"The review date cannot be before the injury began ({began}).")
        return day


class CheckReasonForm(forms.Form):
    """Why a coach ticks or unticks a measured checklist item against the tests."""

    reason = forms.CharField(required=False, max_length=2000)


class InjuryDetailsForm(forms.ModelForm):
    class Meta:
        model = Injury
        # The doctor's status follows the triage and the recorded review (doctor_review_record),
        # never a dropdown: "seen" without a recorded review would hide an urgent case.
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


def year_before(day: date) -> date:
    """The same day a year earlier (28 Feb for 29 Feb)."""
    if day.year == 1:
        return date.min
    if (day.month, day.day) == (2, 29):
        day = day.replace(day=28)
    return day.replace(year=day.year - 1)


class ExportForm(forms.Form):
    """Which injuries a team's export holds: those that began from one day until another. Either
    day may be left empty: the range is then the 12 months up to the end day, and the end today."""

    start = forms.DateField(
        label="Injuries that began from", required=False, help_text="Empty: 12 months before the end date.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label="until", required=False, help_text="Empty: today.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["start"].initial, self.fields["end"].initial = year_before(today), today

    def clean(self):
        cleaned = super().clean()
        if self.errors:  # a day that is not a date: its own message says so
            return cleaned
        end = cleaned["end"] or timezone.localdate()
        start = cleaned["start"] or year_before(end)
        if end < start:
            self.add_error("end", "The end date (today, if left empty) must not be before the start date.")
        elif (end - start).days > 366 * 5:
            self.add_error("end", "Export at most five years at a time.")
        cleaned.update(start=start, end=end)
        return cleaned
