"""The GPS import page's forms: the file and how to read it (a saved mapping, a common export, or
"map the columns myself"), then, when mapping, one of the file's columns for each of our fields.

Between the two steps the file travels in the page, signed for this team and user and compressed
(as the test import's review does, testing/forms.py): nothing is stored until the import.
"""

from django import forms
from django.core import signing

from athletes.errors import AppError
from testing.imports import IMPORT_MAX_BYTES, decode_upload

from .imports import DATE_ORDERS, FIELDS, PRESETS, REQUIRED, mapping_from

MAP_MYSELF = "own"
UPLOAD_MAX_AGE = 60 * 60  # seconds the mapping step may wait for the coach
VELOCITY_UNIT_CHOICES = [("m/s", "Metres per second (m/s)"), ("km/h", "Kilometres per hour (km/h)")]
DATE_ORDER_CHOICES = [(key, label[:1].upper() + label[1:]) for key, label in DATE_ORDERS.items()]


def mapping_choices(saved) -> list:
    """The ways to read a file: the team's saved mappings, the common exports, or one's own."""
    choices = []
    if saved:
        choices.append(("Saved for this team", [(f"saved:{mapping.pk}", mapping.name) for mapping in saved]))
    choices.append(("Common exports", [(f"preset:{preset.key}", preset.label) for preset in PRESETS.values()]))
    choices.append((MAP_MYSELF, "Map the columns myself"))
    return choices


def resolve_choice(value: str, saved) -> tuple[str, object]:
    """("saved", the GpsMapping) / ("preset", its key) / (MAP_MYSELF, None) for a choice's value;
    ("", None) for one that is not (any more) the team's."""
    kind, _, key = (value or "").partition(":")
    if kind == "saved":
        mapping = next((mapping for mapping in saved if str(mapping.pk) == key), None)
        return ("saved", mapping) if mapping else ("", None)
    if kind == "preset" and key in PRESETS:
        return "preset", key
    if value == MAP_MYSELF:
        return MAP_MYSELF, None
    return "", None


class GpsUploadForm(forms.Form):
    """The file and how to read it."""

    file = forms.FileField(label="CSV file", help_text="The export as saved (UTF-8 CSV), at most 2 MB.")
    mapping = forms.ChoiceField(label="How to read its columns")

    def __init__(self, *args, saved=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.saved = list(saved)
        self.fields["mapping"].choices = mapping_choices(self.saved)
        if not self.is_bound and "mapping" not in self.initial:
            newest = max(self.saved, key=lambda mapping: mapping.updated_at, default=None)
            self.initial["mapping"] = f"saved:{newest.pk}" if newest else "preset:catapult"
        self.file_name = ""

    def clean_file(self) -> str:
        """The file's text: a CSV file saved as UTF-8 (with or without the BOM Excel adds)."""
        upload = self.cleaned_data["file"]
        self.file_name = upload.name or ""
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The file is larger than 2 MB: split it into smaller files.")
        try:
            text = decode_upload(upload.read())
        except AppError as error:
            raise forms.ValidationError(str(error)) from None
        if not text.strip():
            raise forms.ValidationError("The file is empty: the first line must name the columns.")
        return text

    def clean_mapping(self) -> tuple[str, object]:
        kind, chosen = resolve_choice(self.cleaned_data["mapping"], self.saved)
        if not kind:
            raise forms.ValidationError("Choose how to read the file's columns.")
        return kind, chosen


class GpsMappingForm(forms.Form):
    """For each of our fields, the file's column that holds it; the speed unit and the date order;
    and, if the coach wants it kept, a name to save the mapping under for the team."""

    upload = forms.CharField(widget=forms.HiddenInput)
    velocity_unit = forms.ChoiceField(label="Speed unit of the maximal velocity", choices=VELOCITY_UNIT_CHOICES)
    date_order = forms.ChoiceField(label="Dates like 03/04/2026 are written", choices=DATE_ORDER_CHOICES)
    save_as = forms.CharField(
        label="Save this mapping as", required=False, max_length=80,
        help_text="A name, such as “Our Catapult export”: next time choose it and import in one step. "
                  "A saved mapping of the same name is replaced. Leave empty to use it just this once.",
    )

    def __init__(self, *args, columns, team, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.team, self.user = team, user
        fields = {}
        for name, label in FIELDS.items():
            required = name in REQUIRED
            empty = ("", "Choose a column…") if required else ("", "Not in this file")
            fields[f"field_{name}"] = forms.ChoiceField(
                label=f"{label} (required)" if required else label, required=required,
                choices=[empty] + [(column, column) for column in columns],
                error_messages={"required": "Choose the file's column for this.",
                                "invalid_choice": "Choose one of the file's columns."},
            )
        self.fields.update(fields)
        self.order_fields(["upload", *fields, "velocity_unit", "date_order", "save_as"])

    def clean_upload(self) -> dict:
        return read_upload(self.cleaned_data["upload"], team=self.team, user=self.user)

    def clean(self):
        cleaned = super().clean()
        chosen = {name: cleaned.get(f"field_{name}") for name in FIELDS if cleaned.get(f"field_{name}")}
        for name, column in chosen.items():
            if list(chosen.values()).count(column) > 1:
                self.add_error(f"field_{name}", f"The column “{column}” is chosen for two fields: choose another.")
        if self.errors:
            return cleaned
        data = {"fields": chosen, "velocity_unit": cleaned.get("velocity_unit"), "date_order": cleaned.get("date_order")}
        try:
            mapping_from(data)
        except AppError as error:
            raise forms.ValidationError(str(error)) from None
        self.mapping = data
        return cleaned

    @classmethod
    def initial_from(cls, *, token: str, chosen: dict, start, save_as: str = "") -> dict:
        """The form's first values: the guessed columns, the start's unit and date order."""
        initial = {"upload": token, "save_as": save_as, **{f"field_{name}": column for name, column in chosen.items()}}
        if start is not None:
            initial.update(velocity_unit=start.velocity_unit, date_order=start.date_order)
        return initial


def _signer(team, user):
    return signing.TimestampSigner(salt=f"monitoring.gps_import:{team.pk}:{user.pk}")


def sign_upload(*, team, user, text: str, name: str, start: str) -> str:
    """The file read at the first step, carried to the next: signed (for this team and user) and compressed."""
    return _signer(team, user).sign_object({"text": text, "name": name[:200], "start": start}, compress=True)


def read_upload(token: str, *, team, user) -> dict:
    """The file the mapping step carries ({"text", "name", "start"}), or a ValidationError saying to upload it again."""
    try:
        read = _signer(team, user).unsign_object(token, max_age=UPLOAD_MAX_AGE)
    except signing.SignatureExpired:
        raise forms.ValidationError("This file was uploaded more than an hour ago: upload it again.") from None
    except (signing.BadSignature, ValueError, TypeError):
        raise forms.ValidationError("This file cannot be read back: upload it again.") from None
    if not isinstance(read, dict) or not all(isinstance(read.get(key), str) for key in ("text", "name", "start")):
        raise forms.ValidationError("This file cannot be read back: upload it again.")
    return read
