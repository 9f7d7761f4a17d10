from django.contrib import admin
from django.utils import timezone

from athletes.audit import ShownInAdmin

from . import selectors
from .models import Heartbeat, Notification, PushSend, PushSubscription, Reminder, SentLog


@admin.register(Reminder)
class ReminderAdmin(ShownInAdmin):
    """The list opens with the operator's panel (templates/admin/reminders/reminder/change_list.html):
    the last sweeps, beat and the workers, the backlog, the broker's queue and the oldest due reminder."""

    list_display = ["kind", "recipient", "athlete", "due_at", "status", "attempts", "email_attempts"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient__email", "occurrence"]
    list_select_related = ["recipient", "athlete"]
    raw_id_fields = ["recipient", "athlete", "injury", "session"]
    readonly_fields = ["claimed_at", "claim_token", "attempts", "email_attempts", "sending_at", "emailed_at", "last_error", "created_at"]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "delivery": selectors.delivery_status(timezone.now())}
        return super().changelist_view(request, extra_context=extra_context)


@admin.register(SentLog)
class SentLogAdmin(admin.ModelAdmin):
    list_display = ["reminder", "sent_at", "emailed", "pushed"]
    raw_id_fields = ["reminder"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    """The devices that take push notifications; deleting one turns push off for that device."""

    list_display = ["user", "device", "created_at", "last_success_at"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
    readonly_fields = ["endpoint", "p256dh", "auth", "device", "created_at", "last_success_at"]

    def has_add_permission(self, request):
        return False  # only a browser can subscribe


@admin.register(PushSend)
class PushSendAdmin(admin.ModelAdmin):
    """Each reminder's push to each device: how the push service answered."""

    list_display = ["reminder", "subscription", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status"]
    raw_id_fields = ["reminder", "subscription"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ShownInAdmin):
    def audit_athlete_id(self, obj):
        return obj.reminder.athlete_id if obj.reminder_id else None

    list_display = ["user", "title", "created_at", "read_at"]
    raw_id_fields = ["user", "reminder"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    """Written by beat, the workers and the sweeps; read only here."""

    list_display = ["name", "seen_at", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
