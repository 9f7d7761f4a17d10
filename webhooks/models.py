"""Webhooks: the endpoints a team sends its events to, the events, and each delivery with its attempts.

An event is one fact (an injury opened, a phase changed) named by a stable key, so the same fact is
never announced twice; a delivery is that event on its way to one endpoint, a database row that
Celery sends, retries and can replay with the same event id (docs/architecture.md#background-work).
Payloads carry ids, codes and labels, never free-text notes.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .sealed import SealedTextField


class EventType(models.TextChoices):
    COMPLAINT_URGENT = "complaint.urgent", "An urgent report or complaint"
    INJURY_OPENED = "injury.opened", "An injury opened"
    INJURY_PHASE_CHANGED = "injury.phase_changed", "An injury moved to another phase"
    INJURY_CLEARED = "injury.cleared", "An athlete cleared to return"
    AVAILABILITY_CHANGED = "availability.changed", "An athlete's availability changed"
    TEST_RESULT_FLAGGED = "test_result.flagged", "A test result over its limit"


class Endpoint(models.Model):
    """A team's receiver: an https URL and the events it wants.

    The secret signs every body (HMAC-SHA256); it must be readable to sign, so it is stored sealed
    under a key derived from SECRET_KEY (`sealed.py`), never as it is. It is shown to the coach
    once, when the endpoint is added.
    """

    team = models.ForeignKey("athletes.Team", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=300)
    events = models.JSONField(default=list, help_text="The event types it receives.")
    secret = SealedTextField()
    active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    switched_off_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.url

    def event_labels(self) -> list[str]:
        return [EventType(event).label for event in self.events if event in EventType.values]


class WebhookEvent(models.Model):
    """One fact to announce. ``key`` names it (e.g. "injury:12:opened"): a fact seen twice (a
    report, then its confirmation) is one event. ``id`` is what receivers deduplicate on."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=30, choices=EventType.choices)
    key = models.CharField(max_length=120, unique=True)
    team = models.ForeignKey("athletes.Team", on_delete=models.CASCADE, related_name="+")
    athlete_id = models.BigIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.type} {self.id}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        RETRYING = "retrying", "Failed; will try again"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed; no more tries"
        CANCELLED = "cancelled", "Not sent: the webhook was switched off"

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Attempts since it was (re)queued.")
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the current send began.")
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_event_and_endpoint")]
        indexes = [
            # The sweep: retries that are due, and sends whose worker was lost.
            models.Index(fields=["next_attempt_at"], condition=Q(status__in=["pending", "retrying"]), name="delivery_due_idx"),
            models.Index(fields=["claimed_at"], condition=Q(status="sending"), name="delivery_sending_idx"),
            # The nightly clean-up: settled deliveries by age (webhooks/services.py deliveries_cleanup).
            models.Index(
                fields=["created_at"], condition=Q(status__in=["delivered", "failed", "cancelled"]),
                name="delivery_settled_idx",
            ),
        ]

    def __str__(self):
        return f"{self.event.type} to {self.endpoint.url}: {self.get_status_display()}"


class Attempt(models.Model):
    """One POST: its answer (or the error), and how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]


class AvailabilityState(models.Model):
    """The availability last announced for an athlete, to tell when the board's status changes."""

    athlete = models.OneToOneField("athletes.Athlete", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=12)
    version = models.PositiveIntegerField(default=0)
