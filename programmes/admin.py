from django import forms
from django.conf import settings
from django.contrib import admin
from django.db import models

from athletes.admin_rows import LabelledInlineFormSet, LabelledModelFormSet

from .models import PHASE_CHOICES, Exercise, ProgrammeTemplate, TemplateEntry, TemplateSession
from .videos import ACCEPT


class ExerciseAdminForm(forms.ModelForm):
    allowed_phases = forms.MultipleChoiceField(choices=PHASE_CHOICES, widget=forms.CheckboxSelectMultiple)
    video_url = forms.URLField(
        label="Link to a demo elsewhere", required=False, assume_scheme="https",
        help_text="Shown when there is no uploaded video.",
    )

    class Meta:
        model = Exercise
        fields = "__all__"
        widgets = {
            "steps": forms.Textarea(attrs={"rows": 6}),
            # The file picker offers videos; the model's validator checks what really arrives.
            "video": forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["video"].label = "Demo video file"
        self.fields["video"].help_text = (
            f"An MP4 or WebM video of at most {settings.EXERCISE_VIDEO_MAX_MB} MB; its content is checked, "
            "not just its name. Athletes always see the written steps; the video is shown with them."
        )


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    form = ExerciseAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "family", "rung", "isometric", "equipment"]
    list_editable = ["rung"]
    list_filter = ["family", "isometric", "equipment"]
    search_fields = ["name", "key", "steps", "cues", "equipment"]
    ordering = ["family", "rung"]

    def get_changelist_formset(self, request, **kwargs):
        # The list's editable rung shows its label only as the column heading: name each input.
        kwargs["formset"] = LabelledModelFormSet
        return super().get_changelist_formset(request, **kwargs)


class EntryInline(admin.TabularInline):
    model = TemplateEntry
    formset = LabelledInlineFormSet
    extra = 0
    autocomplete_fields = ["exercise"]


@admin.register(TemplateSession)
class TemplateSessionAdmin(admin.ModelAdmin):
    list_display = ["template", "week", "order", "title"]
    list_filter = ["template"]
    inlines = [EntryInline]


class SessionInline(admin.TabularInline):
    model = TemplateSession
    formset = LabelledInlineFormSet
    extra = 0
    show_change_link = True


@admin.register(ProgrammeTemplate)
class ProgrammeTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "owner"]
    list_filter = ["kind", ("owner", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    inlines = [SessionInline]
    raw_id_fields = ["owner", "copied_from"]
