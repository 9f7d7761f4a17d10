"""The admin of load, exposure and risk (docs/load-and-risk.md).

Session RPE, wellness checks and GPS rows are written through their rules (monitoring/services.py,
monitoring/imports.py): here they are looked at and deleted, not typed. A wrong GPS file is undone
by deleting its import, which deletes its rows. Health records use ShownInAdmin: their pages are
logged (athletes/audit.py)."""

from django import forms
from django.contrib import admin

from athletes.audit import ShownInAdmin
from athletes.errors import AppError

from .imports import mapping_from
from .models import GpsImport, GpsMapping, GpsRow, MaxVelocity, PriorInjury, SessionRpe, Wellness

ATHLETE_SEARCH = ["athlete__first_name", "athlete__last_name", "athlete__email"]


class ReadAndDelete:
    """Looked at and deleted in the admin, never added or changed: the services keep the rules."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SessionRpe)
class SessionRpeAdmin(ReadAndDelete, ShownInAdmin):
    list_display = ["athlete", "date", "kind", "label", "rpe", "minutes", "hamstring_pain", "logged_by"]
    list_filter = ["kind", "logged_by", "athlete__team"]
    search_fields = ATHLETE_SEARCH
    list_select_related = ["athlete"]
    raw_id_fields = ["athlete", "recorded_by"]
    date_hierarchy = "date"


@admin.register(Wellness)
class WellnessAdmin(ReadAndDelete, ShownInAdmin):
    list_display = ["athlete", "date", "sleep", "soreness", "tightness_left", "tightness_right", "mood"]
    list_filter = ["athlete__team"]
    search_fields = ATHLETE_SEARCH
    list_select_related = ["athlete"]
    raw_id_fields = ["athlete", "recorded_by"]
    date_hierarchy = "date"


@admin.register(GpsRow)
class GpsRowAdmin(ReadAndDelete, ShownInAdmin):
    list_display = ["athlete", "date", "session_label", "minutes", "total_distance_m", "hsr_m", "sprint_m", "max_velocity"]
    list_filter = ["athlete__team"]
    search_fields = [*ATHLETE_SEARCH, "session_label"]
    list_select_related = ["athlete"]
    raw_id_fields = ["athlete", "source"]
    date_hierarchy = "date"


@admin.register(MaxVelocity)
class MaxVelocityAdmin(ShownInAdmin):
    list_display = ["athlete", "velocity", "measured_on", "source", "entered_by"]
    list_filter = ["source", "athlete__team"]
    search_fields = ATHLETE_SEARCH
    list_select_related = ["athlete", "entered_by"]
    raw_id_fields = ["athlete", "entered_by"]


@admin.register(PriorInjury)
class PriorInjuryAdmin(ShownInAdmin):
    list_display = ["athlete", "approx_date", "side", "grade", "entered_by", "created_at"]
    list_filter = ["side", "grade", "athlete__team"]
    search_fields = ATHLETE_SEARCH
    list_select_related = ["athlete", "entered_by"]
    raw_id_fields = ["athlete", "entered_by"]


@admin.register(GpsImport)
class GpsImportAdmin(ReadAndDelete, admin.ModelAdmin):
    """Which file, for which team, by whom; deleting one deletes its rows (not a maximal velocity
    they raised: correct that on the athlete's maximal velocity)."""

    list_display = ["created_at", "team", "file_name", "rows", "mapping", "imported_by"]
    list_filter = ["team"]
    search_fields = ["file_name", "team__name"]
    list_select_related = ["team", "mapping", "imported_by"]
    date_hierarchy = "created_at"


class GpsMappingForm(forms.ModelForm):
    class Meta:
        model = GpsMapping
        fields = ["team", "name", "preset", "columns"]

    def clean_columns(self):
        """The columns as the import reads them: a mapping that cannot work is refused here."""
        try:
            return mapping_from(self.cleaned_data["columns"]).as_json()
        except AppError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(GpsMapping)
class GpsMappingAdmin(admin.ModelAdmin):
    form = GpsMappingForm
    list_display = ["name", "team", "preset", "updated_at", "created_by"]
    list_filter = ["team", "preset"]
    search_fields = ["name", "team__name"]
    list_select_related = ["team", "created_by"]
