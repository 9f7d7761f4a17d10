"""Load, exposure and risk: what the hamstring sees outside coachapp's own sessions.

Session RPE and minutes, the daily wellness check, GPS rows imported from a team's export (and
the team's saved column mappings), each athlete's maximal velocity, and hamstring injuries from
before the athlete joined. The arithmetic is monitoring/measures.py (docs/load-and-risk.md).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from athletes.models import Athlete, Team
from injuries.models.complaints import SIDE_CHOICES

from . import measures as m


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user):
        """Rows of the athletes the user may see: the one access rule (athletes/models.py)."""
        return self.filter(athlete__in=Athlete.objects.for_user(user))


class SessionKind(models.TextChoices):
    TRAINING = "training", "Training"
    MATCH = "match", "Match"


class LoggedBy(models.TextChoices):
    ATHLETE = "athlete", "The athlete"
    COACH = "coach", "A coach"


class SessionRpe(models.Model):
    """How hard a training session or match felt (0-10, asked about 30 minutes after) and how long
    it lasted: its load is RPE × minutes (docs/load-and-risk.md#session-load).

    One row per athlete, day, kind and label: logging the same session again corrects it."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="session_rpes")
    date = models.DateField()
    kind = models.CharField(max_length=10, choices=SessionKind.choices, default=SessionKind.TRAINING)
    label = models.CharField(max_length=40, blank=True, help_text="To tell two sessions of one day apart, e.g. AM, PM.")
    rpe = models.PositiveSmallIntegerField("effort (0-10)")
    minutes = models.PositiveSmallIntegerField()
    hamstring_pain = models.PositiveSmallIntegerField(
        "worst hamstring pain (0-10)", null=True, blank=True,
        help_text="Asked after a sprint session: a maximal sprint counts for the return checklist only with pain 0.",
    )
    logged_by = models.CharField(max_length=10, choices=LoggedBy.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "session RPE"
        constraints = [
            # Its index (athlete, date, ...) serves the weekly loads of an athlete and a team.
            models.UniqueConstraint(fields=["athlete", "date", "kind", "label"], name="one_rpe_per_session"),
            models.CheckConstraint(condition=Q(rpe__lte=m.RPE_MAX), name="session_rpe_0_to_10"),
            models.CheckConstraint(condition=Q(minutes__gte=1, minutes__lte=m.MINUTES_MAX), name="session_rpe_minutes"),
            models.CheckConstraint(condition=Q(hamstring_pain__lte=10), name="session_rpe_pain_0_to_10"),
        ]

    def __str__(self):
        return f"{self.athlete} · {self.date} · {self.get_kind_display()}"

    @property
    def load(self) -> int:
        return m.session_load(self.rpe, self.minutes)


class Sleep(models.IntegerChoices):
    VERY_POOR = 1, "Very poor"
    POOR = 2, "Poor"
    OK = 3, "All right"
    GOOD = 4, "Good"
    VERY_GOOD = 5, "Very good"


class Mood(models.IntegerChoices):
    VERY_LOW = 1, "Very low"
    LOW = 2, "Low"
    OK = 3, "All right"
    GOOD = 4, "Good"
    VERY_GOOD = 5, "Very good"


class Wellness(models.Model):
    """The daily wellness check: one per athlete per day, under 20 seconds on the phone.

    Soreness and tightness use the pain scale's words: 0 none, 10 the worst imaginable.
    Tightness worsening two mornings running alerts the coaches (docs/load-and-risk.md#tightness)."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="wellness")
    date = models.DateField()
    sleep = models.PositiveSmallIntegerField("last night's sleep", choices=Sleep.choices)
    soreness = models.PositiveSmallIntegerField("general soreness (0 none – 10 worst)")
    tightness_left = models.PositiveSmallIntegerField("left hamstring tightness (0 none – 10 worst)")
    tightness_right = models.PositiveSmallIntegerField("right hamstring tightness (0 none – 10 worst)")
    mood = models.PositiveSmallIntegerField(choices=Mood.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name_plural = "wellness checks"
        constraints = [
            models.UniqueConstraint(fields=["athlete", "date"], name="one_wellness_per_day"),
            models.CheckConstraint(condition=Q(sleep__gte=1, sleep__lte=5), name="wellness_sleep_1_to_5"),
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=5), name="wellness_mood_1_to_5"),
            models.CheckConstraint(
                condition=Q(soreness__lte=10, tightness_left__lte=10, tightness_right__lte=10),
                name="wellness_0_to_10",
            ),
        ]

    def __str__(self):
        return f"{self.athlete} · {self.date}"

    @property
    def morning(self) -> m.Morning:
        return m.Morning(self.date, self.tightness_left, self.tightness_right)


class GpsMapping(models.Model):
    """A team's GPS export, mapped once to our fields and reused: ``columns`` is
    {our field: the export's column name}, plus "velocity_unit" ("m/s" or "km/h")."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="gps_mappings")
    name = models.CharField(max_length=80)
    preset = models.CharField(max_length=20, blank=True, help_text="The preset it started from, if any.")
    columns = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "name"]
        verbose_name = "GPS column mapping"
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="one_gps_mapping_name_per_team")]

    def __str__(self):
        return f"{self.team}: {self.name}"


class GpsImport(models.Model):
    """One imported file: where each GPS row came from."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="gps_imports")
    mapping = models.ForeignKey(GpsMapping, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports")
    file_name = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "GPS import"

    def __str__(self):
        return f"{self.team} · {self.created_at:%Y-%m-%d %H:%M}"


class GpsRow(models.Model):
    """One athlete's GPS session, in metres and metres per second."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="gps_rows")
    date = models.DateField()
    session_label = models.CharField(max_length=80, blank=True)
    minutes = models.DecimalField(max_digits=6, decimal_places=1)
    total_distance_m = models.DecimalField("total distance (m)", max_digits=8, decimal_places=1)
    hsr_m = models.DecimalField("high-speed running (m)", max_digits=8, decimal_places=1)
    sprint_m = models.DecimalField("sprint distance (m)", max_digits=8, decimal_places=1, null=True, blank=True)
    max_velocity = models.DecimalField("maximal velocity (m/s)", max_digits=5, decimal_places=2, null=True, blank=True)
    source = models.ForeignKey(GpsImport, on_delete=models.CASCADE, null=True, blank=True, related_name="gps_rows")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "GPS row"
        constraints = [
            # Its index (athlete, date, label) also serves an athlete's weeks and exposure.
            models.UniqueConstraint(fields=["athlete", "date", "session_label"], name="one_gps_row_per_session"),
            models.CheckConstraint(
                condition=Q(minutes__gte=0, total_distance_m__gte=0, hsr_m__gte=0)
                & (Q(sprint_m__isnull=True) | Q(sprint_m__gte=0))
                & (Q(max_velocity__isnull=True) | Q(max_velocity__gte=0, max_velocity__lte=15)),
                name="gps_row_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.athlete} · {self.date} {self.session_label}".strip()

    @property
    def run(self) -> m.GpsRun:
        return m.GpsRun(self.date, self.hsr_m, self.max_velocity)


class MaxVelocity(models.Model):
    """The athlete's maximal velocity: the best measured on GPS, or what a coach entered (a timed
    flying sprint, say). The exposure flags count runs against it (docs/load-and-risk.md)."""

    class Source(models.TextChoices):
        GPS = "gps", "Best on GPS"
        COACH = "coach", "Entered by a coach"

    athlete = models.OneToOneField(Athlete, on_delete=models.CASCADE, related_name="max_velocity")
    velocity = models.DecimalField("maximal velocity (m/s)", max_digits=5, decimal_places=2)
    measured_on = models.DateField()
    source = models.CharField(max_length=10, choices=Source.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "maximal velocity"
        verbose_name_plural = "maximal velocities"
        constraints = [
            models.CheckConstraint(condition=Q(velocity__gt=0, velocity__lte=15), name="max_velocity_0_to_15"),
        ]

    def __str__(self):
        return f"{self.athlete}: {self.velocity} m/s"


class PriorInjury(models.Model):
    """A hamstring injury before the athlete joined (or otherwise not recorded in coachapp),
    entered by a coach: the strongest known risk factor (docs/load-and-risk.md#risk-profile)."""

    class Grade(models.TextChoices):
        UNKNOWN = "", "Not known"
        ONE = "1", "Grade 1"
        TWO = "2", "Grade 2"
        THREE = "3", "Grade 3"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="prior_injuries")
    approx_date = models.DateField("about when", help_text="The first of the month will do.")
    side = models.CharField(max_length=5, choices=SIDE_CHOICES)
    grade = models.CharField(max_length=1, choices=Grade.choices, blank=True)
    notes = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-approx_date", "-id"]
        verbose_name_plural = "prior injuries"
        indexes = [models.Index(fields=["athlete"], name="prior_injury_athlete_idx")]

    def __str__(self):
        return f"{self.athlete}: {self.get_side_display()} ({self.approx_date:%b %Y})"
