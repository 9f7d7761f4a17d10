import dataclasses
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from athletes.models import Athlete

from . import triage as t


def _choices(enum, labels):
    return [(member.value, labels[member.value]) for member in enum]


# Plain words for each value; the values themselves are DOMAIN.md's.
SIDE_CHOICES = _choices(t.Side, {"left": "Left", "right": "Right", "both": "Both"})
ONSET_CHOICES = _choices(
    t.Onset,
    {
        "during_activity": "During activity",
        "after_activity": "Hours after the session ended",
        "no_clear_trigger": "No clear trigger",
    },
)
PAIN_QUALITY_CHOICES = _choices(
    t.PainQuality,
    {
        "cramping": "Cramping",
        "dull_ache": "Dull ache",
        "stiffness": "Stiffness",
        "tightness": "Tightness",
        "sharp": "Sharp",
    },
)
WEAKNESS_CHOICES = _choices(
    t.Weakness, {"none": "None", "partial": "Some loss of strength", "complete": "No strength at all"}
)
SWELLING_CHOICES = _choices(
    t.Swelling, {"none": "None", "mild": "Mild", "moderate": "Moderate", "severe": "Severe"}
)
BRUISING_CHOICES = _choices(t.Bruising, {"none": "None", "some": "Some", "heavy": "Heavy"})
CLASSIFICATION_CHOICES = _choices(
    t.Classification,
    {
        "cramp": "Cramp",
        "doms": "Delayed-onset muscle soreness (DOMS)",
        "grade_1": "Grade 1 strain (mild)",
        "grade_2": "Grade 2 strain (moderate, partial tear)",
        "grade_3": "Grade 3 strain (severe, complete tear)",
    },
)
REFERRAL_CHOICES = _choices(
    t.Referral,
    {
        "urgent": "See a doctor now",
        "recommended": "A doctor should assess it",
        "if_not_improving": "See a doctor if it is not improving",
        "none": "No referral needed",
    },
)
COMPLAINT_FIELDS = tuple(field.name for field in dataclasses.fields(t.Complaint))

RED_FLAG_LABELS = {
    "cannot_move_leg_with_persisting_pain": "Cannot move the leg and the pain persists",
    "ongoing_walking_difficulty": "Walking is still difficult",
    "numbness": "Numbness in the lower back, hips or legs",
}


class ComplaintQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(athlete__in=Athlete.objects.for_user(user))

    def inbox_order(self):
        """Unconfirmed first, urgent ones on top, newest next."""
        return self.order_by(
            models.Case(models.When(status=Complaint.Status.PENDING, then=0), default=1),
            models.Case(models.When(referral=t.Referral.URGENT, then=0), default=1),
            "-created_at",
        )


class Complaint(models.Model):
    """A hamstring complaint as recorded, with the triage result exactly as it was then.

    Athletes' own reports wait as `pending` until a coach confirms the answers; the triage of
    record runs on the confirmed answers. Until then `referral` holds the provisional referral
    of the athlete's answers, so that the inbox can put urgent reports on top.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a coach"
        CONFIRMED = "confirmed", "Confirmed"

    class Source(models.TextChoices):
        COACH = "coach", "Logged by a coach"
        ATHLETE = "athlete", "Reported by the athlete"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="complaints")
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # DOMAIN.md section 1, field for field.
    side = models.CharField(max_length=5, choices=SIDE_CHOICES)
    onset = models.CharField(max_length=20, choices=ONSET_CHOICES)
    hours_since_onset = models.DecimalField(max_digits=7, decimal_places=1)
    pain_score = models.PositiveSmallIntegerField()
    pain_quality = models.CharField(max_length=12, choices=PAIN_QUALITY_CHOICES)
    popping_sensation = models.BooleanField()
    sudden_sharp_pain = models.BooleanField()
    eased_with_rest = models.BooleanField()
    overuse_or_dehydration = models.BooleanField()
    weakness = models.CharField(max_length=10, choices=WEAKNESS_CHOICES)
    can_bear_weight = models.BooleanField()
    cannot_move_leg = models.BooleanField()
    swelling = models.CharField(max_length=10, choices=SWELLING_CHOICES)
    bruising = models.CharField(max_length=10, choices=BRUISING_CHOICES)
    walking_difficulty_ongoing = models.BooleanField()
    numbness = models.BooleanField()

    # The triage as it ran: never rewritten, even when a coach overrides the classification.
    classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES)
    referral = models.CharField(max_length=20, choices=REFERRAL_CHOICES)
    triage_result = models.JSONField()

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(pain_score__lte=10), name="complaint_pain_0_to_10"),
            models.CheckConstraint(condition=Q(hours_since_onset__gte=0), name="complaint_hours_not_negative"),
        ]
        indexes = [
            # The coaches' triage inbox: pending reports of their athletes.
            models.Index(fields=["status", "-created_at"], name="complaint_inbox_idx"),
        ]

    def __str__(self):
        return f"{self.athlete} · {self.get_side_display()} · {self.created_at:%d %b %Y}"

    def as_triage_input(self) -> t.Complaint:
        values = {name: getattr(self, name) for name in COMPLAINT_FIELDS}
        return t.Complaint.from_dict(values)

    @property
    def red_flags(self) -> list[str]:
        return [RED_FLAG_LABELS[code] for code in self.triage_result.get("red_flags", [])]

    @property
    def is_urgent(self) -> bool:
        return self.referral == t.Referral.URGENT


class Injury(models.Model):
    """An injury opened by a confirmed complaint and followed until the athlete is cleared.

    The expected return window is copied in when the injury opens, so later changes to the
    defaults never rewrite an athlete's history.
    """

    class Phase(models.TextChoices):
        PROTECT = "protect", "Protect"
        REHAB = "rehab", "Rehab"
        RETURN_TO_TRAINING = "return_to_training", "Return to training"
        CLEARED = "cleared", "Cleared"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="injuries")
    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="injury")
    side = models.CharField(max_length=5, choices=SIDE_CHOICES)
    onset_date = models.DateField()
    classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES)
    referral = models.CharField(max_length=20, choices=REFERRAL_CHOICES)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PROTECT)
    phase_started_on = models.DateField()
    expected_return_min_days = models.PositiveSmallIntegerField()
    expected_return_max_days = models.PositiveSmallIntegerField()
    notes = models.TextField(blank=True)
    cleared_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-onset_date", "-id"]
        verbose_name_plural = "injuries"
        indexes = [
            # The availability board reads each athlete's open injuries.
            models.Index(fields=["athlete", "phase"], name="injury_athlete_phase_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_return_min_days__lte=models.F("expected_return_max_days")),
                name="injury_return_window_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.athlete}: {self.get_classification_display()} ({self.get_side_display()})"

    @property
    def is_overridden(self) -> bool:
        return self.classification != self.complaint.classification

    @property
    def expected_return_window(self):
        return (
            self.onset_date + timedelta(days=self.expected_return_min_days),
            self.onset_date + timedelta(days=self.expected_return_max_days),
        )


class ClassificationOverride(models.Model):
    """A coach's change to an injury's classification, with the reason; never edited."""

    injury = models.ForeignKey(Injury, on_delete=models.CASCADE, related_name="overrides")
    from_classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES)
    to_classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES)
    reason = models.TextField()
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.from_classification} → {self.to_classification}"
