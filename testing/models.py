"""Strength and range tests: the tests coaches record and each athlete's results.

Measured return-to-training criteria: the arithmetic is testing/measures.py (plain Python). The
tables kept their names when the models moved here from injuries (issue 15): ``db_table`` below.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import RowNumber

from athletes.models import Athlete
from injuries.models import ChecklistItem

from .measures import format_number


class TestType(models.Model):
    """A strength, range or speed test coaches record; admins manage these and their thresholds.

    Tests linked to a checklist item (strength or flexibility) tick it when the latest result
    since the injury is within the thresholds (testing/services.py, ``clearance_apply_measures``).
    """

    __test__ = False  # not a pytest test class, whatever its name

    CHECKLIST_ITEMS = [(item.value, item.label)
                       for item in (ChecklistItem.STRENGTH, ChecklistItem.FLEXIBILITY, ChecklistItem.SPRINT)]

    name = models.CharField(max_length=80, unique=True)
    key = models.SlugField(
        max_length=30, unique=True, help_text="Short name used in CSV imports, e.g. nordic. Change it with care."
    )
    unit = models.CharField(max_length=12, help_text="e.g. N, °, s")
    description = models.CharField(max_length=300, blank=True, help_text="How and with what it is measured.")
    bilateral = models.BooleanField(default=True, help_text="Measured on each leg (left and right).")
    higher_is_better = models.BooleanField(default=True, help_text="Untick for times, where lower is better.")
    checklist_item = models.CharField(
        max_length=30,
        choices=CHECKLIST_ITEMS,
        blank=True,
        help_text="The return-to-training checklist item this test decides, if any.",
    )
    asymmetry_threshold_pct = models.DecimalField(
        "asymmetry threshold (%)", max_digits=4, decimal_places=1, default=10,
        help_text="Largest left/right difference, as a % of the larger side, that still counts as met.",
    )
    baseline_threshold_pct = models.DecimalField(
        "baseline threshold (%)", max_digits=4, decimal_places=1, null=True, blank=True, default=10,
        help_text="Largest loss against the athlete's last result before the injury; empty: not checked.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "injuries_testtype"  # created by injuries' migrations, before the move
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(asymmetry_threshold_pct__gte=0) & Q(asymmetry_threshold_pct__lte=100),
                name="testtype_asymmetry_threshold_pct",
            ),
            models.CheckConstraint(
                condition=Q(baseline_threshold_pct__isnull=True)
                | (Q(baseline_threshold_pct__gte=0) & Q(baseline_threshold_pct__lte=100)),
                name="testtype_baseline_threshold_pct",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


class TestResultQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(athlete__in=Athlete.objects.for_user(user))

    def latest_per_athlete_and_test(self):
        """Each athlete's latest result in each test, in one query whatever the squad size.

        A window (not DISTINCT ON) so that it runs on SQLite for `make run` as well as PostgreSQL.
        """
        recency = models.Window(
            RowNumber(),
            partition_by=[models.F("athlete_id"), models.F("test_type_id")],
            order_by=[models.F("tested_on").desc(), models.F("id").desc()],
        )
        return self.annotate(recency=recency).filter(recency=1)


class TestResult(models.Model):
    """One athlete's result in one test on one day.

    Bilateral tests store ``left`` and ``right`` (both required); single-value tests (sprints)
    store ``value`` and leave the legs empty. One result per athlete, test and day: a coach
    records the best attempt of a session.
    """

    __test__ = False

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="test_results")
    test_type = models.ForeignKey(TestType, on_delete=models.PROTECT, related_name="results")
    tested_on = models.DateField()
    left = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    right = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    value = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TestResultQuerySet.as_manager()

    class Meta:
        db_table = "injuries_testresult"  # created by injuries' migrations, before the move
        ordering = ["tested_on", "id"]
        constraints = [
            # Its index (athlete, test_type, tested_on) also serves "the latest result per athlete
            # and test" (the checklist auto-tick, the screening table) and the athlete's trends.
            models.UniqueConstraint(fields=["athlete", "test_type", "tested_on"], name="one_result_per_test_and_day"),
            models.CheckConstraint(
                condition=Q(value__isnull=True, left__isnull=False, right__isnull=False)
                | Q(value__isnull=False, left__isnull=True, right__isnull=True),
                name="testresult_both_legs_or_one_value",
            ),
            models.CheckConstraint(
                condition=(Q(left__isnull=True) | Q(left__gte=0))
                & (Q(right__isnull=True) | Q(right__gte=0))
                & (Q(value__isnull=True) | Q(value__gte=0)),
                name="testresult_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.athlete} · {self.test_type.name} · {self.tested_on}"

    # The numbers as a coach writes them: 180.2, not 180.20.
    @property
    def left_text(self) -> str:
        return format_number(self.left)

    @property
    def right_text(self) -> str:
        return format_number(self.right)

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    def clean(self):
        """The shape of the values follows the test (for the admin's forms; services check it too)."""
        if self.test_type_id is None:
            return
        if self.test_type.bilateral and (self.left is None or self.right is None or self.value is not None):
            raise ValidationError(f"{self.test_type.name} needs a left and a right value, and no single value.")
        if not self.test_type.bilateral and (self.value is None or self.left is not None or self.right is not None):
            raise ValidationError(f"{self.test_type.name} needs a single value, and no left or right.")
