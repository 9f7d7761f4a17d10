from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from django.urls import reverse
from django.utils.html import format_html

from .models import AccessLog, Athlete, Erasure, Invitation, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "is_active", "is_staff"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["first_name", "last_name", "role"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "role", "password1", "password2"]}),
    ]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "sport"]
    search_fields = ["name", "sport"]
    filter_horizontal = ["coaches"]


@admin.register(Athlete)
class AthleteAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "team", "sport", "position", "archived_at"]
    list_filter = ["team", "dominant_leg", ("archived_at", admin.EmptyFieldListFilter)]
    search_fields = ["first_name", "last_name", "email"]
    list_select_related = ["team"]
    raw_id_fields = ["user"]
    readonly_fields = ["data_rights"]

    @admin.display(description="Data rights")
    def data_rights(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">Download everything (JSON)</a> · <a href="{}">Erase this athlete</a>',
            reverse("athlete_data_export", args=[obj.pk]),
            reverse("athlete_erase", args=[obj.pk]),
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "team", "created_at", "expires_at", "accepted_at"]
    list_filter = ["kind", "team"]
    search_fields = ["email"]
    list_select_related = ["team"]
    readonly_fields = ["token_hash", "created_at", "accepted_at"]
    raw_id_fields = ["athlete", "invited_by"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Who opened whose health data: filter by athlete, user and date. Nobody edits it."""

    list_display = ["at", "user", "action", "athlete_id", "team_id", "record"]
    list_filter = ["action", ("at", admin.DateFieldListFilter), "user"]
    search_fields = ["=athlete_id", "user__email", "record"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Erasure)
class ErasureAdmin(AccessLogAdmin):
    list_display = ["erased_at", "athlete_id", "erased_by", "rows_deleted"]
    list_filter = [("erased_at", admin.DateFieldListFilter)]
    search_fields = ["=athlete_id"]
    date_hierarchy = "erased_at"
    list_select_related = ["erased_by"]
