"""Strength and range tests: asymmetry, change against a baseline, the checklist verdict, and the
geometry of the trend charts.

Plain Python on purpose (no Django import), like ``triage.py``: frozen dataclasses in, frozen
dataclasses out, tested without a database. The criteria are docs/clinical-rules.md's "strength
within about 10% of the other side" and "flexibility like the other side", plus the athlete's own
pre-injury baseline; the thresholds are data (``Rule``), tuned by admins on each test type.

Percentages are decided as shown: rounded half up to one decimal place, so that a tick always
agrees with the number on the screen (9.96% shows as 10.0% and passes a 10% limit).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HUNDRED = Decimal(100)
PERCENT_PLACES = Decimal("0.1")
DEFAULT_THRESHOLD_PCT = Decimal(10)


class MeasureError(ValueError):
    """A reading that cannot be a test result (negative, missing a leg, both shapes at once)."""


class Leg(enum.StrEnum):
    LEFT = "left"
    RIGHT = "right"


BOTH_LEGS = frozenset({Leg.LEFT, Leg.RIGHT})


def to_decimal(number) -> Decimal:
    """Decimals stay exact; floats go through their shortest repr (0.1 stays 0.1)."""
    if isinstance(number, Decimal):
        return number
    try:
        return Decimal(str(number))
    except InvalidOperation as error:
        raise MeasureError(f"{number!r} is not a number.") from error


def rounded_pct(pct: Decimal) -> Decimal:
    return pct.quantize(PERCENT_PLACES, rounding=ROUND_HALF_UP)


def format_number(number: Decimal | None) -> str:
    """310.00 → "310", 1.20 → "1.2": what a coach would write."""
    if number is None:
        return ""
    return f"{to_decimal(number).normalize():f}"


# --- Readings and arithmetic ---------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """One result: both legs for a bilateral test, or a single value (a sprint time)."""

    left: Decimal | None = None
    right: Decimal | None = None
    value: Decimal | None = None

    def __post_init__(self):
        for name in ("left", "right", "value"):
            number = getattr(self, name)
            if number is None:
                continue
            number = to_decimal(number)
            if not number.is_finite() or number < 0:
                raise MeasureError(f"{name} must be a number of 0 or more, not {number}.")
            object.__setattr__(self, name, number)
        legs = (self.left is not None, self.right is not None)
        if self.value is None and legs != (True, True):
            raise MeasureError("A bilateral result needs both legs.")
        if self.value is not None and any(legs):
            raise MeasureError("A result is either both legs or one value, not both.")

    @property
    def bilateral(self) -> bool:
        return self.value is None

    def leg(self, leg: Leg) -> Decimal:
        return self.left if leg is Leg.LEFT else self.right


def asymmetry_pct(left, right) -> Decimal:
    """The difference between the legs as a percentage of the larger value: |L − R| / max(L, R) × 100.

    Symmetric in the legs, 0 when they are equal, and 0 when both are 0 (no difference to speak
    of, rather than a division by zero); 100 when only one leg produced anything. The same
    formula serves tests where lower is better (times): the larger value is then the worse leg,
    and the difference is still a share of it, so the result stays between 0 and 100.
    """
    left, right = to_decimal(left), to_decimal(right)
    if left < 0 or right < 0:
        raise MeasureError("Test values cannot be negative.")
    larger = max(left, right)
    if larger == 0:
        return Decimal(0)
    return abs(left - right) * HUNDRED / larger


def change_pct(baseline, current) -> Decimal | None:
    """The change from the baseline in percent of the baseline; None when the baseline is 0."""
    baseline, current = to_decimal(baseline), to_decimal(current)
    if baseline == 0:
        return None
    return (current - baseline) * HUNDRED / baseline


def weaker_leg(reading: Reading, higher_is_better: bool = True) -> Leg | None:
    """The leg with the worse value, None when they are equal or the test has one value."""
    if not reading.bilateral or reading.left == reading.right:
        return None
    left_worse = reading.left < reading.right if higher_is_better else reading.left > reading.right
    return Leg.LEFT if left_worse else Leg.RIGHT


# --- The checklist verdict -----------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How one test type is judged; the thresholds are the admin-tuned numbers."""

    bilateral: bool
    higher_is_better: bool = True
    asymmetry_threshold_pct: Decimal = DEFAULT_THRESHOLD_PCT
    baseline_threshold_pct: Decimal | None = DEFAULT_THRESHOLD_PCT  # None: baseline not checked


@dataclass(frozen=True)
class BaselineChange:
    leg: Leg | None  # None for a single-value test
    pct: Decimal  # signed and rounded: −3.2 is 3.2% lower than before the injury
    ok: bool


@dataclass(frozen=True)
class Assessment:
    """One test's latest result judged against the rule; ``met`` is None when nothing decides."""

    asymmetry_pct: Decimal | None = None  # rounded
    asymmetry_ok: bool | None = None
    baseline_changes: tuple[BaselineChange, ...] = ()
    baseline_ok: bool | None = None
    met: bool | None = None
    reasons: tuple[str, ...] = field(default_factory=tuple)


def _pct(value: Decimal) -> str:
    return f"{format_number(value)}%"


def _baseline_changes(latest: Reading, baseline: Reading, rule: Rule, injured: frozenset[Leg]):
    """The injured leg(s) against their own pre-injury values; a leg with a 0 baseline is skipped."""
    pairs = (
        [(leg, baseline.leg(leg), latest.leg(leg)) for leg in (Leg.LEFT, Leg.RIGHT) if leg in injured]
        if rule.bilateral
        else [(None, baseline.value, latest.value)]
    )
    limit = rule.baseline_threshold_pct
    changes = []
    for leg, before, now in pairs:
        pct = change_pct(before, now)
        if pct is None:
            continue
        pct = rounded_pct(pct)
        ok = pct >= -limit if rule.higher_is_better else pct <= limit
        changes.append(BaselineChange(leg, pct, ok))
    return tuple(changes)


def assess(
    latest: Reading | None,
    baseline: Reading | None,
    rule: Rule,
    injured: frozenset[Leg] = BOTH_LEGS,
) -> Assessment:
    """Judge the latest result since the injury against the rule.

    1. No result since the injury: nothing is decided.
    2. Bilateral tests: the asymmetry must be at most the asymmetry threshold.
    3. With a baseline (the last result before the injury) and a baseline threshold, the injured
       leg (both legs when both or either could be) must be no more than the threshold worse than
       before; for a single-value test, the value itself. Better than before always passes.
    4. Met when every check that could be made passed; a single-value test without a baseline
       decides nothing.
    """
    if latest is None:
        return Assessment(reasons=("Not measured since the injury.",))
    if latest.bilateral != rule.bilateral or (baseline is not None and baseline.bilateral != rule.bilateral):
        raise MeasureError("The result's shape does not match the test (both legs or one value).")
    reasons = []
    asymmetry = asymmetry_ok = None
    if rule.bilateral:
        asymmetry = rounded_pct(asymmetry_pct(latest.left, latest.right))
        asymmetry_ok = asymmetry <= rule.asymmetry_threshold_pct
        word = "within" if asymmetry_ok else "over"
        reasons.append(f"Asymmetry {asymmetry}%, {word} the {_pct(rule.asymmetry_threshold_pct)} limit.")
    changes: tuple[BaselineChange, ...] = ()
    baseline_ok = None
    if baseline is not None and rule.baseline_threshold_pct is not None:
        changes = _baseline_changes(latest, baseline, rule, injured or BOTH_LEGS)
        if changes:
            baseline_ok = all(change.ok for change in changes)
            limit = _pct(rule.baseline_threshold_pct)
            for change in changes:
                who = f"{change.leg.value.capitalize()} leg" if change.leg else "Result"
                word = "within" if change.ok else "outside"
                reasons.append(f"{who} {change.pct:+}% against the pre-injury baseline, {word} the {limit} limit.")
    elif rule.baseline_threshold_pct is not None:
        reasons.append("No result before the injury to compare with.")
    decided = [ok for ok in (asymmetry_ok, baseline_ok) if ok is not None]
    met = all(decided) if decided else None
    return Assessment(asymmetry, asymmetry_ok, changes, baseline_ok, met, tuple(reasons))


def checklist_verdict(assessments: Iterable[Assessment]) -> bool | None:
    """A checklist item is met when every test that decided something passed; None if none did."""
    decided = [assessment.met for assessment in assessments if assessment.met is not None]
    return all(decided) if decided else None


# --- Trend charts --------------------------------------------------------------------------------
# Laid out on a fixed viewBox; the template only places the shapes (as injuries/timeline.py does).

# Narrow enough that 13px labels stay legible when a phone shrinks the chart to its width.
CHART_WIDTH = 420
CHART_HEIGHT = 240
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 52, 404, 34, 200


@dataclass(frozen=True)
class DatedReading:
    day: date
    reading: Reading


@dataclass(frozen=True)
class ChartMarker:
    day: date
    label: str
    kind: str  # "onset" or "return": the CSS class of the line


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    day: date
    value: Decimal

    @property
    def label(self) -> str:
        return format_number(self.value)


@dataclass(frozen=True)
class ChartSeries:
    key: str  # "left", "right" or "value": the CSS class of the line
    label: str
    points: tuple[ChartPoint, ...]

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True)
class PlacedMarker:
    x: float
    day: date
    label: str
    kind: str


@dataclass(frozen=True)
class XTick:
    x: float
    day: date


@dataclass(frozen=True)
class YTick:
    y: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    series: tuple[ChartSeries, ...]
    markers: tuple[PlacedMarker, ...]
    x_ticks: tuple[XTick, ...]
    y_ticks: tuple[YTick, ...]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    plot_left: int = PLOT_LEFT
    plot_right: int = PLOT_RIGHT
    plot_top: int = PLOT_TOP
    plot_bottom: int = PLOT_BOTTOM

    @property
    def marker_kinds(self) -> set[str]:
        return {marker.kind for marker in self.markers}


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering low..high."""
    if high - low < 0.01:  # one value (results have two decimals): open the axis around it
        pad = abs(low) * 0.1 if abs(low) >= 1 else 1.0
        low, high = (max(low - pad, 0.0) if low >= 0 else low - pad), high + pad
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks, n = [], 0
    while first + n * step <= last + step / 1000:
        ticks.append(round(first + n * step, 10))
        n += 1
    return ticks


def _tick_label(value: float) -> str:
    return f"{value:g}"


def trend_chart(readings: Sequence[DatedReading], markers: Sequence[ChartMarker] = ()) -> TrendChart | None:
    """A line per leg (or one for a single-value test) over time, with the injury markers.

    The time axis spans the results and the markers; the value axis has round ticks around
    the results. None without results.
    """
    readings = sorted(readings, key=lambda r: r.day)
    if not readings:
        return None
    days = [r.day for r in readings] + [m.day for m in markers]
    start, end = min(days), max(days)
    if (end - start).days < 6:
        start, end = start - timedelta(days=3), end + timedelta(days=3)
    span = (end - start).days

    bilateral = readings[0].reading.bilateral
    keys = [("left", "Left leg"), ("right", "Right leg")] if bilateral else [("value", "Result")]
    numbers = [float(getattr(r.reading, key)) for r in readings for key, _ in keys]
    ticks = nice_ticks(min(numbers), max(numbers))
    low, high = ticks[0], ticks[-1]

    def x(day: date) -> float:
        return round(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (day - start).days / span, 1)

    def y(number: float) -> float:
        return round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (number - low) / (high - low), 1)

    series = tuple(
        ChartSeries(
            key,
            label,
            tuple(
                ChartPoint(x(r.day), y(float(getattr(r.reading, key))), r.day, getattr(r.reading, key))
                for r in readings
            ),
        )
        for key, label in keys
    )
    step = max(span // 3, 1)
    x_ticks = tuple(XTick(x(start + timedelta(days=d)), start + timedelta(days=d)) for d in range(0, span + 1, step))
    return TrendChart(
        series=series,
        markers=tuple(PlacedMarker(x(m.day), m.day, m.label, m.kind) for m in sorted(markers, key=lambda m: m.day)),
        x_ticks=x_ticks,
        y_ticks=tuple(YTick(y(t), _tick_label(t)) for t in ticks),
    )
