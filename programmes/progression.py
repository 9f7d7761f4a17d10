"""Hamstring exercise progression: the sessions just logged in, the next prescription out.

Plain Python on purpose (no Django import): the programme pages, the athlete's session log and
the tests all call the same ``next_prescription()`` function. The rules are DOMAIN.md section 4:
the three exercise families and their ladders, phase gating, the Nordic dose (Petersen 2011 AJSM
39:2296) and pain-guided progression (pain-monitoring model; Hickey 2020 JOSPT 50:91). The
families come from the coaching article in ``seed/hamstring-article.txt``; the wording here is the
app's own.

Everything a coach or admin might want to read or tune is a table: ``LADDERS``, ``PHASE_GATES``,
``NORDIC_DOSES``, ``STRENGTH_DOSES`` and ``STRENGTH_SESSIONS_PER_WEEK``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


# --- Choices -------------------------------------------------------------------------------------


class Family(enum.StrEnum):
    HIP_HINGE = "hip_hinge"
    KNEE_FLEXION = "knee_flexion"
    NORDIC = "nordic"  # knee flexion with the hip extended


class Phase(enum.StrEnum):
    PROTECT = "protect"
    REHAB = "rehab"
    RETURN_TO_TRAINING = "return_to_training"
    CLEARED = "cleared"
    PREVENTION = "prevention"  # an athlete with no open injury


class Decision(enum.StrEnum):
    ADVANCE = "advance"
    HOLD = "hold"
    REGRESS = "regress"


class MorningFeeling(enum.StrEnum):
    """How the leg felt the morning after a session, compared with before it."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class Gate(enum.StrEnum):
    """What a phase lets a family do (the cells of ``PHASE_GATES``)."""

    NONE = "none"
    ISOMETRIC_ONLY = "isometric_only"
    ALL = "all"
    ALL_ONCE_NORDIC_CRITERIA_MET = "all_once_nordic_criteria_met"


PHASE_LABELS: dict[Phase, str] = {
    Phase.PROTECT: "protect",
    Phase.REHAB: "rehab",
    Phase.RETURN_TO_TRAINING: "return to training",
    Phase.CLEARED: "cleared",
    Phase.PREVENTION: "prevention",
}


# --- Input errors --------------------------------------------------------------------------------


class ProgressionInputError(ValueError):
    """An input that cannot be progressed; ``field`` names the bad field, ``problem`` says why."""

    def __init__(self, field: str, problem: str):
        self.field = field
        self.problem = problem
        self.errors: dict[str, str] = {field: problem}
        super().__init__(f"{field}: {problem}")


def _is_int(value: Any) -> bool:
    # bool is an int subclass; True must not pass as pain 1 or week 1.
    return isinstance(value, int) and not isinstance(value, bool)


def _as_choice(choices: type[enum.StrEnum], value: Any, field_name: str) -> Any:
    """The enum member for a member or its plain string value, else a ProgressionInputError."""
    if isinstance(value, str):
        try:
            return choices(value)
        except ValueError:
            pass
    listing = ", ".join(member.value for member in choices)
    raise ProgressionInputError(field_name, f"must be one of {listing}, got {value!r}")


def _check_bool(value: Any, field_name: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ProgressionInputError(field_name, f"must be true or false, got {value!r}")


def _check_week(value: Any, field_name: str = "week") -> int:
    if _is_int(value) and value >= 1:
        return int(value)
    raise ProgressionInputError(
        field_name, f"must be a whole number of weeks, 1 or more, got {value!r}"
    )


# --- Ladders and phase gating --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RepRange:
    """Reps in one set, inclusive: ``RepRange(8, 10)`` is 8 to 10, ``RepRange(12, 12)`` is 12."""

    min: int
    max: int

    def __post_init__(self) -> None:
        if not (_is_int(self.min) and _is_int(self.max) and 1 <= self.min <= self.max):
            raise ProgressionInputError(
                "sets",
                f"a rep range needs whole numbers 1 <= min <= max, got {self.min!r}-{self.max!r}",
            )

    def to_dict(self) -> dict[str, int]:
        return {"min": self.min, "max": self.max}


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of a ladder.

    ``allowed_phases`` lists the phases that may prescribe the rung at all; the Nordic rungs list
    rehab too, where ``allowed()`` also needs ``nordic_criteria_met``. The ladders below derive it
    from ``PHASE_GATES`` so there is one source of truth.
    """

    key: str
    name: str
    family: Family
    allowed_phases: frozenset[Phase]
    isometric: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "family": self.family.value,
            "allowed_phases": sorted(phase.value for phase in self.allowed_phases),
            "isometric": self.isometric,
        }


# DOMAIN.md "Phase gating": protect allows isometrics only (and so no Nordic); rehab runs the
# hinge and knee-flexion ladders from the bottom and adds the Nordic once the athlete walks and
# jogs pain-free and holds a strong isometric without pain; return to training, cleared and
# prevention allow everything, with the full Nordic dose.
PHASE_GATES: dict[Phase, dict[Family, Gate]] = {
    Phase.PROTECT: {
        Family.HIP_HINGE: Gate.ISOMETRIC_ONLY,
        Family.KNEE_FLEXION: Gate.ISOMETRIC_ONLY,
        Family.NORDIC: Gate.NONE,
    },
    Phase.REHAB: {
        Family.HIP_HINGE: Gate.ALL,
        Family.KNEE_FLEXION: Gate.ALL,
        Family.NORDIC: Gate.ALL_ONCE_NORDIC_CRITERIA_MET,
    },
    Phase.RETURN_TO_TRAINING: {family: Gate.ALL for family in Family},
    Phase.CLEARED: {family: Gate.ALL for family in Family},
    Phase.PREVENTION: {family: Gate.ALL for family in Family},
}


def _phases_for(family: Family, isometric: bool) -> frozenset[Phase]:
    return frozenset(
        phase
        for phase, gates in PHASE_GATES.items()
        if gates[family] in (Gate.ALL, Gate.ALL_ONCE_NORDIC_CRITERIA_MET)
        or (gates[family] is Gate.ISOMETRIC_ONLY and isometric)
    )


def _rung(key: str, name: str, family: Family, *, isometric: bool = False) -> Rung:
    return Rung(key, name, family, _phases_for(family, isometric), isometric)


# DOMAIN.md section 4 example ladders, easiest first. The keys are stable slugs: the app seeds its
# exercise library from them, so never rename one (add a new rung instead).
LADDERS: dict[Family, tuple[Rung, ...]] = {
    Family.HIP_HINGE: (
        _rung("hinge_isometric", "Isometric hip-hinge hold", Family.HIP_HINGE, isometric=True),
        _rung("hinge_bodyweight_partial", "Bodyweight hip hinge, partial range", Family.HIP_HINGE),
        _rung("rdl_dumbbell", "Dumbbell Romanian deadlift", Family.HIP_HINGE),
        _rung("rdl_barbell", "Barbell Romanian deadlift", Family.HIP_HINGE),
        _rung("rdl_single_leg", "Single-leg Romanian deadlift", Family.HIP_HINGE),
    ),
    Family.KNEE_FLEXION: (
        # One rung for the three angles: the coach starts at 90 degrees of knee bend (the hamstring
        # at its shortest, the easiest) and moves to 45 and 20 as pain allows, like a load setting.
        _rung(
            "knee_flexion_isometric",
            "Isometric knee-flexion hold at 90, 45 or 20 degrees",
            Family.KNEE_FLEXION,
            isometric=True,
        ),
        _rung("curl_swiss_ball", "Swiss-ball hamstring curl", Family.KNEE_FLEXION),
        _rung("curl_slider", "Slider hamstring curl", Family.KNEE_FLEXION),
        _rung("curl_machine", "Machine hamstring curl", Family.KNEE_FLEXION),
        _rung("curl_slow_eccentric", "Slow eccentric hamstring curl", Family.KNEE_FLEXION),
        _rung("curl_single_leg", "Single-leg hamstring curl", Family.KNEE_FLEXION),
    ),
    Family.NORDIC: (
        # DOMAIN.md gives "band-assisted or inclined Nordic" as one step; it is two rungs here so
        # the assistance comes off in two steps: first a band at the chest that helps through the
        # whole range, then an incline that only shortens the lever, with no band. (A Nordic
        # isometric hold was not chosen: an "isometric" Nordic rung would blur protect's
        # "isometrics only, no Nordic" gate.)
        _rung("nordic_band_assisted", "Band-assisted Nordic curl", Family.NORDIC),
        _rung("nordic_inclined", "Inclined Nordic curl", Family.NORDIC),
        _rung("nordic_partial_range", "Partial-range Nordic curl", Family.NORDIC),
        _rung("nordic_full", "Full Nordic curl", Family.NORDIC),
        _rung("nordic_weighted", "Weighted Nordic curl", Family.NORDIC),
    ),
}

RUNGS_BY_KEY: dict[str, Rung] = {rung.key: rung for ladder in LADDERS.values() for rung in ladder}
assert len(RUNGS_BY_KEY) == sum(len(ladder) for ladder in LADDERS.values()), "duplicate rung key"


def allowed(rung: Rung, phase: Phase, nordic_criteria_met: bool) -> bool:
    """May ``rung`` be prescribed in ``phase``? (DOMAIN.md "Phase gating".)"""
    phase = Phase(phase)
    if phase not in rung.allowed_phases:
        return False
    gate = PHASE_GATES[phase][rung.family]
    if gate is Gate.ALL_ONCE_NORDIC_CRITERIA_MET:
        return nordic_criteria_met is True
    if gate is Gate.ISOMETRIC_ONLY:
        return rung.isometric
    return gate is Gate.ALL


def highest_allowed_index(family: Family, phase: Phase, nordic_criteria_met: bool) -> int | None:
    """Index of the highest rung of ``family`` allowed in ``phase``; None if the family is not
    allowed at all (then the app must not schedule it)."""
    highest = None
    for index, rung in enumerate(LADDERS[Family(family)]):
        if allowed(rung, phase, nordic_criteria_met):
            highest = index
    return highest


# The "move down to the highest allowed rung" rule relies on the allowed rungs of every phase
# being a run from the bottom of the ladder (isometrics come first). Checked once, at import.
for _family, _ladder in LADDERS.items():
    for _phase in Phase:
        for _met in (False, True):
            _flags = [allowed(rung, _phase, _met) for rung in _ladder]
            assert _flags == sorted(_flags, reverse=True), (_family, _phase, _met)


# --- Doses ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NordicDose:
    """One row of the Nordic dose table; ``week_to`` None means "and every week after"."""

    week_from: int
    week_to: int | None
    sessions_per_week: int
    sets: tuple[RepRange, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "week_from": self.week_from,
            "week_to": self.week_to,
            "sessions_per_week": self.sessions_per_week,
            "sets": [rep_range.to_dict() for rep_range in self.sets],
        }


def _sets(*reps: tuple[int, int]) -> tuple[RepRange, ...]:
    return tuple(RepRange(low, high) for low, high in reps)


# Petersen 2011 AJSM 39:2296 (DOMAIN.md section 4), ten weeks then maintenance. ``week`` counts
# from the athlete's first Nordic session: week 1 is the first week of Nordic work.
NORDIC_DOSES: tuple[NordicDose, ...] = (
    NordicDose(1, 1, 1, _sets((5, 5), (5, 5))),
    NordicDose(2, 2, 2, _sets((6, 6), (6, 6))),
    NordicDose(3, 3, 3, _sets((6, 8), (6, 8), (6, 8))),
    NordicDose(4, 4, 3, _sets((8, 10), (8, 10), (8, 10))),
    NordicDose(5, 10, 3, _sets((12, 12), (10, 10), (8, 8))),
    NordicDose(11, None, 1, _sets((12, 12), (10, 10), (8, 8))),  # maintenance
)
# The rows cover every week from 1 on, without gaps or overlaps.
assert all(
    later.week_from == earlier.week_to + 1
    for earlier, later in zip(NORDIC_DOSES, NORDIC_DOSES[1:])
    if earlier.week_to is not None
)
assert NORDIC_DOSES[0].week_from == 1 and NORDIC_DOSES[-1].week_to is None


def nordic_dose(week: int) -> NordicDose:
    """The Nordic dose for a week of the Nordic block (week 1 = the first week)."""
    week = _check_week(week)
    for dose in NORDIC_DOSES:
        if dose.week_to is None or week <= dose.week_to:
            return dose
    raise AssertionError("NORDIC_DOSES ends with an open row")  # pragma: no cover


def weekly_nordic_reps(week: int) -> tuple[int, int]:
    """(min, max) Nordic reps in that week: sessions per week times the reps of one session."""
    dose = nordic_dose(week)
    return (
        dose.sessions_per_week * sum(rep_range.min for rep_range in dose.sets),
        dose.sessions_per_week * sum(rep_range.max for rep_range in dose.sets),
    )


# For the coaches' dose tracker: the least an athlete on maintenance should do in a week
# (1 session of 12 + 10 + 8 = 30).
MAINTENANCE_WEEKLY_REPS_MIN: int = weekly_nordic_reps(NORDIC_DOSES[-1].week_from)[0]

# Hip hinge and knee flexion (the app's own simple defaults; DOMAIN.md gives no numbers).
# Isometric rungs: 4 sets of one hold of 30-45 seconds. Every other rung: 3 sets of 8-12 reps.
ISOMETRIC_HOLD_SECONDS: tuple[int, int] = (30, 45)
STRENGTH_DOSES: dict[bool, tuple[RepRange, ...]] = {  # keyed by Rung.isometric
    True: _sets((1, 1), (1, 1), (1, 1), (1, 1)),
    False: _sets((8, 12), (8, 12), (8, 12)),
}
# Sessions per week for hip hinge and knee flexion. Prevention is once a week because the Nordic
# block (up to 3 a week) carries most of the preventive dose; cleared athletes stay at twice a
# week through the first months back, when re-injury is most likely.
STRENGTH_SESSIONS_PER_WEEK: dict[Phase, int] = {
    Phase.PROTECT: 2,
    Phase.REHAB: 2,
    Phase.RETURN_TO_TRAINING: 2,
    Phase.CLEARED: 2,
    Phase.PREVENTION: 1,
}


# --- Inputs --------------------------------------------------------------------------------------

ADVANCE_MAX_PAIN = 3  # both of the last two sessions at or below this to move up
HOLD_MAX_PAIN = 5  # above this (or a sharp pain, or a worse morning) move down
SESSIONS_TO_ADVANCE = 2


@dataclass(frozen=True, slots=True)
class SessionResult:
    """What the athlete reports about one session.

    ``next_morning`` is optional (DOMAIN.md: the athlete *may* report the next morning); None
    means not reported, and counts as "no worse".
    """

    worst_pain: int
    sharp_pain: bool
    next_morning: MorningFeeling | None = None

    def __post_init__(self) -> None:
        if not (_is_int(self.worst_pain) and 0 <= self.worst_pain <= 10):
            raise ProgressionInputError(
                "worst_pain", f"must be an integer from 0 to 10, got {self.worst_pain!r}"
            )
        _check_bool(self.sharp_pain, "sharp_pain")
        if self.next_morning is not None:
            morning = _as_choice(MorningFeeling, self.next_morning, "next_morning")
            object.__setattr__(self, "next_morning", morning)
        object.__setattr__(self, "worst_pain", int(self.worst_pain))

    @property
    def worse_next_morning(self) -> bool:
        return self.next_morning is MorningFeeling.WORSE

    @property
    def clean(self) -> bool:
        """Counts towards moving up: pain 3/10 or less, no sharp pain, morning no worse."""
        return (
            self.worst_pain <= ADVANCE_MAX_PAIN
            and not self.sharp_pain
            and not self.worse_next_morning
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "worst_pain": self.worst_pain,
            "sharp_pain": self.sharp_pain,
            "next_morning": None if self.next_morning is None else self.next_morning.value,
        }


@dataclass(frozen=True, slots=True)
class ProgressionInput:
    """Where an athlete is on one family's ladder, and how the sessions on that rung went.

    ``recent`` holds the sessions done on the *current rung* since it was last prescribed, oldest
    first; the last one is the session just logged. The app starts a fresh list whenever the rung
    changes, so two good sessions on the old rung never count towards the new one. An empty
    ``recent`` is allowed: it holds, unless the phase no longer allows the rung (use it to
    re-check a programme after the phase changes).

    ``week`` is the week of the Nordic block (1 = the first week of Nordic work); it sets the
    Nordic dose and is ignored by the other families, but must still be 1 or more.
    """

    family: Family
    rung_index: int
    phase: Phase
    nordic_criteria_met: bool
    week: int
    recent: tuple[SessionResult, ...] = field(default=())

    def __post_init__(self) -> None:
        family = _as_choice(Family, self.family, "family")
        phase = _as_choice(Phase, self.phase, "phase")
        _check_bool(self.nordic_criteria_met, "nordic_criteria_met")
        week = _check_week(self.week)
        top = len(LADDERS[family]) - 1
        if not (_is_int(self.rung_index) and 0 <= self.rung_index <= top):
            raise ProgressionInputError(
                "rung_index",
                f"must be an integer from 0 to {top} for the {family.value} ladder, "
                f"got {self.rung_index!r}",
            )
        if not isinstance(self.recent, (tuple, list)):
            raise ProgressionInputError(
                "recent", f"must be a sequence of SessionResult, got {self.recent!r}"
            )
        for position, session in enumerate(self.recent):
            if not isinstance(session, SessionResult):
                raise ProgressionInputError(
                    "recent", f"item {position} must be a SessionResult, got {session!r}"
                )
        object.__setattr__(self, "family", family)
        object.__setattr__(self, "phase", phase)
        object.__setattr__(self, "week", week)
        object.__setattr__(self, "rung_index", int(self.rung_index))
        object.__setattr__(self, "recent", tuple(self.recent))

    @property
    def rung(self) -> Rung:
        return LADDERS[self.family][self.rung_index]

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family.value,
            "rung_index": self.rung_index,
            "rung_key": self.rung.key,
            "phase": self.phase.value,
            "nordic_criteria_met": self.nordic_criteria_met,
            "week": self.week,
            "recent": [session.to_dict() for session in self.recent],
        }


# --- Output --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Prescription:
    """The rung to do next and its dose. ``hold_seconds`` is set on isometric rungs only: each
    "rep" there is one hold of that many seconds. Load, assistance and the hinge range-of-motion
    target are the coach's to set on the programme."""

    family: Family
    rung_index: int
    rung: Rung
    sets: tuple[RepRange, ...]
    sessions_per_week: int
    hold_seconds: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "family": self.family.value,
            "rung_index": self.rung_index,
            "rung": self.rung.to_dict(),
            "sets": [rep_range.to_dict() for rep_range in self.sets],
            "sessions_per_week": self.sessions_per_week,
            "hold_seconds": (
                None
                if self.hold_seconds is None
                else {"min": self.hold_seconds[0], "max": self.hold_seconds[1]}
            ),
        }


@dataclass(frozen=True, slots=True)
class ProgressionResult:
    """The decision and the prescription it leads to.

    ``alert_coach`` is set on every regression (pain-led or forced by the phase);
    ``offer_retriage`` only when the athlete's pain led to it (DOMAIN.md: the alert offers a
    re-triage). A move down forced by the phase alone follows a phase change that a triage or
    the coach already made, so it alerts without offering another triage.
    """

    decision: Decision
    reason: str
    prescription: Prescription
    alert_coach: bool
    offer_retriage: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision.value,
            "reason": self.reason,
            "prescription": self.prescription.to_dict(),
            "alert_coach": self.alert_coach,
            "offer_retriage": self.offer_retriage,
        }


# --- The progression -----------------------------------------------------------------------------


def _prescribe(family: Family, index: int, phase: Phase, week: int) -> Prescription:
    rung = LADDERS[family][index]
    if family is Family.NORDIC:
        dose = nordic_dose(week)
        return Prescription(family, index, rung, dose.sets, dose.sessions_per_week)
    return Prescription(
        family,
        index,
        rung,
        STRENGTH_DOSES[rung.isometric],
        STRENGTH_SESSIONS_PER_WEEK[phase],
        ISOMETRIC_HOLD_SECONDS if rung.isometric else None,
    )


def _warning_signs(session: SessionResult) -> list[str]:
    """The regression triggers of one session, in words, in DOMAIN.md order."""
    signs = []
    if session.worst_pain > HOLD_MAX_PAIN:
        signs.append(f"worst pain {session.worst_pain}/10 is above {HOLD_MAX_PAIN}/10")
    if session.sharp_pain:
        signs.append("a sharp pain was felt")
    if session.worse_next_morning:
        signs.append("the next morning felt worse than before")
    return signs


def _sentence(parts: list[str]) -> str:
    """["a", "b", "c"] -> "A, b and c"."""
    text = parts[-1] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[:1].upper() + text[1:]


def _hold_reason(recent: tuple[SessionResult, ...]) -> str:
    """Why a session with no warning sign does not move the athlete up."""
    if not recent:
        return "No session logged on this rung yet: stay on it."
    latest = recent[-1]
    if latest.worst_pain > ADVANCE_MAX_PAIN:
        return (
            f"Worst pain {latest.worst_pain}/10 is in the hold band "
            f"({ADVANCE_MAX_PAIN + 1}-{HOLD_MAX_PAIN}/10): stay on this rung."
        )
    if len(recent) < SESSIONS_TO_ADVANCE:
        return (
            f"One session on this rung so far, at pain {latest.worst_pain}/10: one more at "
            f"{ADVANCE_MAX_PAIN}/10 or less with no worse next morning is needed to move up."
        )
    previous = recent[-2]
    if previous.worst_pain > ADVANCE_MAX_PAIN:
        why = f"the session before had pain {previous.worst_pain}/10"
    elif previous.sharp_pain:
        why = "the session before had a sharp pain"
    else:
        why = "the morning after the session before felt worse"
    return (
        f"This session was at pain {latest.worst_pain}/10 but {why}: two sessions in a row at "
        f"{ADVANCE_MAX_PAIN}/10 or less with no worse next morning are needed to move up, "
        "so stay on this rung."
    )


def next_prescription(inp: ProgressionInput) -> ProgressionResult:
    """Decide advance, hold or regress for one family and prescribe the next rung (DOMAIN.md 4).

    Steps:
    1. Phase gate: the highest rung the phase allows. A family the phase does not allow at all
       (Nordic in protect, or in rehab before the Nordic criteria are met) raises
       ProgressionInputError: the app must not schedule it.
    2. Pain signal from the sessions on this rung:
       - regress if the latest session had worst pain above 5/10, a sharp pain, or a worse next
         morning;
       - advance if the last two sessions both had pain 3/10 or less, no sharp pain and no worse
         next morning (a morning not reported counts as no worse);
       - hold otherwise (pain 4-5/10, a single session, a mixed pair, no session yet).
    3. Phase cap: if the current rung is above what the phase allows, move down to the highest
       allowed rung (a regression, whatever the pain said). Otherwise an advance that would leave
       the phase, or go past the top of the ladder, becomes a hold; a regression stops at rung 0.
    4. Dose: the Nordic table for the week, or the hinge and knee-flexion table for the rung.
    The index moves by at most one rung, except for the phase move down in step 3; every regression
    alerts the coach.
    """
    family, index, phase = inp.family, inp.rung_index, inp.phase
    ladder = LADDERS[family]
    phase_label = PHASE_LABELS[phase]

    # 1. Phase gate.
    highest = highest_allowed_index(family, phase, inp.nordic_criteria_met)
    if highest is None:
        if PHASE_GATES[phase][family] is Gate.ALL_ONCE_NORDIC_CRITERIA_MET:
            problem = (
                f"the {phase_label} phase allows Nordic work only once the athlete walks and "
                "jogs pain-free and holds a strong isometric without pain"
            )
        else:
            problem = f"the {phase_label} phase allows no {family.value} exercise"
        raise ProgressionInputError("family", problem)

    # 2. Pain signal.
    recent = inp.recent
    signs = _warning_signs(recent[-1]) if recent else []
    last_two_clean = len(recent) >= SESSIONS_TO_ADVANCE and all(
        session.clean for session in recent[-SESSIONS_TO_ADVANCE:]
    )

    # 3. Phase cap, then the one-rung move.
    if index > highest:
        target = highest
        reason = (
            f"{ladder[index].name} is not allowed in the {phase_label} phase: move down to "
            f"{ladder[target].name}, the highest rung the phase allows; the coach is alerted."
        )
        if signs:
            reason += f" {_sentence(signs)}: the coach may re-triage the injury."
        return ProgressionResult(
            Decision.REGRESS,
            reason,
            _prescribe(family, target, phase, inp.week),
            alert_coach=True,
            offer_retriage=bool(signs),
        )

    if signs:
        target = max(index - 1, 0)
        if target < index:
            move = f"move down one rung to {ladder[target].name}"
        else:
            move = f"already on the first rung ({ladder[index].name}), so stay on it"
        reason = (
            f"{_sentence(signs)}: {move}; the coach is alerted and may re-triage the injury."
        )
        return ProgressionResult(
            Decision.REGRESS,
            reason,
            _prescribe(family, target, phase, inp.week),
            alert_coach=True,
            offer_retriage=True,
        )

    if last_two_clean:
        pains = " and ".join(f"{s.worst_pain}/10" for s in recent[-SESSIONS_TO_ADVANCE:])
        good = (
            f"Two sessions in a row at pain {ADVANCE_MAX_PAIN}/10 or less ({pains}) with no "
            "worse next morning"
        )
        if index == len(ladder) - 1:
            decision, target = Decision.HOLD, index
            reason = f"{good}, but {ladder[index].name} is the top rung: stay on it."
        elif index + 1 > highest:
            decision, target = Decision.HOLD, index
            reason = (
                f"{good}, but the {phase_label} phase allows nothing above "
                f"{ladder[index].name}: stay on it."
            )
        else:
            decision, target = Decision.ADVANCE, index + 1
            reason = f"{good}: move up one rung to {ladder[target].name}."
    else:
        decision, target = Decision.HOLD, index
        reason = _hold_reason(recent)

    # 4. Dose.
    return ProgressionResult(
        decision,
        reason,
        _prescribe(family, target, phase, inp.week),
        alert_coach=False,
        offer_retriage=False,
    )
