"""The one gating rule: what each ladder may hold today, from what is known about the athlete.

Plain Python (no Django): the programme service builds a ``Situation`` from the athlete's open
injuries, minor episodes and urgent reports, and re-applies ``gate()`` to every scheduled session
after every event that can change it (docs/clinical-rules.md#phase-gating,
docs/clinical-rules.md#urgent-pathway). When in doubt it holds the load and says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from injuries import pathway

from . import progression as p

# The order in which phases allow more load; prevention (no injury) allows the most.
_RESTRICTION = {
    p.TrainingPhase.PROTECT: 0,
    p.TrainingPhase.REHAB: 1,
    p.TrainingPhase.RETURN_TO_TRAINING: 2,
    p.TrainingPhase.CLEARED: 3,
    p.TrainingPhase.PREVENTION: 4,
}

NORDIC_GAP_DAYS = 28  # four weeks without Nordic work makes the next one a first block again


@dataclass(frozen=True, slots=True)
class InjuryFacts:
    phase: str
    waiting_for_doctor: bool = False  # urgent, and no doctor's review recorded yet
    nordic_criteria_met: bool = False


@dataclass(frozen=True, slots=True)
class Situation:
    """What is known about one athlete today."""

    injuries: tuple[InjuryFacts, ...] = ()
    episodes: tuple[str, ...] = ()  # classifications of open minor episodes (cramp, doms)
    urgent_report_waiting: bool = False
    # What the athlete's own reports still waiting for a coach triage to, the urgent ones aside
    # (those are ``urgent_report_waiting``): each counts as what it would open once confirmed.
    reports_waiting: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Gating:
    """What the athlete may do: the phase the ladders follow, whether Nordic work may start,
    whether any step up is held, and the reasons in plain words (shown on the sessions)."""

    phase: p.TrainingPhase
    nordic_criteria_met: bool
    hold: bool = False
    reasons: tuple[str, ...] = field(default=())

    def ceiling(self, family: str) -> int | None:
        """The highest rung index of ``family`` allowed today; None: the family is not allowed."""
        return p.highest_allowed_index(p.Family(family), self.phase, self.nordic_criteria_met)

    def allows(self, family: str, rung_index: int) -> bool:
        ceiling = self.ceiling(family)
        return ceiling is not None and rung_index <= ceiling

    @property
    def families(self) -> tuple[p.Family, ...]:
        return tuple(family for family in p.Family if self.ceiling(family) is not None)

    @property
    def reason(self) -> str:
        return " ".join(self.reasons)

    @property
    def isometrics_only(self) -> bool:
        return self.phase is p.TrainingPhase.PROTECT


REASON_URGENT_REPORT = (
    "Your report says you may need a doctor: see one today. Until your coach has looked at the "
    "report, only gentle holds."
)
REASON_REPORT_STRAIN = (
    "What you reported may be a strain: only gentle holds until your coach has looked at your report."
)
REASON_REPORT_MINOR = "Training lighter until your coach has looked at your report: no step up for now."
REASON_WAITING_FOR_DOCTOR = (
    "A doctor needs to see this injury: only gentle holds until your coach records the doctor's review."
)
REASON_PROTECT = "Protect phase: let the muscle settle, with gentle holds only."
REASON_NO_NORDIC = (
    "Nordic curls wait until you walk and jog without pain and hold a strong contraction without pain."
)
REASON_EPISODE = {
    "cramp": "Training lighter for a day after the cramp: no step up until it has settled.",
    "doms": "Training lighter while the soreness settles: no step up for now.",
}
# A report's answers that triage to one of these would open a minor episode once confirmed; any
# other (a strain of any grade, or anything not known here) would open an injury, in protect.
MINOR_CLASSIFICATIONS = frozenset(pathway.EPISODE_CLASSIFICATIONS)


def gate(situation: Situation) -> Gating:
    """One rule for every event: the most restrictive of everything known applies."""
    reasons: list[str] = []
    phase = p.TrainingPhase.PREVENTION
    nordic_met = True
    hold = False
    if situation.urgent_report_waiting:
        phase = p.TrainingPhase.PROTECT
        reasons.append(REASON_URGENT_REPORT)
    # A report waiting for its coach counts as what it would open once confirmed: a strain as an
    # injury in protect, a cramp or soreness as a minor episode (docs/clinical-rules.md#phase-gating).
    waiting = set(situation.reports_waiting)
    if waiting - MINOR_CLASSIFICATIONS:
        phase = p.TrainingPhase.PROTECT
        reasons.append(REASON_REPORT_STRAIN)
    if waiting & MINOR_CLASSIFICATIONS:
        hold = True
        reasons.append(REASON_REPORT_MINOR)
    for injury in situation.injuries:
        injury_phase = p.TrainingPhase.PROTECT if injury.waiting_for_doctor else p.TrainingPhase(injury.phase)
        if injury.waiting_for_doctor and REASON_WAITING_FOR_DOCTOR not in reasons:
            reasons.append(REASON_WAITING_FOR_DOCTOR)
        if _RESTRICTION[injury_phase] < _RESTRICTION[phase]:
            phase = injury_phase
        nordic_met = nordic_met and (injury.nordic_criteria_met or injury_phase is not p.TrainingPhase.REHAB)
    if phase is p.TrainingPhase.PROTECT and not reasons:
        reasons.append(REASON_PROTECT)
    if phase is p.TrainingPhase.REHAB and not nordic_met:
        reasons.append(REASON_NO_NORDIC)
    hold = hold or bool(situation.episodes)
    for classification in dict.fromkeys(situation.episodes):
        reasons.append(REASON_EPISODE.get(classification, REASON_EPISODE["doms"]))
    return Gating(phase=phase, nordic_criteria_met=nordic_met, hold=hold, reasons=tuple(reasons))


# --- Nordic blocks (docs/clinical-rules.md#nordic-dose, #red-flags) ---------------------------------


def nordic_block_start(done: list[date] | tuple[date, ...], day: date) -> date | None:
    """The first day of the Nordic block that ``day`` belongs to, from the days Nordic work was
    done before it; None when there was none in the four weeks before (``day`` starts a block)."""
    earlier = sorted(d for d in set(done) if d < day)
    if not earlier or (day - earlier[-1]).days > NORDIC_GAP_DAYS:
        return None
    start = earlier[-1]
    for previous in reversed(earlier[:-1]):
        if (start - previous).days > NORDIC_GAP_DAYS:
            break
        start = previous
    return start


def nordic_week(done, day: date, first_planned: date | None = None) -> int:
    """Week of the Nordic block on ``day`` (1 = its first week). Without recent Nordic work the
    block starts at the first planned Nordic session (or ``day`` itself)."""
    start = nordic_block_start(done, day) or min(d for d in (first_planned, day) if d is not None)
    return max((day - start).days // 7 + 1, 1)


def first_nordic_after_a_break(done, day: date) -> bool:
    """The first Nordic session after four weeks or more without one: the rhabdomyolysis warning
    is shown then, whatever the programme week."""
    return not any(day - timedelta(days=NORDIC_GAP_DAYS) <= d < day for d in done)
