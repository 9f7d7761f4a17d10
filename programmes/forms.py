import re

from django import forms
from django.utils import timezone

from athletes.models import Athlete, Team

from .models import ProgrammeTemplate, TemplateEntry, TemplateSession
from .services import OnOverlap

# How far ahead a programme may start: its weeks are dated from the start.
ASSIGN_AHEAD_DAYS = 366

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ProgrammeTemplate
        fields = ["name", "description", "kind"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TemplateSessionForm(forms.ModelForm):
    class Meta:
        model = TemplateSession
        fields = ["week", "order", "title"]

    def clean_week(self):
        week = self.cleaned_data["week"]
        if not 1 <= week <= 104:
            raise forms.ValidationError("Choose a week from 1 to 104.")
        return week


class TemplateEntryForm(forms.ModelForm):
    class Meta:
        model = TemplateEntry
        fields = ["order", "exercise", "sets", "reps_min", "reps_max", "reps_by_set", "hold_seconds", "load", "rom_target", "rest_seconds"]
        labels = {"reps_min": "Reps from", "reps_max": "to", "hold_seconds": "Hold (s)", "rest_seconds": "Rest (s)"}

    def clean_reps_by_set(self):
        value = self.cleaned_data["reps_by_set"].replace(" ", "")
        if value and not re.fullmatch(r"\d{1,3}(,\d{1,3}){0,9}", value):
            raise forms.ValidationError("Write whole numbers separated by commas, e.g. 12,10,8.")
        return value

    def clean(self):
        cleaned = super().clean()
        sets, low, high = cleaned.get("sets"), cleaned.get("reps_min"), cleaned.get("reps_max")
        if sets is not None and not 1 <= sets <= 10:
            self.add_error("sets", "Choose 1 to 10 sets.")
        if low is not None and high is not None and low > high:
            self.add_error("reps_max", "The upper rep count must not be below the lower one.")
        if cleaned.get("reps_by_set"):
            cleaned["sets"] = len(cleaned["reps_by_set"].split(","))
        return cleaned


EntryFormSet = forms.inlineformset_factory(
    TemplateSession, TemplateEntry, form=TemplateEntryForm, extra=1, can_delete=True, max_num=12, validate_max=True
)


class AssignForm(forms.Form):
    athlete = forms.ModelChoiceField(queryset=Athlete.objects.none(), required=False, empty_label="—")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="—", label="or a whole team")
    start_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple, label="Training days"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["athlete"].queryset = Athlete.objects.for_user(user).active().select_related("team")
        self.fields["team"].queryset = Team.objects.for_user(user)

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start < timezone.localdate() - timezone.timedelta(days=7):
            raise forms.ValidationError("Start today or later (at most a week back).")
        if start > timezone.localdate() + timezone.timedelta(days=ASSIGN_AHEAD_DAYS):
            raise forms.ValidationError("Start within a year from today.")
        return start

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("athlete")) == bool(cleaned.get("team")):
            raise forms.ValidationError("Choose one athlete or one team.")
        return cleaned

    def athletes(self):
        if self.cleaned_data["athlete"]:
            return [self.cleaned_data["athlete"]]
        return list(self.cleaned_data["team"].athletes.active())


class OverlapChoiceForm(forms.Form):
    """The coach's answer when athletes already have a programme on the new dates: which choice
    (one of three buttons) and which earlier assignments they were shown (hidden)."""

    overlap = forms.ChoiceField(
        choices=OnOverlap.choices, required=False,
        error_messages={"invalid_choice": "Choose replace, extend or cancel."},
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_seen(self) -> set[int]:
        """The ids shown ("12,40"). Anything the page did not write (or nothing, when no list was
        shown) gives a set that never matches an overlap, so the page shows what exists and asks."""
        parts = self.cleaned_data["seen"].strip().split(",")
        if len(parts) <= 500 and all(part.isascii() and part.isdigit() and len(part) < 12 for part in parts):
            return {int(part) for part in parts}
        return set()


class MoveSessionForm(forms.Form):
    """A session moves to a day from today to a year ahead."""

    MAX_DAYS_AHEAD = 365

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = timezone.localdate()
        if day < today:
            raise forms.ValidationError("Choose today or a later day.")
        if (day - today).days > self.MAX_DAYS_AHEAD:
            raise forms.ValidationError("Choose a day within the next year.")
        return day
