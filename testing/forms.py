"""The forms of the test pages: one result of one test, and a team's CSV file and its review."""

from django import forms
from django.core import signing
from django.template.defaultfilters import pluralize
from django.utils import timezone

from .imports import IMPORT_MAX_BYTES, PRESET_CHOICES, PRESETS, SKIP, decode_upload
from .services import TestResultError

REVIEW_MAX_AGE = 60 * 60  # seconds a review may wait for the coach's confirmation


def _amount_field(label):
    return forms.DecimalField(
        label=label,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal", "autocomplete": "off"}),
    )


class TestResultForm(forms.Form):
    """One result of one test: both legs, or one value, with the test's unit in the labels."""

    tested_on = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    left = _amount_field("Left leg")
    right = _amount_field("Right leg")
    value = _amount_field("Result")
    notes = forms.CharField(label="Notes", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, test_type, **kwargs):
        super().__init__(*args, **kwargs)
        self.test_type = test_type
        unit = test_type.unit
        if test_type.bilateral:
            del self.fields["value"]
            self.fields["left"].label = f"Left leg ({unit})"
            self.fields["right"].label = f"Right leg ({unit})"
        else:
            del self.fields["left"], self.fields["right"]
            self.fields["value"].label = f"Result ({unit})"
            if not test_type.higher_is_better:
                self.fields["value"].help_text = "Lower is better."

    def clean_tested_on(self):
        day = self.cleaned_data["tested_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The test date cannot be in the future.")
        if day.year < 1900:
            raise forms.ValidationError("Enter a test date after 1900.")
        return day


class TestImportForm(forms.Form):
    """The file and its format; read, not yet imported: the review page comes first."""

    preset = forms.ChoiceField(
        label="File format", choices=PRESET_CHOICES, required=False, initial="coachapp",
        help_text="coachapp CSV is the format below; a VALD export is the file its hub downloads, as it is.",
    )
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV, at most 2 MB.")

    def clean_preset(self) -> str:
        return self.cleaned_data["preset"] or "coachapp"

    def clean_file(self) -> str:
        """The file's text: a CSV file saved as UTF-8 (with or without the BOM Excel adds)."""
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: split it into smaller files.")
        try:
            return decode_upload(upload.read())
        except TestResultError as error:
            raise forms.ValidationError(str(error)) from None


def _signer(team, user):
    return signing.TimestampSigner(salt=f"testing.import:{team.pk}:{user.pk}")


def sign_upload(*, team, user, preset: str, text: str) -> str:
    """The file read for review, carried to the confirming POST: signed (for this team and user) and compressed."""
    return _signer(team, user).sign_object({"preset": preset, "text": text}, compress=True)


class ImportReviewForm(forms.Form):
    """The review: the file as read (signed) and, for each name no athlete matches, who it is or skip."""

    upload = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, team, user, unmatched=(), athletes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.team, self.user = team, user
        options = [("", "Choose…"), (SKIP, "Skip these rows")] + [(str(a.pk), a.full_name) for a in athletes]
        self.keys = {}
        for n, name in enumerate(unmatched):
            lines = ", ".join(map(str, name.lines))
            self.fields[f"who_{n}"] = forms.ChoiceField(
                label=f"“{name.name}” (line{pluralize(len(name.lines))} {lines})",
                choices=options, required=False,
                help_text="Several athletes have this name: choose one." if name.several else "",
            )
            self.keys[f"who_{n}"] = name.key

    def clean_upload(self) -> dict:
        return read_upload(self.cleaned_data["upload"], team=self.team, user=self.user)

    def choices(self) -> dict:
        return {key: self.cleaned_data.get(name, "") for name, key in self.keys.items()}


def read_upload(token: str, *, team, user) -> dict:
    """The file a review carries ({"preset", "text"}), or a ValidationError saying to upload it again."""
    try:
        read = _signer(team, user).unsign_object(token, max_age=REVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise forms.ValidationError("This review is too old (an hour at most): upload the file again.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise forms.ValidationError("This review cannot be read: upload the file again.") from None
    if not isinstance(read, dict) or read.get("preset") not in PRESETS or not isinstance(read.get("text"), str):
        raise forms.ValidationError("This review cannot be read: upload the file again.")
    return read


for _form in (TestResultForm, TestImportForm, ImportReviewForm):
    _form.__test__ = False  # not pytest test classes, whatever their names
