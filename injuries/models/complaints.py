"""Complaints (a coach's or an athlete's report and its triage) and the recovery defaults."""

import dataclasses

from django.conf import settings
from django.db import models
from django.db.models import Q

from simple_history.models import HistoricalRecords

from athletes.models import Athlete

from .. import pathway
from .. import triage as t


def _choices(enum, labels):
    return [(member.value, labels[member.value]) for member in enum]


# Plain words for each value; the values are the triage's (docs/clinical-rules.md#triage).
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

    # The triage's questions, field for field (docs/clinical-rules.md#triage).
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

    # An athlete's report as the athlete sent it (answers and triage), kept when a coach confirms
    # or corrects it; empty for complaints a coach logged (docs/clinical-rules.md#answers-are-asked).
    athlete_answers = models.JSONField(null=True, blank=True)
    confirm_reason = models.TextField(
        blank=True, help_text="Why the coach removed a red flag the athlete reported."
    )

    history = HistoricalRecords()
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
            # Each athlete's reports waiting for a coach: the board's row status and the gating
            # (injuries/selectors.py ``with_board_record``, programmes/services/regating.py).
            models.Index(fields=["athlete"], condition=Q(status="pending"), name="complaint_pending_idx"),
        ]

    def __str__(self):
        return f"{self.athlete} · {self.get_side_display()} · {self.created_at:%d %b %Y}"

    def answers(self) -> dict:
        return {name: getattr(self, name) for name in COMPLAINT_FIELDS}

    @property
    def red_flags(self) -> list[str]:
        return [RED_FLAG_LABELS[code] for code in self.triage_result.get("red_flags", [])]

    @property
    def is_urgent(self) -> bool:
        return self.referral == t.Referral.URGENT

    @property
    def is_minor(self) -> bool:
        """Triaged as a cramp or soreness: once confirmed without a red flag, a minor episode."""
        return self.classification in pathway.EPISODE_CLASSIFICATIONS

    @property
    def athlete_red_flags(self) -> list[str]:
        if not self.athlete_answers:
            return []
        return [RED_FLAG_LABELS[code] for code in self.athlete_answers["triage_result"].get("red_flags", [])]

    @property
    def record(self):
        """The injury or minor episode this complaint opened, if any."""
        for name in ("injury", "episode"):
            try:
                return getattr(self, name)
            except models.ObjectDoesNotExist:
                pass
        return None


class RecoveryDefault(models.Model):
    """Expected recovery per classification (docs/clinical-rules.md#recovery-windows); admins tune these.

    Injuries copy the numbers when they open, so tuning never rewrites an athlete's history.
    """

    classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES, unique=True)
    return_min_days = models.PositiveSmallIntegerField()
    return_max_days = models.PositiveSmallIntegerField()
    protect_min_days = models.PositiveSmallIntegerField()
    protect_max_days = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["classification"]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_min_days__lte=models.F("return_max_days"))
                & Q(protect_min_days__lte=models.F("protect_max_days")),
                name="recovery_default_ranges_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.get_classification_display()}: {self.return_min_days}–{self.return_max_days} days"

    @classmethod
    def for_classification(cls, classification: str) -> "RecoveryDefault":
        """The tuned row, or the published defaults when an admin has deleted it."""
        found = cls.objects.filter(classification=classification).first()
        if found:
            return found
        window = t.RECOVERY_WINDOWS[t.Classification(classification)]
        protect = t.PROTECT_PHASES[t.Classification(classification)]
        return cls(
            classification=classification,
            return_min_days=window.min_days,
            return_max_days=window.max_days,
            protect_min_days=protect.min_days,
            protect_max_days=protect.max_days,
        )
