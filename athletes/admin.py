from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Athlete, Invitation, Team, User


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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "kind", "team", "created_at", "expires_at", "accepted_at"]
    list_filter = ["kind", "team"]
    search_fields = ["email"]
    list_select_related = ["team"]
    readonly_fields = ["token_hash", "created_at", "accepted_at"]
    raw_id_fields = ["athlete", "invited_by"]
