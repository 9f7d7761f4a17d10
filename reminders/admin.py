from django.contrib import admin

from .models import Notification, Reminder, SentLog


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "recipient", "athlete", "due_at", "status", "attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__email", "occurrence"]
    list_select_related = ["recipient", "athlete"]
    raw_id_fields = ["recipient", "athlete", "injury", "session"]
    readonly_fields = ["claimed_at", "claim_token", "attempts", "last_error", "created_at"]


@admin.register(SentLog)
class SentLogAdmin(admin.ModelAdmin):
    list_display = ["reminder", "sent_at", "emailed"]
    raw_id_fields = ["reminder"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["user", "title", "created_at", "read_at"]
    raw_id_fields = ["user", "reminder"]
