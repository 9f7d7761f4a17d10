from django.contrib import admin

from athletes.admin_rows import LabelledInlineFormSet
from athletes.audit import ShownInAdmin

from .models import ClassificationOverride, Complaint, Injury


@admin.register(Complaint)
class ComplaintAdmin(ShownInAdmin):
    list_display = ["athlete", "created_at", "source", "status", "classification", "referral"]
    list_filter = ["status", "source", "classification", "referral"]
    search_fields = ["athlete__first_name", "athlete__last_name"]
    list_select_related = ["athlete"]
    raw_id_fields = ["athlete", "reported_by", "confirmed_by"]
    # The triage snapshot is the record of what the rules said: never edited by hand.
    readonly_fields = ["classification", "referral", "triage_result", "created_at"]


class OverrideInline(admin.TabularInline):
    model = ClassificationOverride
    formset = LabelledInlineFormSet
    extra = 0
    can_delete = False
    readonly_fields = ["from_classification", "to_classification", "reason", "overridden_by", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Injury)
class InjuryAdmin(ShownInAdmin):
    list_display = ["athlete", "onset_date", "side", "classification", "phase", "referral"]
    list_filter = ["phase", "classification", "referral"]
    search_fields = ["athlete__first_name", "athlete__last_name"]
    list_select_related = ["athlete"]
    raw_id_fields = ["athlete", "complaint"]
    inlines = [OverrideInline]
