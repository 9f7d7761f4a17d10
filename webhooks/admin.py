from django.contrib import admin
from django.db import models

from .models import Delivery, Endpoint


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    list_display = ("url", "team", "active", "consecutive_failures", "created_at")
    list_filter = ("active",)
    exclude = ("secret",)  # signs the bodies: never shown again after it is added
    readonly_fields = ("consecutive_failures", "created_by", "created_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Statuses only: the payloads (athlete ids and states) are not shown."""

    list_display = ("event_type", "endpoint", "status", "attempts", "last_status_code", "created_at")
    list_filter = ("status",)
    fields = ("event_id_text", "event_type", "endpoint", "status", "attempts", "next_attempt_at", "last_status_code",
              "last_error", "delivered_at", "created_at")
    readonly_fields = fields

    @admin.display(description="event")
    def event_type(self, obj):
        return obj.event.get_type_display()

    @admin.display(description="event id")
    def event_id_text(self, obj):
        return str(obj.event_id)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event", "endpoint")

    def has_add_permission(self, request):
        return False
