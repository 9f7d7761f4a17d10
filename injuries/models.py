import dataclasses

from django.conf import settings
from django.db import models
from django.db.models import Q

from simple_history.models import HistoricalRecords

from athletes.models import Athlete

from . import pathway
from . import triage as t


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


class Phase(models.TextChoices):
    PROTECT = "protect", "Protect"
    REHAB = "rehab", "Rehab"
    RETURN_TO_TRAINING = "return_to_training", "Return to training"
    CLEARED = "cleared", "Cleared"


PHASE_ORDER = [Phase.PROTECT, Phase.REHAB, Phase.RETURN_TO_TRAINING, Phase.CLEARED]


class InjuryQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(athlete__in=Athlete.objects.for_user(user))

    def open(self):
        return self.exclude(phase=Phase.CLEARED)


class Injury(models.Model):
    """An injury opened by a confirmed complaint and followed until the athlete is cleared.

    The expected dates are computed from the recovery defaults when the injury opens (or its
    classification is overridden) and stored, so later tuning never rewrites history.
    """

    Phase = Phase

    class DoctorStatus(models.TextChoices):
        NOT_NEEDED = "not_needed", "No doctor needed so far"
        ADVISED = "advised", "Advised to see a doctor"
        SEEN = "seen", "Seen by a doctor"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="injuries")
    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="injury")
    side = models.CharField(max_length=5, choices=SIDE_CHOICES)
    onset_date = models.DateField()
    classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES)
    referral = models.CharField(max_length=20, choices=REFERRAL_CHOICES)
    doctor_status = models.CharField(max_length=12, choices=DoctorStatus.choices, default=DoctorStatus.NOT_NEEDED)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PROTECT)
    phase_started_on = models.DateField()
    protect_until = models.DateField(help_text="Planned end of the protect phase.")
    expected_return_from = models.DateField()
    expected_return_to = models.DateField()
    is_recurrence = models.BooleanField(
        default=False, help_text="Same side within two months of returning from a strain."
    )
    # The most severe result the injury ever had, triage or override: the doctor's clearance and
    # the urgent pathway are judged from these, not from the current classification only.
    worst_classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES)
    ever_urgent = models.BooleanField(default=False, help_text="Any urgent referral in its history.")
    doctor_reviewed_on = models.DateField("doctor's review on", null=True, blank=True)
    doctor_reviewer = models.CharField("reviewed by", max_length=120, blank=True)
    doctor_review_note = models.TextField("what the doctor said", blank=True)
    doctor_review_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(blank=True)
    cleared_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = InjuryQuerySet.as_manager()

    class Meta:
        ordering = ["-onset_date", "-id"]
        verbose_name_plural = "injuries"
        indexes = [
            # The availability board reads each athlete's open injury; recurrence reads returns.
            models.Index(fields=["athlete", "phase"], name="injury_athlete_phase_idx"),
            models.Index(fields=["athlete", "-cleared_on"], name="injury_athlete_cleared_idx"),
            # Team exports filter by onset date.
            models.Index(fields=["onset_date"], name="injury_onset_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_return_from__lte=models.F("expected_return_to")),
                name="injury_return_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(phase="cleared", cleared_on__isnull=False) | ~Q(phase="cleared"),
                name="injury_cleared_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.athlete}: {self.get_classification_display()} ({self.get_side_display()})"

    @property
    def is_open(self) -> bool:
        return self.phase != Phase.CLEARED

    @property
    def is_overridden(self) -> bool:
        return self.classification != self.complaint.classification

    @property
    def expected_return_days(self) -> tuple[int, int]:
        return (
            (self.expected_return_from - self.onset_date).days,
            (self.expected_return_to - self.onset_date).days,
        )

    @property
    def needs_doctor_clearance(self) -> bool:
        return pathway.needs_doctor_clearance(self.worst_classification, self.ever_urgent)

    @property
    def waiting_for_doctor(self) -> bool:
        """An urgent case: protect, and "see a doctor" on the athlete's phone, until a review is recorded."""
        return self.is_open and self.ever_urgent and self.doctor_reviewed_on is None

    @property
    def is_urgent(self) -> bool:
        return self.referral == t.Referral.URGENT

    def pathway_state(self, ticked) -> pathway.InjuryState:
        return pathway.InjuryState(
            phase=self.phase,
            ticked=frozenset(ticked),
            ever_urgent=self.ever_urgent,
            doctor_reviewed=self.doctor_reviewed_on is not None,
            worst_classification=self.worst_classification,
        )


class EpisodeQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(athlete__in=Athlete.objects.for_user(user))

    def open(self):
        return self.filter(ended_on__isnull=True)


class Episode(models.Model):
    """A cramp or DOMS without a red flag: lighter training (no step up) for a day or a few days,
    ending by itself unless pain persists (docs/clinical-rules.md#minor-episodes)."""

    class Ending(models.TextChoices):
        BY_ITSELF = "by_itself", "Ended by itself"
        COACH = "coach", "Ended by a coach"
        RETRIAGED = "retriaged", "Replaced by a new complaint"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="episodes")
    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="episode")
    classification = models.CharField(max_length=10, choices=CLASSIFICATION_CHOICES)
    side = models.CharField(max_length=5, choices=SIDE_CHOICES)
    started_on = models.DateField()
    ends_on = models.DateField(help_text="When it ends by itself unless pain persists.")
    ended_on = models.DateField(null=True, blank=True)
    ending = models.CharField(max_length=10, choices=Ending.choices, blank=True)
    retriage_asked_on = models.DateField(
        null=True, blank=True, help_text="When the coaches were asked to re-triage because pain persisted."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            # The gating rule and the daily sweep read open episodes.
            models.Index(fields=["ends_on"], condition=Q(ended_on__isnull=True), name="episode_open_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(started_on__lte=models.F("ends_on")), name="episode_window_ordered"),
            models.CheckConstraint(condition=Q(classification__in=pathway.EPISODE_CLASSIFICATIONS), name="episode_minor_only"),
        ]

    def __str__(self):
        return f"{self.athlete}: {self.get_classification_display()} ({self.started_on})"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class PhaseChange(models.Model):
    """One move between phases: who, when, and why when the checklist was overridden."""

    injury = models.ForeignKey(Injury, on_delete=models.CASCADE, related_name="phase_changes")
    from_phase = models.CharField(max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    on = models.DateField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    checklist_overridden = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "created_at", "id"]

    def __str__(self):
        return f"{self.from_phase or 'opened'} → {self.to_phase} on {self.on}"


class ChecklistItem(models.TextChoices):
    """The criteria between phases and the return-to-training checklist
    (docs/clinical-rules.md#phases-and-criteria); the values are injuries/pathway.py's."""

    WALKS = pathway.WALKS, pathway.ITEM_LABELS[pathway.WALKS]
    REST_PAIN = pathway.REST_PAIN, pathway.ITEM_LABELS[pathway.REST_PAIN]
    WALK_JOG = "walk_jog_pain_free", "Walks and jogs without pain"
    NO_PAIN_ON_TOUCH = "no_pain_on_touch", "No pain when the muscle is pressed"
    ISOMETRIC = "isometric_pain_free", "Holds a strong isometric contraction without pain"
    FLEXIBILITY = "flexibility_matches", "Flexibility like the other side"
    STRENGTH = "strength_within_10pct", "Strength within about 10% of the other side"
    SPRINT = "sprint_pain_free", "Sprints at full speed without pain"
    CONFIDENT = "athlete_confident", "The athlete feels confident"
    DOCTOR = "doctor_clearance", "A doctor has cleared the athlete"


assert tuple(ChecklistItem.values) == pathway.CHECKLIST_ITEMS, "the checklist and the pathway disagree"


class ClearanceCheck(models.Model):
    """One ticked (or unticked) checklist item of one injury; its history is kept.

    The strength and flexibility items follow the measured tests (``source`` = measured) unless
    a coach has set them against the measurement, which needs an ``override_reason``: such an
    override is never undone by a later measurement, only by the coach.
    """

    class Source(models.TextChoices):
        MANUAL = "manual", "Set by a coach"
        MEASURED = "measured", "Set from the measured tests"
        LOGGED = "logged", "Set from a logged pain-free maximal sprint"

    injury = models.ForeignKey(Injury, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(max_length=30, choices=ChecklistItem.choices)
    done = models.BooleanField(default=False)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.MANUAL)
    override_reason = models.TextField(
        blank=True, help_text="Why a coach set this against the measured tests; kept until the coach changes it."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["injury", "id"]
        constraints = [models.UniqueConstraint(fields=["injury", "item"], name="one_check_per_item")]

    def __str__(self):
        return f"{self.get_item_display()}: {'done' if self.done else 'open'}"


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
