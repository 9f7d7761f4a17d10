from django import forms
from django.contrib import admin
from django.db import models

from .models import PHASE_CHOICES, Exercise, ProgrammeTemplate, TemplateEntry, TemplateSession


class ExerciseAdminForm(forms.ModelForm):
    allowed_phases = forms.MultipleChoiceField(choices=PHASE_CHOICES, widget=forms.CheckboxSelectMultiple)
    video_url = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Exercise
        fields = "__all__"


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "family", "rung", "isometric", "equipment"]
    list_editable = ["rung"]
    list_filter = ["family", "isometric", "equipment"]
    search_fields = ["name", "key", "cues", "equipment"]
    ordering = ["family", "rung"]


class EntryInline(admin.TabularInline):
    model = TemplateEntry
    extra = 0
    autocomplete_fields = ["exercise"]


@admin.register(TemplateSession)
class TemplateSessionAdmin(admin.ModelAdmin):
    list_display = ["template", "week", "order", "title"]
    list_filter = ["template"]
    inlines = [EntryInline]


class SessionInline(admin.TabularInline):
    model = TemplateSession
    extra = 0
    show_change_link = True


@admin.register(ProgrammeTemplate)
class ProgrammeTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner"]
    list_filter = ["kind", ("owner", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    inlines = [SessionInline]
    raw_id_fields = ["owner", "copied_from"]
