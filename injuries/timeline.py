"""Geometry for the server-drawn SVG timelines (no chart library).

Everything is laid out on a 1000-unit-wide axis of days; the templates only place the shapes, in
percent of the drawing's width, so the SVG stretches to its card without stretching its text.

The date labels under an axis never overlap and never leave the card, whatever its width: the
server cannot know that width, so it lays the labels out for the narrowest card a timeline sits in
(a phone) and marks the ones that fit only from a wider card as minor (app.css shows those from
WIDE_PX up). Each label is anchored so that it stays inside the drawing: at the start near the
left edge, at the end near the right edge, centred elsewhere.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .sides import side_words

WIDTH = 1000
MIN_SPAN = 6.0  # a one-day bar stays visible (0.6 % of the width)

PHASE_COLOURS = {
    "protect": "#a4161a",
    "rehab": "#b35c00",
    "return_to_training": "#0b5cad",
    "cleared": "#1e6b34",
}
CLASSIFICATION_COLOURS = {
    "cramp": "#6b7785",
    "doms": "#6b7785",
    "grade_1": "#b35c00",
    "grade_2": "#a4161a",
    "grade_3": "#5c0a0d",
}

# Label layout, in CSS pixels (app.css: .tl-tick is 13 px). A character is taken as wide as the
# widest of the usual system fonts draws it, so an estimate errs on the side of fewer labels.
NARROW_PX = 280  # the card of a 360 px phone
WIDE_PX = 600  # from here on the minor labels show too (app.css: .tl-tick-minor)
CHAR_PX = 8.5
GAP_PX = 12
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Label spacings, each a multiple of the one before, so the labels of a wider spacing are always
# among those of a narrower one. Days are counted from a Monday (date.toordinal() of 1 Jan 1 = 1).
DAY_STEPS = (1, 7, 14, 28, 56, 112, 224, 448)
MONTH_STEPS = (1, 3, 6, 12, 24, 48, 96)


def percent(units: float) -> str:
    """A position or width on the axis as an SVG length ("12.5%"), never localised."""
    return f"{units / 10:.2f}%"


@dataclass(frozen=True)
class Span:
    x: float
    width: float
    label: str
    colour: str
    start: date
    end: date

    @property
    def x_pct(self) -> str:
        return percent(self.x)

    @property
    def width_pct(self) -> str:
        return percent(self.width)


@dataclass(frozen=True)
class Tick:
    x: float
    day: date
    label: str
    anchor: str  # SVG text-anchor: start, middle or end
    minor: bool = False  # shown only from WIDE_PX

    @property
    def x_pct(self) -> str:
        return percent(self.x)


def anchor_for(x: float, label: str, width_px: float = NARROW_PX) -> str:
    """The anchor that keeps a label inside a drawing ``width_px`` wide, and so inside any wider one."""
    centre, half = x / WIDTH * width_px, _label_px(label) / 2
    if centre - half < 0:
        return "start"
    if centre + half > width_px:
        return "end"
    return "middle"


def _label_px(label: str) -> float:
    return len(label) * CHAR_PX


def _extent(tick: Tick, width_px: float) -> tuple[float, float]:
    x, size = tick.x / WIDTH * width_px, _label_px(tick.label)
    if tick.anchor == "start":
        return x, x + size
    if tick.anchor == "end":
        return x - size, x
    return x - size / 2, x + size / 2


def _fits(ticks: list[Tick], width_px: float) -> bool:
    """No two labels closer than GAP_PX, every label inside the drawing."""
    extents = sorted(_extent(tick, width_px) for tick in ticks)
    inside = all(left >= 0 and right <= width_px for left, right in extents)
    return inside and all(b[0] - a[1] >= GAP_PX for a, b in zip(extents, extents[1:]))


@dataclass(frozen=True)
class Axis:
    start: date
    end: date

    @property
    def days(self) -> int:
        return max((self.end - self.start).days, 1)

    def x(self, day: date) -> float:
        return round(WIDTH * (day - self.start).days / self.days, 1)

    def span(self, start: date, end: date, label: str, colour: str) -> Span:
        start, end = max(start, self.start), min(end, self.end)
        return Span(self.x(start), max(self.x(end) - self.x(start), MIN_SPAN), label, colour, start, end)

    def _days(self, step: int) -> list[date]:
        return [
            self.start + timedelta(days=d)
            for d in range(self.days + 1)
            if (self.start + timedelta(days=d)).toordinal() % step == 1 % step
        ]

    def _months(self, step: int) -> list[date]:
        found, day = [], date(self.start.year, self.start.month, 1)
        while day <= self.end:
            if day >= self.start and (day.year * 12 + day.month - 1) % step == 0:
                found.append(day)
            day = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        return found

    def ticks(self, kind: str = "days") -> list[Tick]:
        """Date labels ("3 Dec" for days, "Dec 2026" for months) at the finest spacing that fits a
        phone's card, plus, marked minor, those of the finest spacing that fits a wide card."""
        steps, dates = (MONTH_STEPS, self._months) if kind == "months" else (DAY_STEPS, self._days)

        def labelled(step: int) -> list[Tick]:
            ticks = []
            for day in dates(step):
                label = f"{MONTHS[day.month - 1]} {day.year}" if kind == "months" else f"{day.day} {MONTHS[day.month - 1]}"
                x = self.x(day)
                ticks.append(Tick(x, day, label, anchor_for(x, label)))
            return ticks

        def finest(width_px: float) -> list[Tick]:
            return next((ticks for ticks in map(labelled, steps) if _fits(ticks, width_px)), [])

        major = finest(NARROW_PX)
        shown = {tick.day for tick in major}
        every = finest(WIDE_PX)
        if not {tick.day for tick in every} >= shown:  # the wide card keeps every phone label
            every = major
        return sorted(
            [*major, *(Tick(t.x, t.day, t.label, t.anchor, minor=True) for t in every if t.day not in shown)],
            key=lambda tick: tick.x,
        )


def injury_timeline(injury, phase_changes, today: date) -> dict:
    """The plan (protect, rehab, the return window) above what actually happened, and today."""
    last_change = phase_changes[-1].on if phase_changes else injury.onset_date
    end = max(injury.expected_return_to, today, last_change) + timedelta(days=3)
    axis = Axis(injury.onset_date, end)
    planned = [
        axis.span(injury.onset_date, injury.protect_until, "Protect (planned)", PHASE_COLOURS["protect"]),
        axis.span(injury.protect_until, injury.expected_return_from, "Rehab (planned)", PHASE_COLOURS["rehab"]),
    ]
    window = axis.span(
        injury.expected_return_from, injury.expected_return_to, "Expected return window", PHASE_COLOURS["return_to_training"]
    )
    actual = []
    for change, following in zip(phase_changes, list(phase_changes[1:]) + [None]):
        until = following.on if following else (injury.cleared_on or today)
        if change.to_phase == "cleared":
            until = change.on + timedelta(days=1)
        actual.append(axis.span(change.on, until, change.get_to_phase_display(), PHASE_COLOURS[change.to_phase]))
    today_x = axis.x(min(max(today, axis.start), axis.end))
    return {
        "axis": axis,
        "planned": planned,
        "window": window,
        "actual": actual,
        "today_x": today_x,
        "today_pct": percent(today_x),
        "today_anchor": anchor_for(today_x, "Today"),
        "today": today,
        "ticks": axis.ticks("days"),
        "width": WIDTH,
    }


def history_strip(injuries, today: date) -> dict | None:
    """All of an athlete's injuries on one strip, oldest on the left, with month labels."""
    injuries = sorted(injuries, key=lambda injury: injury.onset_date)
    if not injuries:
        return None
    axis = Axis(injuries[0].onset_date - timedelta(days=7), today + timedelta(days=7))
    bars = [
        axis.span(
            injury.onset_date,
            injury.cleared_on or today,
            f"{injury.get_classification_display()}, {side_words(injury.side, 'hamstring')}",
            CLASSIFICATION_COLOURS[injury.classification],
        )
        for injury in injuries
    ]
    return {
        "axis": axis,
        "bars": list(zip(bars, injuries)),
        "today_x": axis.x(today),
        "today_pct": percent(axis.x(today)),
        # Months once the strip is long enough to hold a few; days before that.
        "ticks": axis.ticks("months" if axis.days > 62 else "days"),
        "width": WIDTH,
    }
