"""Hamstring triage: a coach's complaint in, a classification, referral and reasons out.

Plain Python on purpose (no Django import): the web form, the API, the ``triage`` management
command and the tests all call the same ``triage()`` function. The rules are explained, with their
published sources, in ``docs/clinical-rules.md``: "Triage" and "Red flags" for the classification
and referral, "Recovery windows" for the windows and first-days advice, "Urgent pathway" for what
an urgent referral changes (the advice among it). The criteria come from a coaching article on
hamstring injuries; the wording here is the app's own.

The result is guidance for a coach, not a diagnosis (see ``GUIDANCE_NOTE``).
"""

from __future__ import annotations

import decimal
import enum
import json
import math
import numbers
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any


# --- Choices -------------------------------------------------------------------------------------


class Side(enum.StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"


class Onset(enum.StrEnum):
    DURING_ACTIVITY = "during_activity"
    AFTER_ACTIVITY = "after_activity"  # came on hours after the session ended
    NO_CLEAR_TRIGGER = "no_clear_trigger"


class PainQuality(enum.StrEnum):
    CRAMPING = "cramping"
    DULL_ACHE = "dull_ache"
    STIFFNESS = "stiffness"
    TIGHTNESS = "tightness"
    SHARP = "sharp"


class Weakness(enum.StrEnum):
    NONE = "none"
    PARTIAL = "partial"
    COMPLETE = "complete"


class Swelling(enum.StrEnum):
    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Bruising(enum.StrEnum):
    NONE = "none"
    SOME = "some"
    HEAVY = "heavy"


class Classification(enum.StrEnum):
    CRAMP = "cramp"
    DOMS = "doms"
    GRADE_1 = "grade_1"
    GRADE_2 = "grade_2"
    GRADE_3 = "grade_3"


class Referral(enum.StrEnum):
    URGENT = "urgent"
    RECOMMENDED = "recommended"
    IF_NOT_IMPROVING = "if_not_improving"
    NONE = "none"


class RedFlag(enum.StrEnum):
    CANNOT_MOVE_LEG_WITH_PERSISTING_PAIN = "cannot_move_leg_with_persisting_pain"
    ONGOING_WALKING_DIFFICULTY = "ongoing_walking_difficulty"
    NUMBNESS = "numbness"


STRAIN_GRADES: tuple[Classification, ...] = (
    Classification.GRADE_1,
    Classification.GRADE_2,
    Classification.GRADE_3,
)


# --- Severity ------------------------------------------------------------------------------------
# Orders for judging "the most severe result an injury ever had" (triage or override), which
# decides for instance whether a doctor's clearance is needed (docs/clinical-rules.md,
# "Urgent pathway").

CLASSIFICATION_SEVERITY: dict[Classification, int] = {
    Classification.CRAMP: 0,
    Classification.DOMS: 1,
    Classification.GRADE_1: 2,
    Classification.GRADE_2: 3,
    Classification.GRADE_3: 4,
}

REFERRAL_SEVERITY: dict[Referral, int] = {
    Referral.NONE: 0,
    Referral.IF_NOT_IMPROVING: 1,
    Referral.RECOMMENDED: 2,
    Referral.URGENT: 3,
}


def most_severe(classifications: Iterable[Classification | str]) -> Classification:
    """The most severe of some classifications (enum members or their values).

    Raises ValueError for an empty iterable or an unknown value.
    """
    members = [Classification(classification) for classification in classifications]
    if not members:
        raise ValueError("most_severe() needs at least one classification")
    return max(members, key=CLASSIFICATION_SEVERITY.__getitem__)


def most_urgent(referrals: Iterable[Referral | str]) -> Referral:
    """The most urgent of some referrals (enum members or their values); as most_severe()."""
    members = [Referral(referral) for referral in referrals]
    if not members:
        raise ValueError("most_urgent() needs at least one referral")
    return max(members, key=REFERRAL_SEVERITY.__getitem__)


# --- Input validation ----------------------------------------------------------------------------


class TriageInputError(ValueError):
    """A complaint that cannot be triaged.

    ``field`` and ``problem`` describe the first bad field (``field`` is None when the input is
    not a mapping at all); ``errors`` maps every bad field to its problem, so a form can show them
    all. Errors not tied to one field are keyed ``"__all__"``, as Django forms do.
    """

    def __init__(self, field: str | None, problem: str, errors: Mapping[str, str] | None = None):
        self.field = field
        self.problem = problem
        self.errors: dict[str, str] = (
            dict(errors) if errors else {field if field is not None else "__all__": problem}
        )
        super().__init__(f"{field}: {problem}" if field is not None else problem)

    @classmethod
    def from_errors(cls, errors: Mapping[str, str]) -> TriageInputError:
        field, problem = next(iter(errors.items()))
        return cls(None if field == "__all__" else field, problem, errors)


class _Invalid(Exception):
    """Raised by a field check; carries the problem text only."""


def _shown(value: Any) -> str:
    """The offending value as it appeared in JSON, shortened for an error line."""
    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError, RecursionError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _choice_check(choices: type[enum.StrEnum]) -> Callable[[Any], Any]:
    by_value = {member.value: member for member in choices}
    listing = ", ".join(by_value)

    def check(value: Any) -> Any:
        if isinstance(value, str):
            member = by_value.get(value)
            if member is not None:
                return member
        raise _Invalid(f"must be one of {listing}, got {_shown(value)}")

    return check


def _bool_check(value: Any) -> bool:
    # Only real JSON booleans: "false" or 0 from a sloppy client must not pass as False.
    if isinstance(value, bool):
        return value
    raise _Invalid(f"must be true or false, got {_shown(value)}")


def _pain_check(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10:
        return int(value)
    raise _Invalid(f"must be an integer from 0 to 10, got {_shown(value)}")


def _hours_check(value: Any) -> float:
    # Decimal too, as a form's DecimalField would give it.
    if isinstance(value, (numbers.Real, decimal.Decimal)) and not isinstance(value, bool):
        try:
            hours = float(value)
        except (OverflowError, ValueError):  # an int too large for a float; Decimal("sNaN")
            hours = math.inf
        if math.isfinite(hours) and hours >= 0:
            return hours + 0.0  # turns -0.0 into 0.0
    raise _Invalid(f"must be a finite number of hours, 0 or more, got {_shown(value)}")


# In the order of docs/clinical-rules.md, "Triage"; the dataclass below declares the same fields
# in the same order.
_FIELD_CHECKS: dict[str, Callable[[Any], Any]] = {
    "side": _choice_check(Side),
    "onset": _choice_check(Onset),
    "hours_since_onset": _hours_check,
    "pain_score": _pain_check,
    "pain_quality": _choice_check(PainQuality),
    "popping_sensation": _bool_check,
    "sudden_sharp_pain": _bool_check,
    "eased_with_rest": _bool_check,
    "overuse_or_dehydration": _bool_check,
    "weakness": _choice_check(Weakness),
    "can_bear_weight": _bool_check,
    "cannot_move_leg": _bool_check,
    "swelling": _choice_check(Swelling),
    "bruising": _choice_check(Bruising),
    "walking_difficulty_ongoing": _bool_check,
    "numbness": _bool_check,
}


def _checked(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Check every present field: (normalised values, problems by field)."""
    clean: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name, check in _FIELD_CHECKS.items():
        if name not in values:
            errors[name] = "is required"
            continue
        try:
            clean[name] = check(values[name])
        except _Invalid as invalid:
            errors[name] = str(invalid)
    return clean, errors


# --- The complaint -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Complaint:
    """What a coach records about a hamstring complaint (docs/clinical-rules.md, "Triage").

    Construction validates and normalises (plain strings become the enum members, an int
    ``hours_since_onset`` becomes a float), so a Complaint that exists is always triageable.
    """

    side: Side
    onset: Onset
    hours_since_onset: float
    pain_score: int
    pain_quality: PainQuality
    popping_sensation: bool
    sudden_sharp_pain: bool
    eased_with_rest: bool
    overuse_or_dehydration: bool
    weakness: Weakness
    can_bear_weight: bool
    cannot_move_leg: bool
    swelling: Swelling
    bruising: Bruising
    walking_difficulty_ongoing: bool
    numbness: bool

    def __post_init__(self) -> None:
        clean, errors = _checked({name: getattr(self, name) for name in _FIELD_CHECKS})
        if errors:
            raise TriageInputError.from_errors(errors)
        for name, value in clean.items():
            object.__setattr__(self, name, value)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Complaint:
        """Build from parsed JSON or form data; unknown keys are rejected, not ignored."""
        if not isinstance(data, Mapping):
            raise TriageInputError(None, f"a complaint must be a JSON object, got {_shown(data)}")
        clean, errors = _checked(data)
        for key in data:
            if key not in _FIELD_CHECKS:
                errors[str(key)] = "is not a complaint field"
        if errors:
            raise TriageInputError.from_errors(errors)
        return cls(**clean)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: enum members as their plain string values."""
        return {
            name: (value.value if isinstance(value, enum.Enum) else value)
            for name, value in zip(_FIELD_CHECKS, _all_fields(self))
        }


_all_fields = attrgetter(*_FIELD_CHECKS)
assert tuple(f.name for f in fields(Complaint)) == tuple(_FIELD_CHECKS)


# --- The result ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reason:
    """One rule that fired.

    ``value`` is the complaint value that fired it; a rule that reads several fields has
    ``field=None`` and a dict of those fields as its value.
    """

    rule: str
    field: str | None
    value: Any
    criterion: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        value = dict(self.value) if isinstance(self.value, dict) else self.value
        return {
            "rule": self.rule,
            "field": self.field,
            "value": value,
            "criterion": self.criterion,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class RecoveryWindow:
    """Expected days until return to training; an expectation, never a gate."""

    min_days: int
    max_days: int


@dataclass(frozen=True, slots=True)
class ProtectPhase:
    min_days: int
    max_days: int
    summary: str


# docs/clinical-rules.md, "Recovery windows": defaults (admins may tune the stored copies; these
# seed them).
RECOVERY_WINDOWS: dict[Classification, RecoveryWindow] = {
    Classification.CRAMP: RecoveryWindow(0, 1),
    Classification.DOMS: RecoveryWindow(1, 4),
    Classification.GRADE_1: RecoveryWindow(7, 21),  # Ekstrand 2012 BJSM 46:112, 17 +/- 10 days
    Classification.GRADE_2: RecoveryWindow(21, 42),  # Ekstrand 2012 (22 +/- 11), 2016 (24 +/- 13)
    Classification.GRADE_3: RecoveryWindow(84, 180),  # article: "a few months"
}

# Where each window comes from, in words a coach may read (published sources only).
RECOVERY_SOURCES: dict[Classification, str] = {
    Classification.CRAMP: "Hamstring article: causes of pain (a cramp eases within hours of rest)",
    Classification.DOMS: "Hamstring article: causes of pain (DOMS lasts 1 to 4 days)",
    Classification.GRADE_1: (
        "Hamstring article (a few weeks); Ekstrand 2012 BJSM 46:112 (grade I, 17 ± 10 days)"
    ),
    Classification.GRADE_2: (
        "Hamstring article (a few weeks); Ekstrand 2012 BJSM 46:112 (grade II, 22 ± 11 days); "
        "Ekstrand 2016 (24 ± 13 days)"
    ),
    Classification.GRADE_3: "Hamstring article (a few months; a complete tear may need surgery)",
}

PROTECT_PHASES: dict[Classification, ProtectPhase] = {
    Classification.CRAMP: ProtectPhase(0, 0, "A few hours of rest."),
    Classification.DOMS: ProtectPhase(0, 0, "No protect phase; make the next session lighter."),
    Classification.GRADE_1: ProtectPhase(1, 3, "Protect the muscle for 1 to 3 days."),
    Classification.GRADE_2: ProtectPhase(3, 5, "Protect the muscle for 3 to 5 days."),
    Classification.GRADE_3: ProtectPhase(
        7, 14, "Protect the muscle for 7 to 14 days, or as the doctor or surgeon directs."
    ),
}


# --- Warnings beyond the triage questions ---------------------------------------------------------
# docs/clinical-rules.md, "Red flags": signs a coach should know to watch for although the triage
# does not ask about them. They are advice to see a doctor, never triage inputs, so every result
# lists them all.

URGENCY_SEE_A_DOCTOR = "See a doctor"
URGENCY_URGENT = "Urgent"
URGENCY_EMERGENCY = "Emergency: call emergency services"


@dataclass(frozen=True, slots=True)
class Warning:  # noqa: A001 - the domain's name; this module never uses the builtin Warning
    """A "see a doctor" sign to watch for; ``urgency`` is the words shown before it."""

    code: str
    title: str
    text: str
    urgency: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "title": self.title, "text": self.text, "urgency": self.urgency}


RHABDOMYOLYSIS_WARNING = (
    "Get urgent medical help if the soreness is extreme, the muscle swells or the urine turns "
    "dark or cola-coloured, above all after hard or unfamiliar eccentric work such as a first "
    "block of Nordic curls: this can be rhabdomyolysis."
)

EXTRA_WARNINGS: tuple[Warning, ...] = (
    Warning(
        "avulsion",
        "Possible tendon avulsion",
        "A pop felt while the leg was forced into a splits-like position, pain when sitting down "
        "and a large bruise that appears a few days later can mean the tendon has come away from "
        "the bone. See a doctor soon: this injury may need a specialist's opinion early.",
        URGENCY_SEE_A_DOCTOR,
    ),
    Warning(
        "clot",
        "Possible blood clot",
        "A calf or leg that swells and feels warm and looks red can be a blood clot rather than a "
        "muscle injury. Stop training and have a doctor check it the same day.",
        URGENCY_URGENT,
    ),
    Warning(
        "saddle_numbness",
        "Numbness in the saddle area or a bladder or bowel change",
        "Numbness around the buttocks, groin or inner thighs (the saddle area), or any new change "
        "in bladder or bowel control, can mean pressure on the nerves at the base of the spine. "
        "Call emergency services straight away; do not wait for an appointment.",
        URGENCY_EMERGENCY,
    ),
    Warning(
        "rhabdomyolysis",
        "Possible rhabdomyolysis",
        RHABDOMYOLYSIS_WARNING,
        URGENCY_URGENT,
    ),
)
WARNINGS_BY_CODE: dict[str, Warning] = {warning.code: warning for warning in EXTRA_WARNINGS}

# DOMS after hard eccentric work is where rhabdomyolysis hides, so it leads the list there.
_DOMS_WARNINGS: tuple[Warning, ...] = (WARNINGS_BY_CODE["rhabdomyolysis"],) + tuple(
    warning for warning in EXTRA_WARNINGS if warning.code != "rhabdomyolysis"
)


def warnings_for(classification: Classification | str) -> tuple[Warning, ...]:
    """Every extra warning, in the order to show them for this classification.

    All four for every classification (they are things to watch for); on DOMS the
    rhabdomyolysis one comes first. ``classification`` may be the enum member or its value.
    """
    if Classification(classification) is Classification.DOMS:
        return _DOMS_WARNINGS
    return EXTRA_WARNINGS


# --- First-days advice ----------------------------------------------------------------------------

MEDICATION_NOTE = (
    "Give pain or anti-inflammatory medication only on a doctor's or pharmacist's advice."
)

_PROTECT_ADVICE = (
    "Avoid stretching or loading the muscle hard, and use ice now and then if it swells. "
)

# Without an urgent referral: the advice for the classification.
ADVICE: dict[Classification, str] = {
    Classification.CRAMP: (
        "Stop, rest the leg and drink some fluid. A cramp should settle within a few hours; if "
        "it has not, record the complaint again so it can be checked as a possible strain. "
        + MEDICATION_NOTE
    ),
    Classification.DOMS: (
        "Soreness after training is expected and fades within 1 to 4 days. Keep moving gently "
        "and make the next session lighter; very heavy soreness means the last one was too hard. "
        + RHABDOMYOLYSIS_WARNING
    ),
    Classification.GRADE_1: (
        PROTECT_PHASES[Classification.GRADE_1].summary
        + " "
        + _PROTECT_ADVICE
        + "Then start the rehab programme and move on by how the leg responds, not by the date. "
        + MEDICATION_NOTE
    ),
    Classification.GRADE_2: (
        PROTECT_PHASES[Classification.GRADE_2].summary
        + " "
        + _PROTECT_ADVICE
        + "Have a doctor or physiotherapist assess it before rehab starts; a doctor's clearance is "
        "needed before full return. "
        + MEDICATION_NOTE
    ),
    Classification.GRADE_3: (
        "Keep weight and strain off the leg and see a doctor now: a complete tear may need "
        "imaging or surgery. "
        + PROTECT_PHASES[Classification.GRADE_3].summary
        + " "
        + MEDICATION_NOTE
    ),
}

# docs/clinical-rules.md, "Urgent pathway": with an urgent referral the advice is to stop training
# and see a doctor, whatever the classification. Every urgent advice opens with this sentence;
# what follows is the care until the doctor's review, and never tells the athlete to carry on
# (no "keep moving", no "drink some fluid" as if that settled it).
STOP_AND_SEE_A_DOCTOR = (
    "Stop training now and see a doctor today; do not wait to see whether it settles."
)

_UNTIL_REVIEWED = (
    "Until the doctor has seen the leg, protect the muscle: avoid stretching or loading it hard, "
    "and use ice now and then if it swells. "
)

_URGENT_CARE: dict[Classification, str] = {
    Classification.CRAMP: (
        "Rest the leg until then, even if the cramp eases: a cramp that comes with a red flag "
        "needs a doctor's check before any more exercise. "
        + MEDICATION_NOTE
    ),
    Classification.DOMS: (
        "Rest the leg until then, with no training at all, not even a light session. Tell the "
        "doctor about the last sessions; get help at once if the soreness or swelling becomes "
        "extreme or the urine turns dark or cola-coloured (possible rhabdomyolysis). "
        + MEDICATION_NOTE
    ),
    Classification.GRADE_1: (
        _UNTIL_REVIEWED
        + "Rehab starts only after the doctor's review. "
        + MEDICATION_NOTE
    ),
    Classification.GRADE_2: (
        _UNTIL_REVIEWED
        + "Rehab starts only after the doctor's review, and a doctor's clearance is needed before "
        "full return. "
        + MEDICATION_NOTE
    ),
    Classification.GRADE_3: (
        "Keep weight and strain off the leg: a complete tear may need imaging or surgery. "
        + PROTECT_PHASES[Classification.GRADE_3].summary
        + " "
        + MEDICATION_NOTE
    ),
}
URGENT_ADVICE: dict[Classification, str] = {
    classification: f"{STOP_AND_SEE_A_DOCTOR} {care}"
    for classification, care in _URGENT_CARE.items()
}


def advice_for(classification: Classification | str, referral: Referral | str) -> str:
    """The first-days advice for a classification under a referral.

    An urgent referral (a red flag, or grade 3) gets the stop-and-see-a-doctor advice whatever the
    classification; any other referral gets the classification's own advice. Enum members or
    their string values; an unknown value raises ValueError.
    """
    classification = Classification(classification)
    if Referral(referral) is Referral.URGENT:
        return URGENT_ADVICE[classification]
    return ADVICE[classification]


GUIDANCE_NOTE = (
    "This triage is guidance for coaches, not a diagnosis. If in doubt, and always when the "
    "referral says so, the athlete should see a doctor."
)


@dataclass(frozen=True, slots=True)
class TriageResult:
    classification: Classification
    referral: Referral
    red_flags: tuple[RedFlag, ...]
    reasons: tuple[Reason, ...]
    recovery: RecoveryWindow

    @property
    def advice(self) -> str:
        return advice_for(self.classification, self.referral)

    @property
    def warnings(self) -> tuple[Warning, ...]:
        return warnings_for(self.classification)

    @property
    def protect_phase(self) -> ProtectPhase:
        return PROTECT_PHASES[self.classification]

    @property
    def guidance_note(self) -> str:
        return GUIDANCE_NOTE

    def to_dict(self) -> dict[str, Any]:
        return {
            "classification": self.classification.value,
            "referral": self.referral.value,
            "red_flags": [flag.value for flag in self.red_flags],
            "reasons": [reason.to_dict() for reason in self.reasons],
            "recovery_days": {"min": self.recovery.min_days, "max": self.recovery.max_days},
            "advice": self.advice,
            "warnings": [warning.to_dict() for warning in self.warnings],
            "guidance_note": GUIDANCE_NOTE,
        }


# --- Rule tables ---------------------------------------------------------------------------------
# Reasons whose value is a single scalar are built once here and shared between results (they are
# immutable). Reasons carrying a dict value are built per call so that no caller can alter another
# result's reason.

# Sources as coaches see them: the article and published papers only. The app's own limits (a
# cramp counted for 6 hours unless eased, DOMS for 96 hours) are explained in the criteria and in
# docs/clinical-rules.md, "Triage".
_SRC_RED_FLAGS = "Hamstring article: 'Red Flags (Definitely Contact a Doctor)'"
_SRC_CRAMP = "Hamstring article: causes of pain, mild cramping (a cramp eases within hours of rest)"
_SRC_DOMS = "Hamstring article: causes of pain, DOMS (it lasts 1 to 4 days)"
_SRC_CAUSES = (
    "Hamstring article: causes of pain (a cramp eases within hours; DOMS lasts 1 to 4 days)"
)
_SRC_STRAIN = "Hamstring article: strain grades and signs of a tear"
_SRC_REFERRAL = "Hamstring article: strain grades and red flags (when to see a doctor)"

# The source of each rule, by the part of its code before the dot ("sign.swelling" -> "sign").
_SOURCES_BY_RULE_GROUP: dict[str, str] = {
    "red_flag": _SRC_RED_FLAGS,
    "cramp": _SRC_CRAMP,
    "doms": _SRC_DOMS,
    "strain": _SRC_CAUSES,
    "sign": _SRC_STRAIN,
    "referral": _SRC_REFERRAL,
}


def source_for_rule(rule: str) -> str | None:
    """Today's source for a reason's rule code, or None for a code the rules do not know.

    Pages use it for results stored before a source's wording changed.
    """
    return _SOURCES_BY_RULE_GROUP.get(rule.partition(".")[0])


CRAMP_MAX_HOURS_UNEASED = 6.0  # a cramp not eased by rest must be younger than this
DOMS_MAX_HOURS = 96.0  # the article's 4 days

_RED_FLAG_CRITERIA: dict[RedFlag, str] = {
    RedFlag.CANNOT_MOVE_LEG_WITH_PERSISTING_PAIN: (
        "Article, 'Red flags': a leg that cannot be moved while thigh pain carries on means "
        "contacting a doctor"
    ),
    RedFlag.ONGOING_WALKING_DIFFICULTY: (
        "Article, 'Red flags': walking that stays difficult means contacting a doctor"
    ),
    RedFlag.NUMBNESS: (
        "Article, 'Red flags': numbness in the lower back, hips or legs means contacting a doctor"
    ),
}


def _red_flag_reason(flag: RedFlag, field: str | None, value: Any) -> Reason:
    return Reason(f"red_flag.{flag.value}", field, value, _RED_FLAG_CRITERIA[flag], _SRC_RED_FLAGS)


_WALKING_REASON = _red_flag_reason(
    RedFlag.ONGOING_WALKING_DIFFICULTY, "walking_difficulty_ongoing", True
)
_NUMBNESS_REASON = _red_flag_reason(RedFlag.NUMBNESS, "numbness", True)

# Strain sign table (docs/clinical-rules.md, "Triage"). Per sign: the level of each value, and
# the article criterion for levels above 1. Levels above 1 are exactly the "strain signs".
_SIGN_LEVELS: dict[str, dict[Any, tuple[int, str | None]]] = {
    "swelling": {
        Swelling.NONE: (1, None),
        Swelling.MILD: (1, None),
        Swelling.MODERATE: (2, "Article, strain grades: moderate swelling points to grade 2"),
        Swelling.SEVERE: (3, "Article, strain grades: severe swelling points to grade 3"),
    },
    "weakness": {
        Weakness.NONE: (1, None),
        Weakness.PARTIAL: (2, "Article, tear signs: partial leg weakness points to grade 2"),
        Weakness.COMPLETE: (3, "Article, tear signs: complete leg weakness points to grade 3"),
    },
    "bruising": {
        Bruising.NONE: (1, None),
        Bruising.SOME: (1, None),
        Bruising.HEAVY: (2, "Article, tear signs: heavy bruising points to grade 2"),
    },
    "popping_sensation": {
        False: (1, None),
        True: (2, "Article, tear signs: a pop felt as it happened points to grade 2"),
    },
    "sudden_sharp_pain": {
        False: (1, None),
        True: (2, "Article, tear signs: a sudden, sharp pain as it began points to grade 2"),
    },
    "can_bear_weight": {
        True: (1, None),
        False: (2, "Article, tear signs: no weight on the injured leg points to grade 2"),
    },
    "cannot_move_leg": {
        False: (1, None),
        True: (3, "Article, strain grades: a leg that cannot be used points to grade 3"),
    },
}

# Pain is graded in the same table but is not a strain sign by itself.
_PAIN_LEVEL_CRITERIA = {
    1: "Article, strain grades: mild pain (0 to 4 of 10) fits grade 1",
    2: "Article, strain grades: moderate pain (5 to 7 of 10) fits grade 2",
    3: "Article, strain grades: severe pain (8 to 10 of 10) fits grade 3",
}
_PAIN_LEVELS: tuple[int, ...] = (1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3)  # indexed by pain_score

# Precomputed per sign and value: (level, reason or None). A tuple in table order, read with one
# attrgetter call, keeps triage() to a single short loop.
_SIGN_FIELDS: tuple[str, ...] = tuple(_SIGN_LEVELS)
_sign_values = attrgetter(*_SIGN_FIELDS)
_SIGN_TABLE: tuple[dict[Any, tuple[int, Reason | None]], ...] = tuple(
    {
        value: (
            level,
            None
            if criterion is None
            else Reason(
                f"sign.{name}",
                name,
                value.value if isinstance(value, enum.Enum) else value,
                criterion,
                _SRC_STRAIN,
            ),
        )
        for value, (level, criterion) in levels.items()
    }
    for name, levels in _SIGN_LEVELS.items()
)
_PAIN_REASONS: tuple[Reason, ...] = tuple(
    Reason("sign.pain_score", "pain_score", score, _PAIN_LEVEL_CRITERIA[level], _SRC_STRAIN)
    for score, level in enumerate(_PAIN_LEVELS)
)

_CRAMP_CRITERION = (
    "Article, causes of pain: a cramp (overuse or dehydration) is cramping pain during activity, "
    "with no swelling or bruising, that eases with a few hours of rest; counted as a cramp while "
    "eased or under 6 hours old"
)
_DOMS_CRITERION = (
    "Article, causes of pain: DOMS is a dull ache or stiffness that comes on after training and "
    "lasts 1 to 4 days (up to 96 hours); a high pain score means the session was too hard"
)
_CRAMP_NOT_EASED_CRITERION = (
    "Article, causes of pain: a cramp eases within a few hours of rest; one not eased after 6 "
    "hours is treated as a strain"
)
_CRAMP_WITH_SWELLING_CRITERION = (
    "Article, causes of pain: a cramp leaves no swelling or bruising; with either it is treated "
    "as a strain"
)
_DOMS_PAST_4_DAYS_CRITERION = (
    "Article, causes of pain: DOMS lasts 1 to 4 days; pain beyond 96 hours is not DOMS and is "
    "treated as a strain"
)
_NO_PATTERN_CRITERION = (
    "Article, causes of pain: pain that fits neither a cramp (cramping during activity) nor "
    "DOMS (dull ache or stiffness after training) is treated as a strain, graded by pain"
)

_DOMS_QUALITIES = frozenset({PainQuality.DULL_ACHE, PainQuality.STIFFNESS})

_GRADE_BY_LEVEL: dict[int, Classification] = dict(enumerate(STRAIN_GRADES, start=1))

# Referral rule (docs/clinical-rules.md, "Triage") as a table: (classification, any red flag) ->
# referral and the criterion shown for it. Any red flag makes it urgent whatever the classification.
_RED_FLAG_REFERRAL = (Referral.URGENT, "Any red flag means seeing a doctor now, whatever the grade")
_REFERRAL_RULES: dict[tuple[Classification, bool], tuple[Referral, str]] = {
    (Classification.CRAMP, False): (
        Referral.NONE,
        "Article: a cramp settles with rest and needs no referral",
    ),
    (Classification.DOMS, False): (
        Referral.NONE,
        "Article: soreness after training needs no referral; make the next session lighter",
    ),
    (Classification.GRADE_1, False): (
        Referral.IF_NOT_IMPROVING,
        "Article: a grade 1 strain heals with time; see a doctor if it is not improving",
    ),
    (Classification.GRADE_2, False): (
        Referral.RECOMMENDED,
        "Article: a grade 2 strain is a partial tear; a doctor should assess it",
    ),
    (Classification.GRADE_3, False): (
        Referral.URGENT,
        "Article: a grade 3 strain is a complete tear that may need surgery, so see a doctor now",
    ),
    (Classification.CRAMP, True): _RED_FLAG_REFERRAL,
    (Classification.DOMS, True): _RED_FLAG_REFERRAL,
    (Classification.GRADE_1, True): _RED_FLAG_REFERRAL,
    (Classification.GRADE_2, True): _RED_FLAG_REFERRAL,
    (Classification.GRADE_3, True): (
        Referral.URGENT,
        "Red flags and a suspected grade 3 strain both mean seeing a doctor now",
    ),
}
# The reason's value is the classification the rule read; the red flags it read are listed in
# the result, each with a reason of its own.
_REFERRAL_REASONS: dict[tuple[Classification, bool], tuple[Referral, Reason]] = {
    key: (
        referral,
        Reason(f"referral.{referral.value}", None, key[0].value, criterion, _SRC_REFERRAL),
    )
    for key, (referral, criterion) in _REFERRAL_RULES.items()
}


# --- The triage ----------------------------------------------------------------------------------


def _cramp_or_doms(c: Complaint, reasons: list[Reason]) -> Classification | None:
    """Step 3 of triage(), for a complaint with no strain sign: cramp, else DOMS, else None.

    Appends the reason either way: the criteria that matched, or why a near miss is a strain.
    """
    if c.pain_quality is PainQuality.CRAMPING and c.onset is Onset.DURING_ACTIVITY:
        no_swelling_or_bruising = c.swelling is Swelling.NONE and c.bruising is Bruising.NONE
        recent = c.hours_since_onset < CRAMP_MAX_HOURS_UNEASED
        if no_swelling_or_bruising and (c.eased_with_rest or recent):
            matched: dict[str, Any] = {
                "pain_quality": c.pain_quality.value,
                "onset": c.onset.value,
                "swelling": c.swelling.value,
                "bruising": c.bruising.value,
            }
            if c.eased_with_rest:
                matched["eased_with_rest"] = True
            if recent:
                matched["hours_since_onset"] = c.hours_since_onset
            reasons.append(Reason("cramp.criteria", None, matched, _CRAMP_CRITERION, _SRC_CRAMP))
            return Classification.CRAMP
        if not no_swelling_or_bruising:
            reasons.append(
                Reason(
                    "cramp.swelling_or_bruising",
                    None,
                    {"swelling": c.swelling.value, "bruising": c.bruising.value},
                    _CRAMP_WITH_SWELLING_CRITERION,
                    _SRC_CRAMP,
                )
            )
        if not (c.eased_with_rest or recent):
            reasons.append(
                Reason(
                    "cramp.not_eased_after_6_hours",
                    "hours_since_onset",
                    c.hours_since_onset,
                    _CRAMP_NOT_EASED_CRITERION,
                    _SRC_CRAMP,
                )
            )
        return None

    if c.pain_quality in _DOMS_QUALITIES and c.onset is Onset.AFTER_ACTIVITY:
        if c.hours_since_onset <= DOMS_MAX_HOURS:
            matched = {
                "pain_quality": c.pain_quality.value,
                "onset": c.onset.value,
                "hours_since_onset": c.hours_since_onset,
            }
            reasons.append(Reason("doms.criteria", None, matched, _DOMS_CRITERION, _SRC_DOMS))
            return Classification.DOMS
        reasons.append(
            Reason(
                "doms.past_4_days",
                "hours_since_onset",
                c.hours_since_onset,
                _DOMS_PAST_4_DAYS_CRITERION,
                _SRC_DOMS,
            )
        )
        return None

    reasons.append(
        Reason(
            "strain.no_cramp_or_doms_pattern",
            None,
            {"pain_quality": c.pain_quality.value, "onset": c.onset.value},
            _NO_PATTERN_CRITERION,
            _SRC_CAUSES,
        )
    )
    return None


def triage(complaint: Complaint) -> TriageResult:
    """Classify a complaint and say whether and how soon a doctor is needed.

    The rules are docs/clinical-rules.md, "Triage" and "Red flags".

    Steps:
    1. Red flags, each on its own and independent of the grade.
    2. Strain signs: every sign in the strain table at level 2 or more.
    3. With no strain sign: cramp, else DOMS, if their patterns match.
    4. Otherwise a strain, graded by the highest level among the signs and the pain score.
    5. Referral: urgent for any red flag or grade 3, else by classification.
    Reasons come out in that order (red flags, classification, referral), so the same complaint
    always gives an identical result.
    """
    c = complaint
    reasons: list[Reason] = []
    red_flags: list[RedFlag] = []

    # 1. Red flags.
    if c.cannot_move_leg and c.pain_score >= 1:
        red_flags.append(RedFlag.CANNOT_MOVE_LEG_WITH_PERSISTING_PAIN)
        reasons.append(
            _red_flag_reason(
                RedFlag.CANNOT_MOVE_LEG_WITH_PERSISTING_PAIN,
                None,
                {"cannot_move_leg": True, "pain_score": c.pain_score},
            )
        )
    if c.walking_difficulty_ongoing:
        red_flags.append(RedFlag.ONGOING_WALKING_DIFFICULTY)
        reasons.append(_WALKING_REASON)
    if c.numbness:
        red_flags.append(RedFlag.NUMBNESS)
        reasons.append(_NUMBNESS_REASON)

    # 2. Strain signs and their highest level.
    level = 1
    sign_reasons: list[Reason] = []
    for table, value in zip(_SIGN_TABLE, _sign_values(c)):
        sign_level, sign_reason = table[value]
        if sign_reason is not None:
            sign_reasons.append(sign_reason)
            if sign_level > level:
                level = sign_level

    # 3. Cramp or DOMS, only without strain signs.
    classification = None if sign_reasons else _cramp_or_doms(c, reasons)

    # 4. A strain, graded by the highest level (pain included).
    if classification is None:
        pain_level = _PAIN_LEVELS[c.pain_score]
        if pain_level > level:
            level = pain_level
        classification = _GRADE_BY_LEVEL[level]
        reasons.append(_PAIN_REASONS[c.pain_score])
        reasons.extend(sign_reasons)

    # 5. Referral.
    referral, referral_reason = _REFERRAL_REASONS[(classification, bool(red_flags))]
    reasons.append(referral_reason)

    return TriageResult(
        classification,
        referral,
        tuple(red_flags),
        tuple(reasons),
        RECOVERY_WINDOWS[classification],
    )


def referral_for(classification: Classification, has_red_flags: bool) -> Referral:
    """The referral rule alone, for a classification a coach has overridden."""
    return _REFERRAL_RULES[(Classification(classification), has_red_flags)][0]
