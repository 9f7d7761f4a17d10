"""Hamstring exercise progression: the sessions just logged in, the next prescription out.

Plain Python on purpose (no Django import): the programme pages, the athlete's session log and
the tests all call the same ``next_prescription()`` and ``dose_for()`` functions. The rules are
those of ``docs/clinical-rules.md``: "Exercise ladders and doses" (the three strength families,
their ladders and phase gating), "Running" (the fourth ladder, for return to training),
"Pain-guided progression" (pain-monitoring model; Hickey 2020 JOSPT 50:91) and "Nordic dose"
(Petersen 2011 AJSM 39:2296). The wording here is the app's own.

Everything a coach or admin might want to read or tune is a table: ``LADDERS``, ``PHASE_ALLOWANCES``,
``NORDIC_DOSES``, ``RUNG_DOSES``, ``RUNNING_DOSES``, ``PAIN_RULES``, ``STRENGTH_SESSIONS_PER_WEEK``
and ``RUNNING_SESSIONS_PER_WEEK``.
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
    RUNNING = "running"  # graded running, return to training only


class TrainingPhase(enum.StrEnum):
    """The phase an athlete's ladders follow: the phase of their injury (injuries.models.Phase,
    with the same values), or prevention when they have none."""

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


class Allowance(enum.StrEnum):
    """What a training phase lets one family do (the cells of ``PHASE_ALLOWANCES``). Not to be
    confused with the gating rule (programmes/gating.py), which decides an athlete's phase."""

    NONE = "none"
    ISOMETRIC_ONLY = "isometric_only"
    ALL = "all"
    ALL_ONCE_NORDIC_CRITERIA_MET = "all_once_nordic_criteria_met"


PHASE_LABELS: dict[TrainingPhase, str] = {
    TrainingPhase.PROTECT: "protect",
    TrainingPhase.REHAB: "rehab",
    TrainingPhase.RETURN_TO_TRAINING: "return to training",
    TrainingPhase.CLEARED: "cleared",
    TrainingPhase.PREVENTION: "prevention",
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
    from ``PHASE_ALLOWANCES`` so there is one source of truth.
    """

    key: str
    name: str
    family: Family
    allowed_phases: frozenset[TrainingPhase]
    isometric: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "family": self.family.value,
            "allowed_phases": sorted(phase.value for phase in self.allowed_phases),
            "isometric": self.isometric,
        }


# docs/clinical-rules.md "Exercise ladders and doses" (phase gating): protect allows isometrics
# only (and so no Nordic); rehab runs the hinge and knee-flexion ladders from the bottom and adds
# the Nordic once the athlete walks and jogs pain-free and holds a strong isometric without pain;
# return to training, cleared and prevention allow every strength rung, with the full Nordic dose.
# docs/clinical-rules.md "Running": the running ladder is used in return to training only. Before
# it the leg is not ready for graded running; after clearance (and in prevention) the athlete runs
# with the team, so the app prescribes no running then.
_STRENGTH_FAMILIES = (Family.HIP_HINGE, Family.KNEE_FLEXION, Family.NORDIC)
PHASE_ALLOWANCES: dict[TrainingPhase, dict[Family, Allowance]] = {
    TrainingPhase.PROTECT: {
        Family.HIP_HINGE: Allowance.ISOMETRIC_ONLY,
        Family.KNEE_FLEXION: Allowance.ISOMETRIC_ONLY,
        Family.NORDIC: Allowance.NONE,
        Family.RUNNING: Allowance.NONE,
    },
    TrainingPhase.REHAB: {
        Family.HIP_HINGE: Allowance.ALL,
        Family.KNEE_FLEXION: Allowance.ALL,
        Family.NORDIC: Allowance.ALL_ONCE_NORDIC_CRITERIA_MET,
        Family.RUNNING: Allowance.NONE,
    },
    TrainingPhase.RETURN_TO_TRAINING: {family: Allowance.ALL for family in Family},
    TrainingPhase.CLEARED: {**{f: Allowance.ALL for f in _STRENGTH_FAMILIES}, Family.RUNNING: Allowance.NONE},
    TrainingPhase.PREVENTION: {**{f: Allowance.ALL for f in _STRENGTH_FAMILIES}, Family.RUNNING: Allowance.NONE},
}
# Every phase says something about every family.
assert all(set(allowances) == set(Family) for allowances in PHASE_ALLOWANCES.values()), "PHASE_ALLOWANCES has a gap"
assert set(PHASE_ALLOWANCES) == set(TrainingPhase), "PHASE_ALLOWANCES misses a phase"


def _phases_for(family: Family, isometric: bool) -> frozenset[TrainingPhase]:
    return frozenset(
        phase
        for phase, allowances in PHASE_ALLOWANCES.items()
        if allowances[family] in (Allowance.ALL, Allowance.ALL_ONCE_NORDIC_CRITERIA_MET)
        or (allowances[family] is Allowance.ISOMETRIC_ONLY and isometric)
    )


def _rung(key: str, name: str, family: Family, *, isometric: bool = False) -> Rung:
    return Rung(key, name, family, _phases_for(family, isometric), isometric)


# docs/clinical-rules.md "Exercise ladders and doses" and "Running": the ladders, easiest first.
# The keys are stable slugs: the app seeds its exercise library from them, so never rename one (add
# a new rung instead).
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
        # The rules give "band-assisted or inclined Nordic" as one step; it is two rungs here so
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
    Family.RUNNING: (
        _rung("run_brisk_walk", "Brisk walk", Family.RUNNING),
        _rung("run_easy_jog", "Easy jog", Family.RUNNING),
        _rung("run_tempo", "Tempo runs at about 60–70% effort", Family.RUNNING),
        _rung("run_strides", "Strides at about 80% effort", Family.RUNNING),
        _rung("run_sprints_90", "Sprints at about 90% effort", Family.RUNNING),
        _rung("run_max_sprint", "Maximal sprint", Family.RUNNING),
    ),
}

RUNGS_BY_KEY: dict[str, Rung] = {rung.key: rung for ladder in LADDERS.values() for rung in ladder}
assert len(RUNGS_BY_KEY) == sum(len(ladder) for ladder in LADDERS.values()), "duplicate rung key"
assert set(LADDERS) == set(Family), "every family has a ladder"
# Position of each rung on its own ladder (0 = easiest).
_RUNG_INDEX: dict[str, int] = {
    rung.key: index for ladder in LADDERS.values() for index, rung in enumerate(ladder)
}


def allowed(rung: Rung, phase: TrainingPhase, nordic_criteria_met: bool) -> bool:
    """May ``rung`` be prescribed in ``phase``? (docs/clinical-rules.md#phase-gating.)

    The one rule for the ladders and for the exercise library alike: a library exercise
    (programmes.models.Exercise) has the same ``family``, ``isometric`` and ``allowed_phases``
    (plain strings, which an admin may narrow) and is passed as it is.
    """
    phase = TrainingPhase(phase)
    if phase not in rung.allowed_phases:
        return False
    allowance = PHASE_ALLOWANCES[phase][Family(rung.family)]
    if allowance is Allowance.ALL_ONCE_NORDIC_CRITERIA_MET:
        return nordic_criteria_met is True
    if allowance is Allowance.ISOMETRIC_ONLY:
        return rung.isometric
    return allowance is Allowance.ALL


def highest_allowed_index(family: Family, phase: TrainingPhase, nordic_criteria_met: bool) -> int | None:
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
    for _phase in TrainingPhase:
        for _met in (False, True):
            _flags = [allowed(rung, _phase, _met) for rung in _ladder]
            assert _flags == sorted(_flags, reverse=True), (_family, _phase, _met)

# docs/clinical-rules.md "Nordic dose": the ten weeks of Petersen's block build up to full Nordic
# curls; added weight waits until the block is done, whatever the athlete's pain says.
NORDIC_WEIGHTED_FROM_WEEK: int = 11
_NORDIC_FULL_INDEX = _RUNG_INDEX["nordic_full"]
_NORDIC_WEIGHTED_INDEX = _RUNG_INDEX["nordic_weighted"]
assert _NORDIC_WEIGHTED_INDEX == _NORDIC_FULL_INDEX + 1 == len(LADDERS[Family.NORDIC]) - 1


def nordic_ceiling(week: int) -> int:
    """Index of the highest Nordic rung that ``week`` of the Nordic block allows (week 1 = the
    first week of Nordic work): the full Nordic through weeks 1-10, the weighted Nordic from week
    ``NORDIC_WEIGHTED_FROM_WEEK`` on. The phase gate (``highest_allowed_index``) applies as
    well."""
    week = _check_week(week)
    return _NORDIC_WEIGHTED_INDEX if week >= NORDIC_WEIGHTED_FROM_WEEK else _NORDIC_FULL_INDEX


def _ceiling(family: Family, phase: TrainingPhase, nordic_criteria_met: bool, week: int) -> int | None:
    """The highest rung the phase and, for the Nordic, the week allow; None if none."""
    highest = highest_allowed_index(family, phase, nordic_criteria_met)
    if highest is None or family is not Family.NORDIC:
        return highest
    return min(highest, nordic_ceiling(week))


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


# Petersen 2011 AJSM 39:2296 (docs/clinical-rules.md "Nordic dose"), ten weeks then maintenance.
# ``week`` counts from the athlete's first Nordic session: week 1 is the first week of Nordic work.
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

# Hip hinge and knee flexion by kind of rung (the app's own simple defaults; the rules give no
# numbers). Isometric rungs: 4 sets of one hold of 30-45 seconds; other rungs 3 sets of 8-12 reps.
# Kept for callers that only know whether a rung is isometric; ``RUNG_DOSES`` below has each rung's
# own dose and is what ``dose_for()`` prescribes.
ISOMETRIC_HOLD_SECONDS: tuple[int, int] = (30, 45)
STRENGTH_DOSES: dict[bool, tuple[RepRange, ...]] = {  # keyed by Rung.isometric
    True: _sets((1, 1), (1, 1), (1, 1), (1, 1)),
    False: _sets((8, 12), (8, 12), (8, 12)),
}
# Sessions per week for hip hinge and knee flexion. Prevention is once a week because the Nordic
# block (up to 3 a week) carries most of the preventive dose; cleared athletes stay at twice a
# week through the first months back, when re-injury is most likely.
STRENGTH_SESSIONS_PER_WEEK: dict[TrainingPhase, int] = {
    TrainingPhase.PROTECT: 2,
    TrainingPhase.REHAB: 2,
    TrainingPhase.RETURN_TO_TRAINING: 2,
    TrainingPhase.CLEARED: 2,
    TrainingPhase.PREVENTION: 1,
}
# Running sessions per week in return to training: every other day, so the next-morning report of
# one run is in before the next run is decided.
RUNNING_SESSIONS_PER_WEEK: int = 3


class DoseKind(enum.StrEnum):
    """What a dose's volume counts; only doses of one kind are compared."""

    REPS = "reps"  # reps (or runs) per set
    HOLD = "hold"  # isometric holds, each "rep" one hold of ``hold_seconds``
    TIMED = "timed"  # ``minutes`` per set (walks and jogs)


@dataclass(frozen=True, slots=True)
class Dose:
    """The dose of one prescription: ``sets`` (reps per set), and for an isometric rung the
    seconds of each hold, or for a timed run the minutes of each set, plus a plain-words ``note``
    (effort, distance, "each leg"). Load, assistance and the hinge range-of-motion target are the
    coach's to set on the programme."""

    sets: tuple[RepRange, ...]
    hold_seconds: tuple[int, int] | None = None
    minutes: int | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.sets, (tuple, list)) or not self.sets:
            raise ProgressionInputError("sets", f"must be one or more RepRange, got {self.sets!r}")
        for position, rep_range in enumerate(self.sets):
            if not isinstance(rep_range, RepRange):
                raise ProgressionInputError(
                    "sets", f"item {position} must be a RepRange, got {rep_range!r}"
                )
        object.__setattr__(self, "sets", tuple(self.sets))
        if self.hold_seconds is not None:
            hold = tuple(self.hold_seconds) if isinstance(self.hold_seconds, (tuple, list)) else ()
            if not (len(hold) == 2 and all(_is_int(x) for x in hold) and 1 <= hold[0] <= hold[1]):
                raise ProgressionInputError(
                    "hold_seconds",
                    "must be (min, max) whole seconds, 1 <= min <= max, "
                    f"got {self.hold_seconds!r}",
                )
            object.__setattr__(self, "hold_seconds", hold)
        if self.minutes is not None and not (_is_int(self.minutes) and self.minutes >= 1):
            raise ProgressionInputError(
                "minutes", f"must be a whole number of minutes, 1 or more, got {self.minutes!r}"
            )
        if self.hold_seconds is not None and self.minutes is not None:
            raise ProgressionInputError("minutes", "a dose is either holds or timed, not both")
        if not isinstance(self.note, str):
            raise ProgressionInputError("note", f"must be text, got {self.note!r}")

    @property
    def kind(self) -> DoseKind:
        if self.hold_seconds is not None:
            return DoseKind.HOLD
        if self.minutes is not None:
            return DoseKind.TIMED
        return DoseKind.REPS

    @property
    def volume(self) -> int:
        """One number to compare doses of the same kind: the sum of each set's most reps; for
        holds times the longest hold (seconds under tension); for timed runs minutes times sets."""
        if self.minutes is not None:
            return self.minutes * len(self.sets)
        reps = sum(rep_range.max for rep_range in self.sets)
        if self.hold_seconds is not None:
            return reps * self.hold_seconds[1]
        return reps

    def to_dict(self) -> dict[str, Any]:
        return {
            "sets": [rep_range.to_dict() for rep_range in self.sets],
            "hold_seconds": (
                None
                if self.hold_seconds is None
                else {"min": self.hold_seconds[0], "max": self.hold_seconds[1]}
            ),
            "minutes": self.minutes,
            "note": self.note,
            "kind": self.kind.value,
            "volume": self.volume,
        }


def _hold_dose() -> Dose:
    return Dose(STRENGTH_DOSES[True], hold_seconds=ISOMETRIC_HOLD_SECONDS)


def _reps_dose(sets: int, low: int, high: int, note: str = "") -> Dose:
    return Dose(_sets(*[(low, high)] * sets), note=note)


# Each hip-hinge and knee-flexion rung's own dose (the app's defaults; docs/clinical-rules.md
# "Exercise ladders and doses" gives the ladders, not these numbers, so they follow common
# strength-training practice and are the coach's to change on a template):
# - isometric rungs: 4 sets of one hold of 30-45 s (a long hold at a low, pain-free effort);
# - two-leg dynamic rungs: 3 x 8-12 (a moderate load the athlete can control through the range);
# - single-leg rungs: 3 x 6-10 each leg (the same load on one leg is far harder, so fewer reps);
# - the slow eccentric curl: 3 x 6-8 (each rep lowers over 4-5 s, so the work per rep is high).
# The single-leg and eccentric rungs have less volume than the two-leg rungs below them, which is
# why a step down is capped by the dose stepped down from (see ``dose_for``).
RUNG_DOSES: dict[str, Dose] = {
    "hinge_isometric": _hold_dose(),
    "hinge_bodyweight_partial": _reps_dose(3, 8, 12),
    "rdl_dumbbell": _reps_dose(3, 8, 12),
    "rdl_barbell": _reps_dose(3, 8, 12),
    "rdl_single_leg": _reps_dose(3, 6, 10, "each leg"),
    "knee_flexion_isometric": _hold_dose(),
    "curl_swiss_ball": _reps_dose(3, 8, 12),
    "curl_slider": _reps_dose(3, 8, 12),
    "curl_machine": _reps_dose(3, 8, 12),
    "curl_slow_eccentric": _reps_dose(3, 6, 8, "lower over 4-5 seconds"),
    "curl_single_leg": _reps_dose(3, 6, 10, "each leg"),
}

# docs/clinical-rules.md "Running": one dose per step of the running ladder (the app's defaults).
# Walks and jogs are timed (each set ``minutes`` long); the faster steps are runs over a distance,
# one run per set of one rep, so each run is one tap on the athlete's phone. The note says the
# effort and distance of each run in plain words, never a count (a capped dose may have fewer).
# Fewer, shorter runs as the speed rises: the load of a run on the hamstrings grows steeply with
# speed. The maximal sprint gets full recovery between sprints.
RUNNING_DOSES: dict[str, Dose] = {
    "run_brisk_walk": Dose(
        _sets((1, 1)), minutes=20, note="A brisk, steady walk; you can still talk."
    ),
    "run_easy_jog": Dose(
        _sets((1, 1), (1, 1)),
        minutes=8,
        note="An easy jog at a pace you could chat at; walk 2 minutes between blocks.",
    ),
    "run_tempo": Dose(
        _sets(*[(1, 1)] * 6),
        note="Each run 100 m at about 60-70% effort; walk back to the start between runs.",
    ),
    "run_strides": Dose(
        _sets(*[(1, 1)] * 6),
        note="Each run 60 m at about 80% effort, building up over the first 20 m; walk back.",
    ),
    "run_sprints_90": Dose(
        _sets(*[(1, 1)] * 5),
        note="Each sprint 40 m at about 90% effort; walk back and rest fully between sprints.",
    ),
    "run_max_sprint": Dose(
        _sets(*[(1, 1)] * 3),
        note="Each sprint 30 m flat out, after a full warm-up; full recovery (2-3 min) between.",
    ),
}

assert set(RUNG_DOSES) == {
    rung.key for family in (Family.HIP_HINGE, Family.KNEE_FLEXION) for rung in LADDERS[family]
}, "RUNG_DOSES must cover every hip-hinge and knee-flexion rung"
assert set(RUNNING_DOSES) == {rung.key for rung in LADDERS[Family.RUNNING]}, "RUNNING_DOSES gap"
# A hold dose exactly on the isometric rungs; running is never a hold.
assert all(
    (dose.kind is DoseKind.HOLD) is RUNGS_BY_KEY[key].isometric for key, dose in RUNG_DOSES.items()
)
assert all(dose.kind is not DoseKind.HOLD for dose in RUNNING_DOSES.values())


def _rung_by_key(key: Any, field_name: str) -> Rung:
    if isinstance(key, str) and key in RUNGS_BY_KEY:
        return RUNGS_BY_KEY[key]
    raise ProgressionInputError(field_name, f"must be the key of a ladder rung, got {key!r}")


def _check_dose(value: Any, field_name: str) -> Dose | None:
    if value is None or isinstance(value, Dose):
        return value
    raise ProgressionInputError(field_name, f"must be a Dose or None, got {value!r}")


def _own_dose(rung: Rung, week: int) -> Dose:
    if rung.family is Family.NORDIC:
        return Dose(nordic_dose(week).sets)
    if rung.family is Family.RUNNING:
        return RUNNING_DOSES[rung.key]
    return RUNG_DOSES[rung.key]


def _no_more_than(dose: Dose, ceiling: Dose) -> Dose:
    """``dose``, or ``ceiling``'s sets (and hold seconds or minutes) when ``dose`` has more
    volume; doses of different kinds are not comparable, so then ``dose`` as it is."""
    if dose.kind is not ceiling.kind or dose.volume <= ceiling.volume:
        return dose
    return Dose(ceiling.sets, ceiling.hold_seconds, ceiling.minutes, dose.note)


def dose_for(
    rung_key: str,
    *,
    week: int,
    slot_dose: Dose | None = None,
    slot_rung_key: str | None = None,
    cap: Dose | None = None,
) -> Dose:
    """The dose of one prescription of ``rung_key`` (docs/clinical-rules.md "Exercise ladders and
    doses", "Running" and "Nordic dose").

    ``week`` is the week of the Nordic block (1 = the first week of Nordic work; checked for every
    family, used by the Nordic). ``slot_rung_key`` and ``slot_dose`` are the programme slot's
    exercise and the coach's dose for it (the template entry); ``cap`` is the dose of the session
    the athlete was regressed from, after a regression.

    - A Nordic rung: always the week's Nordic dose (``nordic_dose(week)``), whichever Nordic rung
      the athlete is on and whatever the slot says, so a Nordic rung never gets a strength dose.
    - The slot's own rung with a ``slot_dose``: the slot's dose.
    - Any other rung: its own dose (``RUNG_DOSES`` or ``RUNNING_DOSES``); but on a rung below the
      slot's rung on the same ladder never more volume than the slot's dose (or, without a
      ``slot_dose``, the slot rung's own dose): a step down never raises the volume.
    - ``cap`` (a ``Dose``, not a number, so that its kind is known): the result's volume never
      exceeds it. Both this and the step-down rule shrink to the other dose's sets (and hold
      seconds or minutes) and keep the rung's own note; they only compare doses of the same kind
      (both reps, both holds, or both timed), as a hold and a set of reps have no common measure.
    """
    rung = _rung_by_key(rung_key, "rung_key")
    week = _check_week(week)
    slot_rung = None if slot_rung_key is None else _rung_by_key(slot_rung_key, "slot_rung_key")
    slot_dose = _check_dose(slot_dose, "slot_dose")
    cap = _check_dose(cap, "cap")
    if slot_dose is not None and slot_rung is None:
        raise ProgressionInputError("slot_rung_key", "is needed with slot_dose")

    if rung.family is Family.NORDIC:
        dose = _own_dose(rung, week)
    elif slot_rung is rung and slot_dose is not None:
        dose = slot_dose
    else:
        dose = _own_dose(rung, week)
        if (
            slot_rung is not None
            and slot_rung.family is rung.family
            and _RUNG_INDEX[rung.key] < _RUNG_INDEX[slot_rung.key]
        ):
            slot = slot_dose if slot_dose is not None else _own_dose(slot_rung, week)
            dose = _no_more_than(dose, slot)
    if cap is not None:
        dose = _no_more_than(dose, cap)
    return dose


# --- Inputs --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PainRules:
    """One family's pain-guided progression (docs/clinical-rules.md "Pain-guided progression" and
    "Running"): advance after ``sessions_to_advance`` sessions in a row at ``advance_max_pain`` or
    less (no sharp pain, next morning no worse); regress when the latest session's worst pain is
    above ``hold_max_pain`` (or a sharp pain, or a worse next morning); hold in between."""

    advance_max_pain: int
    hold_max_pain: int
    sessions_to_advance: int

    def __post_init__(self) -> None:
        assert 0 <= self.advance_max_pain <= self.hold_max_pain < 10, self
        assert self.sessions_to_advance >= 1, self


# Strength ladders (hinge, knee flexion, Nordic): pain up to 4/10 was as safe as pain-free rehab
# (Hickey 2020 JOSPT 50:91); the app moves up at 3/10 or less and holds at 4-5/10.
ADVANCE_MAX_PAIN = 3  # both of the last two sessions at or below this to move up
HOLD_MAX_PAIN = 5  # above this (or a sharp pain, or a worse morning) move down
SESSIONS_TO_ADVANCE = 2
# Running is stricter: a sprint on a healing hamstring is the classic way to tear it again. One
# pain-free run (2/10 or less, no sharp pain, next morning no worse) moves up one step; anything
# above 2/10 moves down. There is no hold band.
RUNNING_ADVANCE_MAX_PAIN = 2
RUNNING_HOLD_MAX_PAIN = 2  # above this (or a sharp pain, or a worse morning) move down
RUNNING_SESSIONS_TO_ADVANCE = 1

STRENGTH_PAIN_RULES = PainRules(ADVANCE_MAX_PAIN, HOLD_MAX_PAIN, SESSIONS_TO_ADVANCE)
RUNNING_PAIN_RULES = PainRules(
    RUNNING_ADVANCE_MAX_PAIN, RUNNING_HOLD_MAX_PAIN, RUNNING_SESSIONS_TO_ADVANCE
)
PAIN_RULES: dict[Family, PainRules] = {
    Family.HIP_HINGE: STRENGTH_PAIN_RULES,
    Family.KNEE_FLEXION: STRENGTH_PAIN_RULES,
    Family.NORDIC: STRENGTH_PAIN_RULES,
    Family.RUNNING: RUNNING_PAIN_RULES,
}
assert set(PAIN_RULES) == set(Family)


@dataclass(frozen=True, slots=True)
class SessionResult:
    """What the athlete reports about one session.

    ``next_morning`` is optional (the athlete *may* report the next morning); None means not
    reported, and counts as "no worse". ``sets_logged`` is how many sets the athlete logged in the
    session; None means unknown and counts as logged (callers from before it existed). A session
    with no set logged was not completed: it never counts towards moving up, but a warning sign in
    it still moves the athlete down.
    """

    worst_pain: int
    sharp_pain: bool
    next_morning: MorningFeeling | None = None
    sets_logged: int | None = None

    def __post_init__(self) -> None:
        if not (_is_int(self.worst_pain) and 0 <= self.worst_pain <= 10):
            raise ProgressionInputError(
                "worst_pain", f"must be an integer from 0 to 10, got {self.worst_pain!r}"
            )
        _check_bool(self.sharp_pain, "sharp_pain")
        if self.next_morning is not None:
            morning = _as_choice(MorningFeeling, self.next_morning, "next_morning")
            object.__setattr__(self, "next_morning", morning)
        logged = self.sets_logged
        if logged is not None and not (_is_int(logged) and logged >= 0):
            raise ProgressionInputError(
                "sets_logged", f"must be a whole number, 0 or more, or None, got {logged!r}"
            )
        object.__setattr__(self, "worst_pain", int(self.worst_pain))

    @property
    def worse_next_morning(self) -> bool:
        return self.next_morning is MorningFeeling.WORSE

    @property
    def logged(self) -> bool:
        """At least one set logged (or not known: counted as logged)."""
        return self.sets_logged is None or self.sets_logged > 0

    def clean_for(self, rules: PainRules) -> bool:
        """Counts towards moving up under ``rules``: a set logged, pain at or below the rules'
        advance threshold, no sharp pain, morning no worse."""
        return (
            self.logged
            and self.worst_pain <= rules.advance_max_pain
            and not self.sharp_pain
            and not self.worse_next_morning
        )

    @property
    def clean(self) -> bool:
        """Counts towards moving up on a strength ladder: a set logged, pain 3/10 or less, no
        sharp pain, morning no worse."""
        return self.clean_for(STRENGTH_PAIN_RULES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "worst_pain": self.worst_pain,
            "sharp_pain": self.sharp_pain,
            "next_morning": None if self.next_morning is None else self.next_morning.value,
            "sets_logged": self.sets_logged,
        }


@dataclass(frozen=True, slots=True)
class ProgressionInput:
    """Where an athlete is on one family's ladder, and how the sessions on that rung went.

    ``recent`` holds the sessions done on the *current rung* since it was last prescribed, oldest
    first; the last one is the session just logged. The app starts a fresh list whenever the rung
    changes, so two good sessions on the old rung never count towards the new one. An empty
    ``recent`` is allowed: it holds, unless the phase (or the Nordic week) no longer allows the
    rung (use it to re-check a programme after the phase changes).

    ``week`` is the week of the Nordic block (1 = the first week of Nordic work); it sets the
    Nordic dose and when the weighted Nordic may start, and is ignored by the other families, but
    must still be 1 or more.
    """

    family: Family
    rung_index: int
    phase: TrainingPhase
    nordic_criteria_met: bool
    week: int
    recent: tuple[SessionResult, ...] = field(default=())

    def __post_init__(self) -> None:
        family = _as_choice(Family, self.family, "family")
        phase = _as_choice(TrainingPhase, self.phase, "phase")
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
    """The rung to do next and its dose (from ``dose_for``; ``dose`` gives it back as a ``Dose``).
    ``hold_seconds`` is set on isometric rungs only: each "rep" there is one hold of that many
    seconds; ``minutes`` on timed runs only: each set lasts that long. ``note`` is the dose's
    plain-words note (effort, distance, "each leg"). Load, assistance and the hinge
    range-of-motion target are the coach's to set on the programme."""

    family: Family
    rung_index: int
    rung: Rung
    sets: tuple[RepRange, ...]
    sessions_per_week: int
    hold_seconds: tuple[int, int] | None = None
    minutes: int | None = None
    note: str = ""

    @property
    def dose(self) -> Dose:
        return Dose(self.sets, self.hold_seconds, self.minutes, self.note)

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
            "minutes": self.minutes,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class ProgressionResult:
    """The decision and the prescription it leads to.

    ``alert_coach`` is set on every regression (pain-led, or forced by the phase or the Nordic
    week); ``offer_retriage`` only when the athlete's pain led to it (the alert offers a
    re-triage). A move down forced by the phase alone follows a phase change that a triage or the
    coach already made, so it alerts without offering another triage.
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


def _sessions_per_week(family: Family, phase: TrainingPhase, week: int) -> int:
    if family is Family.NORDIC:
        return nordic_dose(week).sessions_per_week
    if family is Family.RUNNING:
        return RUNNING_SESSIONS_PER_WEEK
    return STRENGTH_SESSIONS_PER_WEEK[phase]


def _prescribe(
    family: Family, index: int, phase: TrainingPhase, week: int, *, cap: Dose | None = None
) -> Prescription:
    rung = LADDERS[family][index]
    dose = dose_for(rung.key, week=week, cap=cap)
    return Prescription(
        family,
        index,
        rung,
        dose.sets,
        _sessions_per_week(family, phase, week),
        dose.hold_seconds,
        dose.minutes,
        dose.note,
    )


def _warning_signs(session: SessionResult, rules: PainRules) -> list[str]:
    """The regression triggers of one session, in words, in the order of the rules."""
    signs = []
    if session.worst_pain > rules.hold_max_pain:
        signs.append(f"worst pain {session.worst_pain}/10 is above {rules.hold_max_pain}/10")
    if session.sharp_pain:
        signs.append("a sharp pain was felt")
    if session.worse_next_morning:
        signs.append("the next morning felt worse than before")
    return signs


def _sentence(parts: list[str]) -> str:
    """["a", "b", "c"] -> "A, b and c"."""
    text = parts[-1] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return text[:1].upper() + text[1:]


def _not_clean_because(session: SessionResult, rules: PainRules) -> str:
    """Why a session without a warning sign does not count towards moving up (words only)."""
    if not session.logged:
        return "had no set logged"
    if session.worst_pain > rules.advance_max_pain:
        return f"had pain {session.worst_pain}/10"
    if session.sharp_pain:
        return "had a sharp pain"
    return "was followed by a worse morning"


def _hold_reason(recent: tuple[SessionResult, ...], rules: PainRules) -> str:
    """Why a session with no warning sign does not move the athlete up."""
    if not recent:
        return "No session logged on this rung yet: stay on it."
    latest = recent[-1]
    if not latest.logged:
        return (
            "No set was logged in this session, so it was not completed and does not count "
            "towards moving up: stay on this rung."
        )
    if latest.worst_pain > rules.advance_max_pain:
        return (
            f"Worst pain {latest.worst_pain}/10 is in the hold band "
            f"({rules.advance_max_pain + 1}-{rules.hold_max_pain}/10): stay on this rung."
        )
    needed = rules.sessions_to_advance
    if len(recent) < needed:
        missing = needed - len(recent)
        return (
            f"{_sessions(len(recent)).capitalize()} on this rung so far, at pain "
            f"{latest.worst_pain}/10: {_NUMBER_WORDS.get(missing, missing)} more at "
            f"{rules.advance_max_pain}/10 or less with no worse next morning is needed to move up."
        )
    blocker = next(s for s in reversed(recent[-needed:-1]) if not s.clean_for(rules))
    return (
        f"This session was at pain {latest.worst_pain}/10 but the session before "
        f"{_not_clean_because(blocker, rules)}: {_sessions(needed)} in a row at "
        f"{rules.advance_max_pain}/10 or less with no worse next morning are needed to move up, "
        "so stay on this rung."
    )


_NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four"}


def _sessions(count: int) -> str:
    """2 -> "two sessions"."""
    return f"{_NUMBER_WORDS.get(count, count)} session{'' if count == 1 else 's'}"


def _good(recent: tuple[SessionResult, ...], rules: PainRules) -> str:
    """The words for the clean sessions that earn a move up."""
    pains = " and ".join(f"{s.worst_pain}/10" for s in recent[-rules.sessions_to_advance :])
    if rules.sessions_to_advance == 1:
        return (
            f"A pain-free session (worst pain {pains}, {rules.advance_max_pain}/10 or less, no "
            "sharp pain and the next morning no worse)"
        )
    return (
        f"{_sessions(rules.sessions_to_advance).capitalize()} in a row at pain "
        f"{rules.advance_max_pain}/10 or less ({pains}) with no worse next morning"
    )


def next_prescription(inp: ProgressionInput) -> ProgressionResult:
    """Decide advance, hold or regress for one family and prescribe the next rung
    (docs/clinical-rules.md "Exercise ladders and doses", "Running", "Pain-guided progression"
    and "Nordic dose").

    Steps:
    1. Phase gate: the highest rung the phase allows. A family the phase does not allow at all
       (Nordic in protect, or in rehab before the Nordic criteria are met; running outside return
       to training) raises ProgressionInputError: the app must not schedule it. For the Nordic the
       week caps it too: no weighted Nordic before week ``NORDIC_WEIGHTED_FROM_WEEK``.
    2. Pain signal from the sessions on this rung, by the family's ``PAIN_RULES``:
       - regress if the latest session had worst pain above the hold threshold (5/10 on the
         strength ladders, 2/10 running), a sharp pain, or a worse next morning;
       - advance if the last sessions (two on the strength ladders, one running) all had a set
         logged, pain at or below the advance threshold (3/10 strength, 2/10 running), no sharp
         pain and no worse next morning (a morning not reported counts as no worse; a session
         whose set count is unknown counts as logged);
       - hold otherwise (the hold band, a single session, a mixed pair, no set logged, no session).
    3. Cap: if the current rung is above what the phase (or the Nordic week) allows, move down to
       the highest allowed rung (a regression, whatever the pain said). Otherwise an advance that
       would leave the phase, pass the week's Nordic ceiling or go past the top of the ladder
       becomes a hold; a regression stops at rung 0.
    4. Dose: ``dose_for`` the rung; after a regression capped by the dose of the rung regressed
       from, so a regression never raises the volume.
    The index moves by at most one rung, except for the move down in step 3; every regression
    alerts the coach.
    """
    family, index, phase, week = inp.family, inp.rung_index, inp.phase, inp.week
    ladder = LADDERS[family]
    phase_label = PHASE_LABELS[phase]
    rules = PAIN_RULES[family]

    # 1. Phase gate (and the Nordic week).
    highest = highest_allowed_index(family, phase, inp.nordic_criteria_met)
    if highest is None:
        if PHASE_ALLOWANCES[phase][family] is Allowance.ALL_ONCE_NORDIC_CRITERIA_MET:
            problem = (
                f"the {phase_label} phase allows Nordic work only once the athlete walks and "
                "jogs pain-free and holds a strong isometric without pain"
            )
        elif family is Family.RUNNING:
            problem = (
                f"the {phase_label} phase allows no running exercise: the running ladder is for "
                "the return to training phase only (once cleared, the athlete runs with the team)"
            )
        else:
            problem = f"the {phase_label} phase allows no {family.value} exercise"
        raise ProgressionInputError("family", problem)
    ceiling = _ceiling(family, phase, inp.nordic_criteria_met, week)
    assert ceiling is not None

    # 2. Pain signal.
    recent = inp.recent
    signs = _warning_signs(recent[-1], rules) if recent else []
    earned = len(recent) >= rules.sessions_to_advance and all(
        session.clean_for(rules) for session in recent[-rules.sessions_to_advance :]
    )
    came_from = dose_for(ladder[index].key, week=week)

    # 3. Phase (or week) cap, then the one-rung move.
    if index > ceiling:
        target = ceiling
        if index > highest:
            why = f"{ladder[index].name} is not allowed in the {phase_label} phase"
            where = "the highest rung the phase allows"
        else:
            why = (
                f"{ladder[index].name} waits until week {NORDIC_WEIGHTED_FROM_WEEK} of the Nordic "
                f"block (this is week {week})"
            )
            where = "the highest rung this week allows"
        reason = (
            f"{why}: move down to {ladder[target].name}, {where}; the coach is alerted."
        )
        if signs:
            reason += f" {_sentence(signs)}: the coach may re-triage the injury."
        return ProgressionResult(
            Decision.REGRESS,
            reason,
            _prescribe(family, target, phase, week, cap=came_from),
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
            _prescribe(family, target, phase, week, cap=came_from),
            alert_coach=True,
            offer_retriage=True,
        )

    if earned:
        good = _good(recent, rules)
        if index == len(ladder) - 1:
            decision, target = Decision.HOLD, index
            reason = f"{good}, but {ladder[index].name} is the top rung: stay on it."
        elif index + 1 > highest:
            decision, target = Decision.HOLD, index
            reason = (
                f"{good}, but the {phase_label} phase allows nothing above "
                f"{ladder[index].name}: stay on it."
            )
        elif index + 1 > ceiling:
            decision, target = Decision.HOLD, index
            reason = (
                f"{good}, but {ladder[index + 1].name} waits until week "
                f"{NORDIC_WEIGHTED_FROM_WEEK} of the Nordic block (this is week {week}): stay on "
                f"{ladder[index].name}."
            )
        else:
            decision, target = Decision.ADVANCE, index + 1
            reason = f"{good}: move up one rung to {ladder[target].name}."
    else:
        decision, target = Decision.HOLD, index
        reason = _hold_reason(recent, rules)

    # 4. Dose.
    return ProgressionResult(
        decision,
        reason,
        _prescribe(family, target, phase, week),
        alert_coach=False,
        offer_retriage=False,
    )
