"""Strength and range tests: recording and deleting results, re-applying a test's thresholds,
and what the results say about an injury's measured checklist items (the evidence).

The arithmetic is testing/measures.py (plain Python). The checklist belongs to injuries, which
sits below: this app registers ``clearance_evidence`` as its evidence provider
(injuries/evidence.py, in ``TestingConfig.ready``) and calls injuries' services to tick or untick
the measured items when results change (docs/architecture.md#layers).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import ClassVar

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format

from athletes.locks import lock_athletes
from injuries import services as injury_services
from injuries import triage as t
from injuries.events import Event, announce
from injuries.models import Injury

from . import measures as m
from .models import TestResult, TestType

LARGEST_VALUE = Decimal("999999.99")  # TestResult's columns: 8 digits, 2 after the point
CENTS = Decimal("0.01")


class TestResultError(injury_services.InjuryError):
    """A result that cannot be saved; the message says why."""

    __test__ = False


def rule_for(test_type: TestType) -> m.Rule:
    return m.Rule(
        bilateral=test_type.bilateral,
        higher_is_better=test_type.higher_is_better,
        asymmetry_threshold_pct=test_type.asymmetry_threshold_pct,
        baseline_threshold_pct=test_type.baseline_threshold_pct,
    )


def reading_of(result: TestResult) -> m.Reading:
    return m.Reading(result.left, result.right, result.value)


def injured_legs(injury: Injury) -> frozenset[m.Leg]:
    return m.BOTH_LEGS if injury.side == t.Side.BOTH else frozenset({m.Leg(injury.side)})


@dataclass(frozen=True)
class TestEvidence:
    """One test's say on a checklist item: its latest result since the injury and its baseline."""

    __test__ = False

    test_type: TestType
    latest: TestResult | None
    baseline: TestResult | None
    assessment: m.Assessment


@dataclass(frozen=True)
class ItemEvidence:
    item: str
    tests: tuple[TestEvidence, ...]
    met: bool | None  # None: nothing measured decides it

    template_name: ClassVar[str] = "testing/_check_evidence.html"  # on the injury's checklist

    @property
    def measured(self) -> tuple[TestEvidence, ...]:
        return tuple(test for test in self.tests if test.latest is not None)


def clearance_evidence(injury: Injury) -> dict[str, ItemEvidence]:
    """What the measured tests say about an injury's strength and flexibility items.

    The baseline is a test's last result before the day of onset; the evidence of recovery its
    latest result after it (up to the day of clearing, once cleared). A result on the day of
    onset is neither: nobody can tell whether it came before or after the injury. Two queries.
    """
    test_types = list(TestType.objects.exclude(checklist_item=""))
    if not test_types:
        return {}
    results = TestResult.objects.filter(athlete_id=injury.athlete_id, test_type__in=test_types).exclude(
        tested_on=injury.onset_date
    )
    if injury.cleared_on:
        results = results.filter(tested_on__lte=injury.cleared_on)
    by_type = defaultdict(list)
    for result in results.order_by("tested_on", "id"):
        by_type[result.test_type_id].append(result)
    legs = injured_legs(injury)
    tests_by_item = defaultdict(list)
    for test_type in test_types:
        before = [r for r in by_type[test_type.pk] if r.tested_on < injury.onset_date]
        after = [r for r in by_type[test_type.pk] if r.tested_on > injury.onset_date]
        latest, baseline = (after[-1] if after else None), (before[-1] if before else None)
        assessment = m.assess(
            reading_of(latest) if latest else None,
            reading_of(baseline) if baseline else None,
            rule_for(test_type),
            legs,
        )
        tests_by_item[test_type.checklist_item].append(TestEvidence(test_type, latest, baseline, assessment))
    return {
        item: ItemEvidence(item, tuple(tests), m.checklist_verdict(test.assessment for test in tests))
        for item, tests in tests_by_item.items()
    }


@transaction.atomic
def clearance_apply_measures(*, athlete_ids, changed_by) -> None:
    """Re-judge the strength and flexibility items of these athletes' open injuries."""
    athlete_ids = sorted(set(athlete_ids))
    lock_athletes(*athlete_ids)
    for injury in Injury.objects.open().filter(athlete_id__in=athlete_ids).order_by("pk"):
        injury_services.clearance_apply_evidence(
            injury=injury, evidence=clearance_evidence(injury), changed_by=changed_by
        )
    for athlete_id in athlete_ids:
        announce(Event.TEST_RECORDED, athlete_id)  # programmes re-gates, in this transaction


def test_type_reapply(*, test_type: TestType, changed_by) -> None:
    """After an admin tunes a test's thresholds or its checklist item."""
    athlete_ids = TestResult.objects.filter(test_type=test_type).values_list("athlete_id", flat=True).distinct()
    clearance_apply_measures(athlete_ids=athlete_ids, changed_by=changed_by)


def _to_amount(number, name: str) -> Decimal | None:
    if number is None or number == "":
        return None
    try:
        amount = Decimal(str(number).strip())
    except InvalidOperation:
        hint = " (write decimals with a point: 312.5)" if "," in str(number) else ""
        raise TestResultError(f"{name.capitalize()} “{number}” is not a number{hint}.") from None
    if not amount.is_finite() or amount < 0:
        raise TestResultError(f"{name.capitalize()} must be a number of 0 or more.")
    # Compared before rounding too: 1e400 cannot be rounded to cents.
    if amount > LARGEST_VALUE or amount.quantize(CENTS, rounding=ROUND_HALF_UP) > LARGEST_VALUE:
        raise TestResultError(f"{name.capitalize()} {number} is too large.")
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def test_result_values(test_type: TestType, *, left=None, right=None, value=None) -> dict:
    """The columns to store, checked against the test's shape (both legs or one value)."""
    values = {
        "left": _to_amount(left, "left"),
        "right": _to_amount(right, "right"),
        "value": _to_amount(value, "value"),
    }
    if test_type.bilateral:
        if values["left"] is None or values["right"] is None or values["value"] is not None:
            raise TestResultError(
                f"{test_type.name} is measured on each leg: fill in left and right, and leave value empty."
            )
    elif values["value"] is None or values["left"] is not None or values["right"] is not None:
        raise TestResultError(f"{test_type.name} has one value: fill in value, and leave left and right empty.")
    return values


@transaction.atomic
def test_result_record(
    *, athlete, test_type: TestType, tested_on: date, recorded_by, left=None, right=None, value=None, notes: str = ""
) -> TestResult:
    """Record one result and let it tick (or untick) the athlete's measured checklist items."""
    values = test_result_values(test_type, left=left, right=right, value=value)
    lock_athletes(athlete.pk)
    if tested_on > timezone.localdate():
        raise TestResultError("The test date is in the future.")
    clash = TestResultError(
        f"{athlete.full_name} already has a {test_type.name} result on {date_format(tested_on)}. "
        "Delete it on the tests page first to record another."
    )
    if TestResult.objects.filter(athlete=athlete, test_type=test_type, tested_on=tested_on).exists():
        raise clash
    try:
        with transaction.atomic():
            result = TestResult.objects.create(
                athlete=athlete, test_type=test_type, tested_on=tested_on, notes=notes.strip(),
                recorded_by=recorded_by, **values,
            )
    except IntegrityError:  # recorded by someone else a moment ago
        raise clash from None
    clearance_apply_measures(athlete_ids=[athlete.pk], changed_by=recorded_by)
    return result


@transaction.atomic
def test_result_delete(*, result: TestResult, deleted_by) -> None:
    athlete_id = result.athlete_id
    lock_athletes(athlete_id)
    result.delete()
    clearance_apply_measures(athlete_ids=[athlete_id], changed_by=deleted_by)


# Services whose names start with "test": pytest would collect them from a test module that
# imported them by name.
for _service in (test_result_values, test_result_record, test_result_delete, test_type_reapply):
    _service.__test__ = False
