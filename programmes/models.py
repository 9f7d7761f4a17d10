import logging
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from athletes.models import Athlete

from . import loads
from . import progression as p
from .videos import validate_video

logger = logging.getLogger(__name__)

FAMILY_LABELS = {
    "hip_hinge": "Hip hinge",
    "knee_flexion": "Knee flexion",
    "nordic": "Nordic (knee flexion in hip extension)",
    "running": "Running",
}
FAMILY_CHOICES = [(family.value, FAMILY_LABELS[family.value]) for family in p.Family]
PHASE_CHOICES = [(phase.value, p.PHASE_LABELS[phase]) for phase in p.TrainingPhase]
MORNING_CHOICES = [(feeling.value, feeling.value.capitalize()) for feeling in p.MorningFeeling]
DECISION_CHOICES = [("advance", "Move up"), ("hold", "Stay"), ("regress", "Move down")]


class Exercise(models.Model):
    """One rung of a family's ladder; admins curate the library."""

    key = models.SlugField(max_length=60, unique=True, help_text="Stable id; the progression ladder refers to it.")
    name = models.CharField(max_length=120)
    family = models.CharField(max_length=20, choices=FAMILY_CHOICES)
    rung = models.PositiveSmallIntegerField(help_text="Position on the family's ladder, 0 = easiest.")
    isometric = models.BooleanField(default=False)
    allowed_phases = models.JSONField(default=list, help_text="Phases in which it may be prescribed.")
    steps = models.TextField(
        blank=True, help_text="How to do it, one step per line in order, in our own words; pages number them."
    )
    cues = models.TextField(blank=True, help_text="Coaching cues, in our own words.")
    equipment = models.CharField(max_length=120, blank=True)
    rom_note = models.CharField("range-of-motion note", max_length=200, blank=True)
    video = models.FileField(
        upload_to="exercise-videos/",
        blank=True,
        validators=[validate_video],
        help_text="An MP4 or WebM video; its content is checked, not just its name.",
    )
    video_url = models.URLField(blank=True)

    class Meta:
        ordering = ["family", "rung"]
        constraints = [models.UniqueConstraint(fields=["family", "rung"], name="one_exercise_per_rung")]

    def __str__(self):
        return self.name

    @property
    def step_list(self) -> list[str]:
        """The written steps, one per line, without any numbers typed before them (the pages
        number them)."""
        lines = (re.sub(r"^\s*\d+\s*[.)]\s*", "", line).strip() for line in self.steps.splitlines())
        return [line for line in lines if line]

    @property
    def playable_video_url(self) -> str:
        """The uploaded video's address, or "" when there is none or its file is gone from the
        storage: a player with nothing to play is worse than none, and the written steps stand
        alone (docs/architecture.md#media)."""
        if not self.video:
            return ""
        try:
            if self.video.storage.exists(self.video.name):
                return self.video.url
        except Exception:  # a storage that does not answer must not break the page
            logger.warning("exercise %s: video %s could not be checked", self.pk, self.video.name, exc_info=True)
            return ""
        logger.warning("exercise %s: video %s is missing from the storage", self.pk, self.video.name)
        return ""


class TemplateQuerySet(models.QuerySet):
    def for_user(self, user):
        """Library templates (no owner) for every coach, plus the coach's own."""
        if not user.is_authenticated or not (user.is_coach or user.is_admin):
            return self.none()
        if user.is_admin:
            return self.all()
        return self.filter(Q(owner__isnull=True) | Q(owner=user))


class ProgrammeTemplate(models.Model):
    class Kind(models.TextChoices):
        PREVENTION = "prevention", "Prevention"
        REHAB = "rehab", "Rehab"

    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.PREVENTION)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="programme_templates",
        help_text="Empty for the library's templates, which every coach can copy.",
    )
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["owner_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name"], condition=Q(owner__isnull=True), name="library_template_name_unique"),
        ]

    def __str__(self):
        return self.name


class TemplateSession(models.Model):
    template = models.ForeignKey(ProgrammeTemplate, on_delete=models.CASCADE, related_name="sessions")
    week = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField(default=1, help_text="Order within the week.")
    title = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["template", "week", "order", "id"]

    def __str__(self):
        return self.title or f"Week {self.week}, session {self.order}"


class DoseMixin:
    """Sets and reps as coaches read them: "3 × 8–12", "12, 10, 8", "4 × 30 s hold"."""

    def set_targets(self) -> list[int]:
        """The target reps of each set (the lower bound of a range)."""
        if self.reps_by_set:
            return [int(n) for n in self.reps_by_set.split(",")]
        return [self.reps_min] * self.sets

    @property
    def dose_label(self) -> str:
        if getattr(self, "minutes", None):
            return f"{self.minutes} min" if self.sets == 1 else f"{self.sets} × {self.minutes} min"
        if self.hold_seconds:
            return f"{self.sets} × {self.hold_seconds} s hold"
        if self.reps_by_set:
            return ", ".join(self.reps_by_set.split(",")) + " reps"
        reps = str(self.reps_min) if self.reps_min == self.reps_max else f"{self.reps_min}–{self.reps_max}"
        return f"{self.sets} × {reps}"


class TemplateEntry(DoseMixin, models.Model):
    """One exercise of a template session, with its target."""

    session = models.ForeignKey(TemplateSession, on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveSmallIntegerField(default=1)
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField(default=3)
    reps_min = models.PositiveSmallIntegerField(default=8)
    reps_max = models.PositiveSmallIntegerField(default=12)
    reps_by_set = models.CharField(
        max_length=40, blank=True, help_text="Different reps in each set, e.g. 12,10,8 (overrides sets and reps)."
    )
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For isometric holds.")
    load = models.CharField("load or assistance", max_length=60, blank=True)
    rom_target = models.CharField("range-of-motion target", max_length=80, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=90)

    class Meta:
        ordering = ["session", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(reps_min__lte=models.F("reps_max")), name="entry_reps_ordered"),
            models.CheckConstraint(condition=Q(sets__gte=1, sets__lte=10), name="entry_sets_1_to_10"),
        ]

    def __str__(self):
        return f"{self.exercise}: {self.dose_label}"


class Assignment(models.Model):
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="assignments")
    template = models.ForeignKey(ProgrammeTemplate, on_delete=models.PROTECT, related_name="assignments")
    start_date = models.DateField()
    weekdays = models.JSONField(help_text="Weekdays of the sessions, 0 = Monday.")
    phase = models.CharField(max_length=20, choices=PHASE_CHOICES, help_text="The athlete's phase when assigned.")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self):
        return f"{self.template} for {self.athlete} from {self.start_date}"


class ScheduledSessionQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(athlete__in=Athlete.objects.for_user(user))


class ScheduledSession(models.Model):
    """A dated session of an athlete, and how it went."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="sessions")
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="scheduled_sessions")
    template_session = models.ForeignKey(TemplateSession, on_delete=models.SET_NULL, null=True, related_name="+")
    date = models.DateField()
    week = models.PositiveSmallIntegerField(help_text="Week of the programme, from 1.")
    title = models.CharField(max_length=120, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    worst_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    sharp_pain = models.BooleanField(null=True, blank=True)
    next_morning = models.CharField(max_length=10, choices=MORNING_CHOICES, blank=True)
    next_morning_pain = models.PositiveSmallIntegerField(null=True, blank=True)
    # Set by the gating rule (programmes/gating.py): why the session holds less than its template,
    # and whether it was emptied down to a recovery session, which never counts for adherence.
    gating_note = models.TextField(blank=True)
    is_recovery = models.BooleanField(default=False)
    # What the session adds up to, kept with it so that a team's adherence and Nordic dose are
    # read from its sessions alone (docs/architecture.md#services-selectors-and-views): the sets
    # of its exercises not stopped, the sets logged in those, and the reps logged in its Nordic
    # exercises. Only programmes/services/totals.py writes them, after every write to an exercise
    # or a set log; no rule reads them (gating never does), only pages.
    sets_counted = models.PositiveIntegerField(default=0, editable=False)
    sets_logged = models.PositiveIntegerField(default=0, editable=False)
    nordic_reps = models.PositiveIntegerField(default=0, editable=False)

    objects = ScheduledSessionQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["athlete", "date"], name="session_athlete_date_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(worst_pain__lte=10), name="session_pain_0_to_10"),
            models.CheckConstraint(condition=Q(next_morning_pain__lte=10), name="session_morning_pain_0_to_10"),
        ]

    def __str__(self):
        return f"{self.athlete} · {self.date}"

    def status(self, today: date) -> str:
        if self.completed_at:
            return "done"
        return "missed" if self.date < today else "upcoming"


class PrescribedExercise(DoseMixin, models.Model):
    """What the athlete is to do in one session: the target kept beside what they log."""

    session = models.ForeignKey(ScheduledSession, on_delete=models.CASCADE, related_name="exercises")
    order = models.PositiveSmallIntegerField()
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    family = models.CharField(max_length=20, choices=FAMILY_CHOICES)
    template_entry = models.ForeignKey(TemplateEntry, on_delete=models.SET_NULL, null=True, related_name="+")
    sets = models.PositiveSmallIntegerField()
    reps_min = models.PositiveSmallIntegerField()
    reps_max = models.PositiveSmallIntegerField()
    reps_by_set = models.CharField(max_length=40, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    load = models.CharField(max_length=120, blank=True)
    rom_target = models.CharField(max_length=80, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=90)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For timed runs and walks.")
    # A prescription with a set already logged is never deleted; when the gating rule forbids it
    # afterwards it is withheld: shown struck through with the reason, and no more sets are taken.
    withheld_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["session", "order"]
        indexes = [models.Index(fields=["family", "session"], name="prescribed_family_idx")]

    def __str__(self):
        return f"{self.exercise}: {self.dose_label}"


class SetLog(models.Model):
    """One set as done. One row per set: a retried tap cannot log the same set twice."""

    prescribed = models.ForeignKey(PrescribedExercise, on_delete=models.CASCADE, related_name="set_logs")
    set_number = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField()
    # The load lifted, in kilograms whatever the athlete's unit (programmes/loads.py converts);
    # empty for bodyweight or none.
    load_kg = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    # What the athlete wrote beside the set that is not a load: a run's note; or, for sets logged
    # before loads were numbers, words that did not read as one ("red band").
    note = models.CharField(max_length=120, blank=True)
    logged_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["prescribed", "set_number"]
        constraints = [
            models.UniqueConstraint(fields=["prescribed", "set_number"], name="one_log_per_set"),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True) | Q(load_kg__gte=0, load_kg__lte=loads.MAX_KG), name="setlog_load_0_to_500_kg"
            ),
        ]


class LadderPosition(models.Model):
    """Where an athlete stands on one family's ladder."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="ladder_positions")
    family = models.CharField(max_length=20, choices=FAMILY_CHOICES)
    rung = models.PositiveSmallIntegerField()
    # When the athlete came onto this rung: progression counts sessions from here, so it changes
    # only when the rung does (docs/clinical-rules.md#pain-guided-progression).
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["athlete", "family"], name="one_position_per_family")]


class ProgressionDecision(models.Model):
    """What the progression engine decided after a session, and why; one per family and session."""

    session = models.ForeignKey(ScheduledSession, on_delete=models.CASCADE, related_name="decisions")
    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="progression_decisions")
    family = models.CharField(max_length=20, choices=FAMILY_CHOICES)
    decision = models.CharField(max_length=10, choices=DECISION_CHOICES)
    from_rung = models.PositiveSmallIntegerField()
    to_rung = models.PositiveSmallIntegerField()
    reason = models.TextField()
    alert_coach = models.BooleanField(default=False)
    offer_retriage = models.BooleanField(default=False)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["session", "family"], name="one_decision_per_family_session")]
        indexes = [
            # The coaches' open alerts.
            models.Index(fields=["athlete"], condition=Q(alert_coach=True, resolved_at__isnull=True), name="open_alert_idx"),
        ]
