"""The phone's own record of the writes it sent with a key of its own
(docs/architecture.md#the-phone-offline).

A phone that lost its signal queues set taps, finishes and morning check-ins and sends them again
later, each with the key it made when the athlete acted. One row per key: a key sent twice is
applied once, and its answer (saved, or refused and why) is given again. A pain answer that the
session could no longer take (finished elsewhere, moved or changed by the coach) is kept here, and
the coach told, so it is never lost.
"""

from django.conf import settings
from django.db import models


class ClientWrite(models.Model):
    class Kind(models.TextChoices):
        SET = "set", "A set"
        FINISH = "finish", "Finishing a session"
        MORNING = "morning", "Next-morning check-in"

    class Outcome(models.TextChoices):
        APPLIED = "applied", "Saved"
        REFUSED = "refused", "Not saved"
        KEPT = "kept", "Not saved on the session; the pain answer kept for the coach"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    session = models.ForeignKey("programmes.ScheduledSession", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the address and the answers sent.")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    message = models.CharField(max_length=400, blank=True, help_text="Why it was not saved, as the phone showed it.")
    # The pain answer of a finish or a check-in that the session could not take.
    worst_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    sharp_pain = models.BooleanField(null=True, blank=True)
    feeling = models.CharField(max_length=10, blank=True)
    morning_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="phone_one_write_per_key")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key[:12]} ({self.get_outcome_display()})"
