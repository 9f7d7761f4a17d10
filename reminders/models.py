from django.conf import settings
from django.db import models
from django.db.models import Q


class Kind(models.TextChoices):
    RETURN_NEAR = "return_near", "Return to training is near"
    RETURN_OVERDUE = "return_overdue", "Return is overdue"
    SESSION_TODAY = "session_today", "Session today"
    MORNING_CHECK_IN = "morning_check_in", "Next-morning check-in"
    MISSED_SESSIONS = "missed_sessions", "Missed sessions"
    PAIN_ALERT = "pain_alert", "Pain alert"
    RECURRENCE_CHECK_IN = "recurrence_check_in", "Check-in after a return"
    WEBHOOK_OFF = "webhook_off", "A webhook was switched off"
    # Scheduled by monitoring (monitoring/reminders.py).
    TIGHTNESS_RISING = "tightness_rising", "Hamstring tightness rising"
    RECURRENCE_WATCH = "recurrence_watch", "A flag after a return"


# Coaches always get these by email as well: they are about an athlete's safety.
ALWAYS_EMAILED_TO_COACHES = {Kind.PAIN_ALERT}
# Sent ahead of the rest (broker priority), swept every few seconds, and their claims are taken
# back within a minute of a lost worker (REMINDER_URGENT_STALE_CLAIM_SECONDS). A pain alert is
# also what an athlete's urgent report raises.
URGENT_KINDS = {Kind.PAIN_ALERT}


class Reminder(models.Model):
    """One message due to one person at one time. The database, not the broker, holds it.

    `occurrence` names what the reminder is about (e.g. "injury:12:return-3d"), and a person
    gets one reminder per occurrence: scheduling twice updates, never duplicates.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        CLAIMED = "claimed", "Being sent"
        # Committed before the email goes to the mail server (or a push to a push service): a
        # worker lost after this point may have sent it, so the retry sends it again with the same
        # Message-ID, or the same push tag (services.deliver).
        SENDING = "sending", "Handed to the mail server or a push service"
        SENT = "sent", "Sent"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    occurrence = models.CharField(max_length=120)
    athlete = models.ForeignKey("athletes.Athlete", on_delete=models.CASCADE, related_name="reminders")
    injury = models.ForeignKey("injuries.Injury", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    session = models.ForeignKey("programmes.ScheduledSession", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    claimed_at = models.DateTimeField(null=True, blank=True, help_text="When the current claim (or send) began; it lapses after REMINDER_*STALE_CLAIM_SECONDS.")
    claim_token = models.CharField(max_length=32, blank=True, help_text="Which sweep claimed the row.")
    attempts = models.PositiveSmallIntegerField(default=0)
    email_attempts = models.PositiveSmallIntegerField(default=0, help_text="Times the email was handed to the mail server.")
    sending_at = models.DateTimeField(null=True, blank=True, help_text="Last time the email was handed to the mail server.")
    # Set once the mail server took the email: a retry for another channel (a push) skips it.
    emailed_at = models.DateTimeField(null=True, blank=True, help_text="When the mail server took the email.")
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "occurrence"], name="one_reminder_per_occurrence"),
        ]
        indexes = [
            # services.due_rows, the sweep's (and a request's) claim: `status = 'pending' AND due_at <=
            # now ORDER BY due_at LIMIT 1000`, an index range scan over the due rows alone however many
            # are pending or sent (sent rows pile up and are never read). make bench records its
            # EXPLAIN ANALYZE at 100,000 pending (SCALE=10: 1,000,000).
            models.Index(fields=["due_at"], condition=Q(status="pending"), name="reminder_due_idx"),
            # services.requeue_stale_claims: `status IN ('claimed', 'sending') AND claimed_at < lease`.
            models.Index(fields=["claimed_at"], condition=Q(status__in=["claimed", "sending"]), name="reminder_claimed_idx"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.recipient} at {self.due_at:%Y-%m-%d %H:%M}"


class SentLog(models.Model):
    """Proof of delivery. Unique per reminder: a second send cannot be recorded."""

    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, related_name="sent")
    sent_at = models.DateTimeField(auto_now_add=True)
    emailed = models.BooleanField(default=False)
    pushed = models.PositiveSmallIntegerField(default=0, help_text="Devices the push reached.")

    def __str__(self):
        return f"{self.reminder_id} sent {self.sent_at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """The in-app copy of a reminder."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.OneToOneField(Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notification")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx")]

    def __str__(self):
        return self.title


class ChannelPreference(models.Model):
    """A person's choice of channels for one kind: by email, by push to their devices, or neither.
    The in-app list always has every reminder. No row: email and push both on."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_preferences")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    email = models.BooleanField(default=True)
    push = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]


class PushSubscription(models.Model):
    """One device (a browser on a phone or a computer) that takes push notifications for a person.

    The endpoint is the push service's address for that browser (unique: signing in as someone
    else on the same device moves it). A 404 or 410 from the push service deletes the row.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200, help_text="The browser's public key (base64url).")
    auth = models.CharField(max_length=100, help_text="The browser's auth secret (base64url).")
    device = models.CharField(max_length=100, blank=True, help_text="What the browser said it is, e.g. Chrome on Android.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.device or 'a device'} of {self.user}"

    def info(self) -> dict:
        """As the browser gave it (pywebpush's subscription_info)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushSend(models.Model):
    """One reminder pushed to one device. Unique per pair: a retried delivery skips the devices
    already reached, so a device never gets a reminder twice from a retry (services.deliver)."""

    class Status(models.TextChoices):
        SENDING = "sending", "Handed to the push service"
        RETRY = "retry", "The push service was unavailable; tried again"
        SENT = "sent", "Taken by the push service"
        FAILED = "failed", "Refused, or given up"

    reminder = models.ForeignKey(Reminder, on_delete=models.CASCADE, related_name="pushes")
    subscription = models.ForeignKey(PushSubscription, on_delete=models.CASCADE, related_name="sends")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["reminder", "subscription"], name="one_push_per_device")]

    def __str__(self):
        return f"reminder {self.reminder_id} to {self.subscription_id}: {self.status}"


class Heartbeat(models.Model):
    """The last sign of life of a background process: beat, each worker, each kind of sweep.

    One row per name ("beat", "worker:<hostname>", "sweep", "sweep-urgent"), overwritten in place;
    /health/ and the admin's reminder list read them (reminders/selectors.py).
    """

    name = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
