"""Geometry for the server-drawn SVG timelines (no chart library).

Everything is laid out on a 1000-unit-wide axis of days; the templates only place the shapes.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from .sides import side_words

WIDTH = 1000

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


@dataclass(frozen=True)
class Span:
    x: float
    width: float
    label: str
    colour: str
    start: date
    end: date


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
        return Span(self.x(start), max(self.x(end) - self.x(start), 2.0), label, colour, start, end)

    def ticks(self, count: int = 5) -> list[tuple[float, date]]:
        step = max(self.days // count, 1)
        return [(self.x(self.start + timedelta(days=d)), self.start + timedelta(days=d)) for d in range(0, self.days + 1, step)]


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
    return {
        "axis": axis,
        "planned": planned,
        "window": window,
        "actual": actual,
        "today_x": axis.x(min(max(today, axis.start), axis.end)),
        "today": today,
        "ticks": axis.ticks(),
        "width": WIDTH,
    }


def history_strip(injuries, today: date) -> dict | None:
    """All of an athlete's injuries on one strip, oldest on the left."""
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
    return {"axis": axis, "bars": list(zip(bars, injuries)), "today_x": axis.x(today), "ticks": axis.ticks(), "width": WIDTH}
