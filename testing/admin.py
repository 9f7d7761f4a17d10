from django.contrib import admin

from athletes.audit import ShownInAdmin

from . import services
from .models import TestResult, TestType


@admin.register(TestType)
class TestTypeAdmin(admin.ModelAdmin):
    list_display = [
        "name", "key", "unit", "bilateral", "higher_is_better", "checklist_item",
        "asymmetry_threshold_pct", "baseline_threshold_pct", "order",
    ]
    list_editable = ["asymmetry_threshold_pct", "baseline_threshold_pct", "order"]
    prepopulated_fields = {"key": ["name"]}

    def get_readonly_fields(self, request, obj=None):
        # Recorded results have the shape of their test (both legs or one value): keep it.
        return ["bilateral"] if obj is not None and obj.results.exists() else []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"checklist_item", "asymmetry_threshold_pct", "baseline_threshold_pct", "bilateral",
                       "higher_is_better"} & set(form.changed_data):
            # Open injuries' strength and flexibility items follow the new thresholds at once.
            services.test_type_reapply(test_type=obj, changed_by=request.user)


@admin.register(TestResult)
class TestResultAdmin(ShownInAdmin):
    list_display = ["athlete", "test_type", "tested_on", "left", "right", "value", "recorded_by"]
    list_filter = ["test_type"]
    search_fields = ["athlete__first_name", "athlete__last_name"]
    list_select_related = ["athlete", "test_type", "recorded_by"]
    raw_id_fields = ["athlete", "recorded_by"]
    date_hierarchy = "tested_on"

    # Results edited here move the athletes' measured checklist items as recorded ones do.
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.clearance_apply_measures(athlete_ids=[obj.athlete_id], changed_by=request.user)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.clearance_apply_measures(athlete_ids=[obj.athlete_id], changed_by=request.user)

    def delete_queryset(self, request, queryset):
        athlete_ids = set(queryset.values_list("athlete_id", flat=True))
        super().delete_queryset(request, queryset)
        services.clearance_apply_measures(athlete_ids=athlete_ids, changed_by=request.user)
