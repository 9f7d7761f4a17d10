"""The clinical pathway of one injury, as plain Python: criteria between phases, the doctor's
clearance, minor episodes and recurrence (docs/clinical-rules.md#phases-and-criteria).

No Django import: the services turn rows into these dataclasses, and the tests call the rules
without a database. Item keys are the checklist's stored values (injuries.models.ChecklistItem
uses the same strings; a test holds them equal).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

PROTECT, REHAB, RETURN_TO_TRAINING, CLEARED = "protect", "rehab", "return_to_training", "cleared"
PHASE_ORDER = (PROTECT, REHAB, RETURN_TO_TRAINING, CLEARED)
PHASE_WORDS = {
    PROTECT: "protect",
    REHAB: "rehab",
    RETURN_TO_TRAINING: "return to training",
    CLEARED: "cleared",
}

# Checklist items (stored values) and their plain words.
WALKS = "walks_pain_free"
REST_PAIN = "rest_pain_low"
WALK_JOG = "walk_jog_pain_free"
NO_PAIN_ON_TOUCH = "no_pain_on_touch"
ISOMETRIC = "isometric_pain_free"
FLEXIBILITY = "flexibility_matches"
STRENGTH = "strength_within_10pct"
SPRINT = "sprint_pain_free"
CONFIDENT = "athlete_confident"
DOCTOR = "doctor_clearance"
DOCTOR_REVIEW = "doctor_review"  # not a checklist item: the recorded review of an urgent case

ITEM_LABELS = {
    WALKS: "Walks normally without pain",
    REST_PAIN: "Pain at rest is 2/10 or less",
    WALK_JOG: "Walks and jogs without pain",
    NO_PAIN_ON_TOUCH: "No pain when the muscle is pressed",
    ISOMETRIC: "Holds a strong isometric contraction without pain",
    FLEXIBILITY: "Flexibility like the other side",
    STRENGTH: "Strength within about 10% of the other side",
    SPRINT: "Sprints at full speed without pain",
    CONFIDENT: "The athlete feels confident",
    DOCTOR: "A doctor has cleared the athlete",
    DOCTOR_REVIEW: "A doctor's review is recorded",
}

# What each step forward asks (Erickson & Sherry 2017; Mendiguchia & Brughelli 2011; Valle 2015).
STEP_CRITERIA = {
    (PROTECT, REHAB): (WALKS, REST_PAIN),
    (REHAB, RETURN_TO_TRAINING): (WALK_JOG, ISOMETRIC, NO_PAIN_ON_TOUCH),
    (RETURN_TO_TRAINING, CLEARED): (
        WALK_JOG, NO_PAIN_ON_TOUCH, ISOMETRIC, FLEXIBILITY, STRENGTH, SPRINT, CONFIDENT, DOCTOR,
    ),
}
CHECKLIST_ITEMS = (WALKS, REST_PAIN, WALK_JOG, NO_PAIN_ON_TOUCH, ISOMETRIC, FLEXIBILITY, STRENGTH, SPRINT,
                   CONFIDENT, DOCTOR)

# Nordic work in rehab waits for these (docs/clinical-rules.md#phase-gating).
NORDIC_CRITERIA = (WALK_JOG, ISOMETRIC)

STRAINS = ("grade_1", "grade_2", "grade_3")
DOCTOR_CLEARANCE_GRADES = ("grade_2", "grade_3")
RECURRENCE_WINDOW_DAYS = 60  # about two months after a return (Zein 2024 BJSM 58:766)


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    label: str
    met: bool
    waivable: bool = True  # False: no written reason can stand in for it (a doctor's review)


@dataclass(frozen=True, slots=True)
class InjuryState:
    """What the pathway needs to know about one injury."""

    phase: str
    ticked: frozenset[str]
    ever_urgent: bool  # any urgent referral in its history (triage or override)
    doctor_reviewed: bool
    worst_classification: str

    @property
    def needs_doctor_clearance(self) -> bool:
        return needs_doctor_clearance(self.worst_classification, self.ever_urgent)

    @property
    def waiting_for_doctor(self) -> bool:
        """An urgent case stays in protect until a doctor's review is recorded."""
        return self.ever_urgent and not self.doctor_reviewed


def needs_doctor_clearance(worst_classification: str, ever_urgent: bool) -> bool:
    """After grade 2 or 3 or any urgent referral, judged from the most severe result ever."""
    return ever_urgent or worst_classification in DOCTOR_CLEARANCE_GRADES


def next_phase(phase: str) -> str | None:
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def is_step_back(from_phase: str, to_phase: str) -> bool:
    return PHASE_ORDER.index(to_phase) < PHASE_ORDER.index(from_phase)


def criteria_for(state: InjuryState, to_phase: str) -> tuple[Criterion, ...]:
    """The criteria of every step from the injury's phase up to ``to_phase``; none to step back.

    Leaving protect in an urgent case needs the doctor's review, and no reason can waive it.
    """
    start, end = PHASE_ORDER.index(state.phase), PHASE_ORDER.index(to_phase)
    keys: list[str] = []
    for index in range(start, end):
        for key in STEP_CRITERIA[(PHASE_ORDER[index], PHASE_ORDER[index + 1])]:
            if key == DOCTOR and not state.needs_doctor_clearance:
                continue
            if key not in keys:
                keys.append(key)
    criteria = [Criterion(key, ITEM_LABELS[key], key in state.ticked) for key in keys]
    if state.phase == PROTECT and end > start and state.ever_urgent:
        criteria.insert(0, Criterion(DOCTOR_REVIEW, ITEM_LABELS[DOCTOR_REVIEW], state.doctor_reviewed, waivable=False))
    return tuple(criteria)


def missing(criteria) -> list[Criterion]:
    return [criterion for criterion in criteria if not criterion.met]


def phase_for_urgent(state: InjuryState) -> str:
    """The phase an injury must be in now: protect while an urgent case waits for its doctor."""
    return PROTECT if state.waiting_for_doctor and state.phase != CLEARED else state.phase


# --- Minor episodes (docs/clinical-rules.md#minor-episodes) ----------------------------------------

EPISODE_CLASSIFICATIONS = ("cramp", "doms")
EPISODE_DAYS = {"cramp": 1, "doms": 4}
PERSISTING_PAIN = 3  # a pain reported at 3/10 or more at the end of the window is pain that persists

CONTINUES, ENDS, RETRIAGE = "continues", "ends", "retriage"


def is_minor_episode(classification: str, has_red_flags: bool) -> bool:
    """Cramp and DOMS without a red flag train lighter for a few days; everything else is an injury."""
    return classification in EPISODE_CLASSIFICATIONS and not has_red_flags


def episode_end(started_on: date, classification: str) -> date:
    return started_on + timedelta(days=EPISODE_DAYS[classification])


def episode_outcome(ends_on: date, today: date, latest_pain: int | None) -> str:
    """Before its end an episode continues; at its end it ends by itself unless the latest pain
    the athlete reported is still there, which asks the coach for a re-triage."""
    if today < ends_on:
        return CONTINUES
    if latest_pain is not None and latest_pain >= PERSISTING_PAIN:
        return RETRIAGE
    return ENDS


# --- Recurrence (docs/clinical-rules.md#recurrence) ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Return:
    """A strain's return to training: which side, and the day the athlete was cleared."""

    side: str
    cleared_on: date


def same_side(a: str, b: str) -> bool:
    return a == b or "both" in (a, b)


def is_recurrence(side: str, onset: date, returns) -> bool:
    """An injury is a recurrence when any strain on the same side returned within the window
    before it began, not only the latest return."""
    return any(
        same_side(side, r.side) and 0 <= (onset - r.cleared_on).days <= RECURRENCE_WINDOW_DAYS for r in returns
    )


def recurrence_risk_until(last_return: date | None) -> date | None:
    """The last day of the window after the athlete's latest return, when a re-injury is most
    likely; None without a return."""
    return last_return + timedelta(days=RECURRENCE_WINDOW_DAYS) if last_return is not None else None


def at_recurrence_risk(last_return: date | None, today: date) -> bool:
    """Within the window after the latest return (the board's and the athlete page's badge)."""
    until = recurrence_risk_until(last_return)
    return until is not None and today <= until
