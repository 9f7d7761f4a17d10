"""Accessible names for the admin's table rows, shared by every app's admin (tabular inlines and
editable changelists)."""

from django import forms
from django.forms.models import BaseInlineFormSet
from django.utils.text import capfirst


def _label_row(form, row):
    """A tabular row shows each field's label once, as its column heading, which assistive
    technology does not tie to the inputs below it: name every visible input after its column and
    row ("Sets, row 2")."""
    for name, field in form.fields.items():
        if not field.widget.is_hidden:
            field.widget.attrs["aria-label"] = f"{capfirst(field.label or name)}, {row}"


class LabelledInlineFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        _label_row(form, "new row" if index is None else f"row {index + 1}")


class LabelledModelFormSet(forms.BaseModelFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The changelist's rows are the objects themselves ("Rung, Full Nordic curl").
        _label_row(form, str(form.instance) if form.instance.pk else f"row {(index or 0) + 1}")
