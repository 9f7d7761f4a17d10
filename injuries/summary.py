"""The injury page's summary: what the coach should do next, in one sentence, with the place on
the page where it is done (docs/clinical-rules.md#phases-and-criteria, #urgent-pathway,
#recurrence).
"""

from dataclasses import dataclass
from datetime import date

from . import pathway


@dataclass(frozen=True)
class Action:
    text: str
    href: str = ""  # the section of the page where it is done
    link_text: str = ""


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def next_action(injury, *, next_phase_label: str, missing, today: date) -> Action:
    """The one thing to do now: record a doctor's review the pathway waits for, tick the
    criteria still missing, move the athlete on, or (cleared) watch for a re-injury."""
    if not injury.is_open:
        until = pathway.recurrence_risk_until(injury.cleared_on)
        if until and today <= until:
            return Action(
                f"Nothing to change: the athlete is cleared. A re-injury is most likely until {_day(until)}: "
                "log a complaint at once if the hamstring hurts again."
            )
        return Action("Nothing to change: the athlete is cleared.")
    if injury.waiting_for_doctor or any(not criterion.waivable for criterion in missing):
        return Action(
            "Record the doctor's review once a doctor has seen the athlete: until then they stay in protect, "
            "with gentle holds only.",
            "#doctor-review",
            "Record the doctor's review",
        )
    if missing:
        count = len(missing)
        return Action(
            f"Tick each criterion on the checklist once it holds ({count} to go), then move the athlete on to "
            f"{next_phase_label.lower()}.",
            "#checklist",
            "Go to the checklist",
        )
    return Action(
        f"Every criterion is met: move the athlete on to {next_phase_label.lower()} when you are ready.",
        "#phase-control",
        "Change the phase",
    )
