"""Injuries, their phases and phase changes, minor episodes and classification overrides."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from athletes.models import Athlete

from .. import pathway
from .. import triage as t
from .complaints import CLASSIFICATION_CHOICES, REFERRAL_CHOICES, SIDE_CHOICES, Complaint


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
            # Each athlete's latest open injury, read by the roster's status and the board's
            # order (injuries/status.py, injuries/selectors.py `with_board_status`: open, newest
            # onset first, LIMIT 1): a lookup in this small index, no sort of the athlete's
            # injuries, for each of 2,000 athletes on the board of all teams.
            models.Index(
                fields=["athlete", "-onset_date", "-id"], condition=~Q(phase="cleared"), name="injury_speed_open_idx"
            ),
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
            # Each athlete's latest open episode, read by the roster's status and the board
            # (injuries/status.py, injuries/selectors.py `with_board_status`), per athlete.
            models.Index(
                fields=["athlete", "-started_on", "-id"], condition=Q(ended_on__isnull=True), name="episode_speed_open_idx"
            ),
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
