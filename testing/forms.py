"""The forms of the test pages: one result of one test, and a team's CSV file."""

from django import forms
from django.utils import timezone

IMPORT_MAX_BYTES = 2 * 1024 * 1024


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
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV, at most 2 MB.")

    def clean_file(self) -> str:
        """The file's text: a CSV file saved as UTF-8 (with or without the BOM Excel adds)."""
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: split it into smaller files.")
        data = upload.read()
        if b"\x00" in data:
            raise forms.ValidationError("This looks like a spreadsheet, not a CSV file: save it as CSV (UTF-8) first.")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The file is not UTF-8 text: in your spreadsheet choose “CSV UTF-8” when you save it."
            ) from None


for _form in (TestResultForm, TestImportForm):
    _form.__test__ = False  # not pytest test classes, whatever their names
