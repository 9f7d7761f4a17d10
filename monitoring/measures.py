"""Load, exposure and risk: the arithmetic of monitoring (docs/load-and-risk.md).

Plain Python on purpose (no Django import), like ``testing/measures.py``: frozen dataclasses in,
frozen dataclasses out, tested without a database. Dates come in already as the athlete's own
days: the caller turns moments into days in the athlete's time zone; weeks here are ISO weeks,
Monday to Sunday.

Every threshold is in ``Thresholds`` (one set of defaults admins may tune later). Nothing here
computes an injury probability: each result is a number as it is, or a flag with its reason and
its published source (docs/load-and-risk.md#guidance-not-a-score).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation


class MeasureError(ValueError):
    """A value that cannot be a session, a GPS row or a morning's answers."""


# --- Sources (shown beside each flag; docs/load-and-risk.md lists them in full) -----------------

FOSTER_2001 = "Foster 2001, J Strength Cond Res 15:109 (session RPE × minutes)"
DUHIG_2016 = "Duhig 2016, Br J Sports Med 50:1536 (large weekly rises in high-speed running)"
GABBETT_2016 = "Gabbett 2016, Br J Sports Med 50:273 (spikes in load)"
MALONE_2017 = "Malone 2017, J Sci Med Sport 20:250 (near-maximal speed exposure was protective)"
OPAR_2015 = "Opar 2015, Med Sci Sports Exerc 47:857 (under 256 N at the start of pre-season)"
OPAR_2015_AGE = "Opar 2015, Med Sci Sports Exerc 47:857 (older age and a previous injury add risk, less so in stronger athletes)"
PETERSEN_2011 = "Petersen 2011, Am J Sports Med 39:2296 (the Nordic programme; 30 reps a week in maintenance)"
ZEIN_2024 = "Zein 2024, Br J Sports Med 58:766 (re-injuries cluster in the two months after a return)"
PREVIOUS_INJURY = "Green 2020, Br J Sports Med 54:1081 (a previous hamstring injury is the strongest known factor)"
APP_DEFAULT = "the app's own default"
ASYMMETRY_RULE = "Return checklist: strength within about 10% of the other side (Erickson & Sherry 2017, J Sport Health Sci 6:262)"


@dataclass(frozen=True)
class Thresholds:
    """Every number monitoring judges by (docs/load-and-risk.md). Admins may tune them later."""

    # docs/load-and-risk.md#high-speed-running (Duhig 2016, Gabbett 2016)
    hsr_spike_ratio: Decimal = Decimal("1.5")
    hsr_baseline_weeks: int = 4
    # docs/load-and-risk.md#near-maximal-speed (Malone 2017)
    near_max_share: Decimal = Decimal("0.90")
    exposure_gap_days: int = 10
    # docs/clinical-rules.md#running: the maximal-sprint item; 95% is the app's default
    max_sprint_share: Decimal = Decimal("0.95")
    # docs/clinical-rules.md#recurrence: 60 days after a return (Zein 2024)
    watch_days: int = 60
    # docs/clinical-rules.md#nordic-dose: maintenance is 1 session of 12 + 10 + 8 (Petersen 2011)
    protective_weekly_nordic_reps: int = 30
    nordic_missed_weeks: int = 2  # app's default
    dose_no_gain_weeks: int = 6  # app's default
    # docs/load-and-risk.md#eccentric-strength (Opar 2015)
    eccentric_min_n: Decimal = Decimal(256)
    # testing's strength threshold (TestType.asymmetry_threshold_pct) is passed in by the caller;
    # this is only the fallback when no Nordic test type is set up.
    asymmetry_limit_pct: Decimal = Decimal(10)
    tightness_rising_mornings: int = 2
    # docs/load-and-risk.md#pain-in-training: hamstring pain reported for a team session alerts
    # the coaches above the programme's own limits (docs/clinical-rules.md): the strength ladders'
    # (above 5/10, Hickey 2020), or the running ladder's (above 2/10) while an injury is open.
    training_pain_alert_above: int = 5
    injured_pain_alert_above: int = 2
    # App's default: the source reports age as a risk that grows with age (an interaction with
    # strength), not a cut-off; 24 is our reading of "older" there and is flagged as our default.
    older_age_years: int = 24


DEFAULTS = Thresholds()


def _decimal(number, what: str) -> Decimal:
    if isinstance(number, Decimal):
        value = number
    else:
        try:
            value = Decimal(str(number))
        except (InvalidOperation, ValueError):
            raise MeasureError(f"{what} must be a number, not {number!r}.") from None
    if not value.is_finite() or value < 0:
        raise MeasureError(f"{what} must be a number of 0 or more, not {number}.")
    return value


def week_of(day: date) -> date:
    """The Monday of the day's ISO week."""
    return day - timedelta(days=day.weekday())


def weeks_back(this_monday: date, count: int) -> list[date]:
    """The ``count`` complete weeks before ``this_monday``, oldest first."""
    return [this_monday - timedelta(weeks=n) for n in range(count, 0, -1)]


def _one_decimal(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Session load (docs/load-and-risk.md#session-load, Foster 2001) -----------------------------


RPE_MAX = 10
MINUTES_MAX = 600  # ten hours: anything longer is a typing slip


@dataclass(frozen=True)
class Session:
    day: date
    rpe: int
    minutes: int

    def __post_init__(self):
        if isinstance(self.rpe, bool) or not isinstance(self.rpe, int) or not 0 <= self.rpe <= RPE_MAX:
            raise MeasureError(f"The effort (RPE) must be a whole number from 0 to {RPE_MAX}, not {self.rpe!r}.")
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int) or not 0 < self.minutes <= MINUTES_MAX:
            raise MeasureError(f"The minutes must be a whole number from 1 to {MINUTES_MAX}, not {self.minutes!r}.")

    @property
    def load(self) -> int:
        return session_load(self.rpe, self.minutes)


def session_load(rpe: int, minutes: int) -> int:
    """Foster's session load in arbitrary units: the session's RPE (0-10) times its minutes."""
    return rpe * minutes


@dataclass(frozen=True)
class WeekLoad:
    week: date  # its Monday
    load: int
    sessions: int
    change: int | None  # against the week before; None for the first week shown


def weekly_loads(sessions: Iterable[Session], weeks: Sequence[date]) -> tuple[WeekLoad, ...]:
    """The load of each of ``weeks`` (Mondays, oldest first), with its change from the week
    before; a week without a session is 0. Shown as it is: no ratio, no score."""
    totals, counts = defaultdict(int), defaultdict(int)
    for session in sessions:
        week = week_of(session.day)
        totals[week] += session.load
        counts[week] += 1
    rows, previous = [], None
    for week in weeks:
        load = totals.get(week, 0)
        change = None if previous is None else load - previous
        rows.append(WeekLoad(week, load, counts.get(week, 0), change))
        previous = load
    return tuple(rows)


@dataclass(frozen=True)
class TeamWeek:
    week: date
    total: int
    athletes: int  # athletes with at least one session that week
    mean: int | None  # per athlete who trained, rounded; None when nobody did


def team_weekly_loads(per_athlete: Mapping[object, Iterable[Session]], weeks: Sequence[date]) -> tuple[TeamWeek, ...]:
    """The team's total load per week and its mean over the athletes who logged a session."""
    return team_weeks([weekly_loads(sessions, weeks) for sessions in per_athlete.values()], weeks)


def team_weeks(loads: Iterable[Sequence[WeekLoad]], weeks: Sequence[date]) -> tuple[TeamWeek, ...]:
    """``team_weekly_loads`` from each athlete's ``weekly_loads`` of the same ``weeks``, for a
    caller that has them already (the team's page shows both)."""
    rows = []
    loads = list(loads)
    for n, week in enumerate(weeks):
        trained = [athlete_weeks[n].load for athlete_weeks in loads if athlete_weeks[n].sessions]
        total = sum(trained)
        mean = int((Decimal(total) / len(trained)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if trained else None
        rows.append(TeamWeek(week, total, len(trained), mean))
    return tuple(rows)


def training_pain_alerts(pain: int | None, *, injury_open: bool, t: Thresholds = DEFAULTS) -> bool:
    """Whether a hamstring pain reported for a team training or match is one the coaches must hear
    about now (docs/load-and-risk.md#pain-in-training): above the strength ladders' limit, or
    above the running ladder's while an injury is still open. No answer, no alert."""
    if pain is None:
        return False
    return pain > (t.injured_pain_alert_above if injury_open else t.training_pain_alert_above)


# --- High-speed running (docs/load-and-risk.md#high-speed-running) ------------------------------


@dataclass(frozen=True)
class GpsRun:
    """One GPS session, in the units stored: metres and metres per second."""

    day: date
    hsr_m: Decimal = Decimal(0)
    max_velocity: Decimal | None = None  # m/s

    def __post_init__(self):
        object.__setattr__(self, "hsr_m", _decimal(self.hsr_m, "The high-speed running distance"))
        if self.max_velocity is not None:
            object.__setattr__(self, "max_velocity", _decimal(self.max_velocity, "The maximal velocity"))


@dataclass(frozen=True)
class HsrWeek:
    week: date
    distance: Decimal | None  # None: no GPS row that week
    baseline: Decimal | None  # the previous weeks' average; None without enough history
    ratio: Decimal | None  # distance / baseline, one decimal; None when it cannot be said
    spike: bool
    reason: str


def weekly_hsr(runs: Iterable[GpsRun]) -> dict[date, Decimal]:
    """Metres of high-speed running per week, only for weeks with at least one GPS row: a week
    without a row is not known to be 0 (no GPS worn, no file imported)."""
    weeks = defaultdict(Decimal)
    for run in runs:
        weeks[week_of(run.day)] += run.hsr_m
    return dict(weeks)


def hsr_week(weekly: Mapping[date, Decimal], week: date, t: Thresholds = DEFAULTS) -> HsrWeek:
    """The week's high-speed running against the average of the ``hsr_baseline_weeks`` weeks
    before it; a spike above ``hsr_spike_ratio`` times that average (Duhig 2016, Gabbett 2016).

    Not enough history, no flag: each of the previous weeks needs a GPS row, or the average
    would count unknown weeks as 0 and every return from a break would look like a spike.
    An average of 0 with running this week is a spike (anything is above 1.5 × 0).
    """
    distance = weekly.get(week)
    before = weeks_back(week, t.hsr_baseline_weeks)
    known = [weekly[w] for w in before if w in weekly]
    if distance is None:
        return HsrWeek(week, None, None, None, False, "No GPS data this week.")
    if len(known) < t.hsr_baseline_weeks:
        return HsrWeek(week, distance, None, None, False,
                       f"Not enough history: GPS data in {len(known)} of the previous {t.hsr_baseline_weeks} weeks, so no spike is judged.")
    baseline = sum(known, Decimal(0)) / t.hsr_baseline_weeks
    limit = baseline * t.hsr_spike_ratio
    spike = distance > limit
    ratio = _one_decimal(distance / baseline) if baseline else None
    shown = f"{ratio}×" if ratio is not None else "more than"
    reason = (f"{_m(distance)} of high-speed running is {shown} the {t.hsr_baseline_weeks}-week average of {_m(baseline)}"
              + (f", above the {t.hsr_spike_ratio}× limit." if spike else "."))
    return HsrWeek(week, distance, _one_decimal(baseline), ratio, spike, reason)


def _m(metres: Decimal) -> str:
    return f"{metres.quantize(Decimal(1), rounding=ROUND_HALF_UP)} m"


# --- Near-maximal speed (docs/load-and-risk.md#near-maximal-speed, Malone 2017) -----------------


def best_velocity(entered: Decimal | None, runs: Iterable[GpsRun]) -> Decimal | None:
    """The athlete's maximal velocity: the best of the entered value and every GPS row."""
    candidates = [run.max_velocity for run in runs if run.max_velocity is not None]
    if entered is not None:
        candidates.append(_decimal(entered, "The maximal velocity"))
    return max(candidates, default=None)


@dataclass(frozen=True)
class Exposure:
    last_near_max: date | None  # the last run at >= near_max_share of the maximal velocity
    days_since: int | None  # None: no maximal velocity known, so nothing can be said
    flagged: bool
    reason: str


def exposure(runs: Iterable[GpsRun], max_velocity: Decimal | None, today: date, *, watch_from: date | None,
             t: Thresholds = DEFAULTS) -> Exposure:
    """Days since the last run at >= 90% of the athlete's maximal velocity, flagged at 10 or more
    while watched (in return to training, or within the window after a return).

    ``watch_from`` is when the watch began (entering return to training, or the return); the
    days are counted from the later of that day and the last near-maximal run, so an athlete
    who entered return to training 3 days ago is not yet flagged. None: not watched, never flagged.
    """
    if max_velocity is None or max_velocity <= 0:
        return Exposure(None, None, False, "No maximal velocity recorded: enter one, or import GPS data.")
    floor = max_velocity * t.near_max_share
    near = [run.day for run in runs if run.max_velocity is not None and run.max_velocity >= floor and run.day <= today]
    last = max(near, default=None)
    start = max(filter(None, (last, watch_from)), default=None)
    if start is None:
        return Exposure(None, None, False, "No run at 90% of maximal velocity recorded.")
    days = (today - start).days
    flagged = watch_from is not None and days >= t.exposure_gap_days
    pct = int(t.near_max_share * 100)
    if last is None:
        reason = f"No run at {pct}% of maximal velocity since {watch_from:%-d %b} ({days} days)."
    else:
        reason = f"Last run at {pct}% of maximal velocity {days} days ago."
    if flagged:
        reason += f" {t.exposure_gap_days} days or more without one after an injury is flagged."
    return Exposure(last, days, flagged, reason)


def maximal_sprint_ticks(velocity: Decimal | None, max_velocity: Decimal | None, pain: int | None,
                         t: Thresholds = DEFAULTS) -> bool:
    """A GPS session ticks the running ladder's maximal sprint (docs/clinical-rules.md#running):
    at >= 95% of the athlete's maximal velocity, with pain 0 reported for it. No pain answer,
    no tick: a sprint is never assumed pain-free."""
    if velocity is None or not max_velocity or pain is None:
        return False
    return pain == 0 and velocity >= max_velocity * t.max_sprint_share


# --- Nordic dose against strength (docs/load-and-risk.md#dose-and-strength) ---------------------


@dataclass(frozen=True)
class ForceReading:
    """A Nordic test: peak force per leg, in newtons."""

    day: date
    left: Decimal
    right: Decimal

    def __post_init__(self):
        object.__setattr__(self, "left", _decimal(self.left, "The left force"))
        object.__setattr__(self, "right", _decimal(self.right, "The right force"))


@dataclass(frozen=True)
class DoseAndStrength:
    weeks: tuple[tuple[date, int], ...]  # (Monday, Nordic reps) of the complete weeks shown
    latest_force: ForceReading | None
    under_dose: bool  # the last complete week below the protective dose
    not_stronger: bool  # the dose kept for dose_no_gain_weeks, and neither leg stronger
    reasons: tuple[str, ...]


def dose_and_strength(weekly_reps: Mapping[date, int], readings: Sequence[ForceReading], this_monday: date,
                      t: Thresholds = DEFAULTS, *, on_programme: bool = True) -> DoseAndStrength:
    """Weekly Nordic reps beside the Nordic force trend.

    - Under the protective dose: the last complete week had fewer reps than
      ``protective_weekly_nordic_reps`` (only for an athlete on a programme: someone on no
      programme is prescribed no dose).
    - Doing the dose, not getting stronger: each of the last ``dose_no_gain_weeks`` complete
      weeks at the protective dose or above, and no Nordic test in those weeks beats, on either
      leg, the last test before them. Without a test before and a test within, not judged.
    """
    span = weeks_back(this_monday, t.dose_no_gain_weeks)
    weeks = tuple((week, int(weekly_reps.get(week, 0))) for week in span)
    readings = sorted(readings, key=lambda reading: reading.day)
    latest = readings[-1] if readings else None
    reasons = []
    last_reps = weeks[-1][1]
    under = on_programme and last_reps < t.protective_weekly_nordic_reps
    if under:
        reasons.append(f"{last_reps} Nordic reps last week, under the protective {t.protective_weekly_nordic_reps} a week.")
    dosed = all(reps >= t.protective_weekly_nordic_reps for _, reps in weeks)
    before = [r for r in readings if r.day < span[0]]
    within = [r for r in readings if span[0] <= r.day < this_monday]
    not_stronger = False
    if dosed and before and within:
        base = before[-1]
        gained = any(r.left > base.left or r.right > base.right for r in within)
        not_stronger = not gained
        if not_stronger:
            reasons.append(f"The Nordic dose kept for {t.dose_no_gain_weeks} weeks, and no Nordic test since "
                           f"{base.day:%-d %b} is stronger on either leg.")
    elif dosed:
        reasons.append(f"Dose kept for {t.dose_no_gain_weeks} weeks; strength not judged: a Nordic test before "
                       f"and during those weeks is needed.")
    return DoseAndStrength(weeks, latest, under, not_stronger, tuple(reasons))


def nordic_missed(weekly_reps: Mapping[date, int], this_monday: date, t: Thresholds = DEFAULTS) -> bool:
    """The last ``nordic_missed_weeks`` complete weeks each under the protective dose."""
    return all(weekly_reps.get(week, 0) < t.protective_weekly_nordic_reps
               for week in weeks_back(this_monday, t.nordic_missed_weeks))


# --- Morning tightness (docs/load-and-risk.md#tightness) ----------------------------------------


class Side(enum.StrEnum):
    LEFT = "left"
    RIGHT = "right"


TIGHTNESS_MAX = 10


@dataclass(frozen=True)
class Morning:
    day: date
    left: int
    right: int

    def __post_init__(self):
        for side in ("left", "right"):
            value = getattr(self, side)
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TIGHTNESS_MAX:
                raise MeasureError(f"The {side} hamstring's tightness must be a whole number from 0 to {TIGHTNESS_MAX}.")

    def side(self, side: Side) -> int:
        return self.left if side is Side.LEFT else self.right


def tightness_rising(mornings: Iterable[Morning], t: Thresholds = DEFAULTS) -> tuple[Side, ...]:
    """The sides whose tightness worsened ``tightness_rising_mornings`` mornings running, up to
    the latest morning: each of those mornings tighter than the one before, on consecutive days
    (a missed morning breaks the run: nothing is assumed about it)."""
    ordered = sorted(mornings, key=lambda m: m.day)
    needed = t.tightness_rising_mornings + 1
    if len(ordered) < needed:
        return ()
    run = ordered[-needed:]
    consecutive = all((b.day - a.day).days == 1 for a, b in zip(run, run[1:]))
    if not consecutive:
        return ()
    return tuple(side for side in Side if all(b.side(side) > a.side(side) for a, b in zip(run, run[1:])))


# --- The recurrence watch (docs/load-and-risk.md#recurrence-watch) ------------------------------


@dataclass(frozen=True)
class Flag:
    key: str
    label: str
    reason: str
    source: str


@dataclass(frozen=True)
class AsymmetryReading:
    day: date
    pct: Decimal  # already rounded, as testing shows it


def in_watch(returned_on: date | None, today: date, t: Thresholds = DEFAULTS) -> bool:
    """Within the window after a return (docs/clinical-rules.md#recurrence)."""
    return returned_on is not None and 0 <= (today - returned_on).days <= t.watch_days


@dataclass(frozen=True)
class WatchInputs:
    today: date
    returned_on: date
    asymmetry: tuple[AsymmetryReading, ...] = ()
    asymmetry_limit_pct: Decimal | None = None  # testing's threshold for the Nordic test
    weekly_nordic_reps: Mapping[date, int] | None = None
    runs: tuple[GpsRun, ...] = ()
    max_velocity: Decimal | None = None
    mornings: tuple[Morning, ...] = ()


def recurrence_watch(inputs: WatchInputs, t: Thresholds = DEFAULTS) -> tuple[Flag, ...]:
    """The flags of an athlete in the window after a return; () outside it.

    - asymmetry past the limit: the latest Nordic asymmetry over the limit (testing's);
    - Nordic dose missed: the last two complete weeks under the protective dose;
    - sprint exposure missing (exposure flag) or spiking (this or last week's HSR spike);
    - tightness rising two mornings running, on the latest mornings.
    """
    today = inputs.today
    if not in_watch(inputs.returned_on, today, t):
        return ()
    flags = []
    limit = inputs.asymmetry_limit_pct if inputs.asymmetry_limit_pct is not None else t.asymmetry_limit_pct
    readings = sorted(inputs.asymmetry, key=lambda r: r.day)
    if readings and readings[-1].pct > limit:
        latest = readings[-1]
        trend = f", up from {readings[-2].pct}%" if len(readings) > 1 and readings[-2].pct < latest.pct else ""
        flags.append(Flag("asymmetry", "Asymmetry past the limit",
                          f"Nordic asymmetry {latest.pct}% on {latest.day:%-d %b}{trend}; the limit is {limit}%.",
                          ASYMMETRY_RULE))
    this_monday = week_of(today)
    if inputs.weekly_nordic_reps is not None and nordic_missed(inputs.weekly_nordic_reps, this_monday, t):
        flags.append(Flag("nordic_missed", "Nordic dose missed",
                          f"Under {t.protective_weekly_nordic_reps} Nordic reps in each of the last {t.nordic_missed_weeks} weeks.",
                          PETERSEN_2011))
    seen = exposure(inputs.runs, inputs.max_velocity, today, watch_from=inputs.returned_on, t=t)
    if seen.flagged:
        flags.append(Flag("sprint_missing", "Sprint exposure missing", seen.reason, MALONE_2017))
    weekly = weekly_hsr(inputs.runs)
    for week in (this_monday, this_monday - timedelta(weeks=1)):
        judged = hsr_week(weekly, week, t)
        if judged.spike:
            flags.append(Flag("sprint_spike", "High-speed running spike", judged.reason, DUHIG_2016))
            break
    sides = tightness_rising(inputs.mornings, t)
    if sides and max(m.day for m in inputs.mornings) >= today - timedelta(days=1):
        words = " and ".join(sides)
        flags.append(Flag("tightness", "Tightness rising",
                          f"The {words} hamstring felt tighter {t.tightness_rising_mornings} mornings running.", APP_DEFAULT))
    return tuple(flags)


# --- The risk profile (docs/load-and-risk.md#risk-profile) --------------------------------------


class Status(enum.StrEnum):
    FLAG = "flag"  # worth a look
    CLEAR = "clear"  # nothing to note
    UNKNOWN = "unknown"  # not recorded: nothing is assumed


@dataclass(frozen=True)
class RiskItem:
    key: str
    label: str
    status: Status
    detail: str
    source: str


@dataclass(frozen=True)
class RiskInputs:
    today: date
    previous_injuries: int  # hamstring strains recorded in coachapp plus those entered from before
    date_of_birth: date | None = None
    latest_nordic: ForceReading | None = None
    asymmetry_pct: Decimal | None = None
    asymmetry_limit_pct: Decimal | None = None
    weekly_nordic_reps: Mapping[date, int] | None = None  # None: not on a programme
    exposure: Exposure | None = None


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def risk_profile(inputs: RiskInputs, t: Thresholds = DEFAULTS) -> tuple[RiskItem, ...]:
    """The risk checklist: each item flagged, clear or unknown, with its source. Never a score,
    never a probability, never added up (docs/load-and-risk.md#risk-profile)."""
    items = []
    n = inputs.previous_injuries
    items.append(RiskItem("previous_injury", "Previous hamstring injury",
                          Status.FLAG if n else Status.CLEAR,
                          f"{n} previous hamstring strain{'s' if n != 1 else ''} recorded." if n else "None recorded.",
                          PREVIOUS_INJURY))
    if inputs.date_of_birth is None:
        items.append(RiskItem("age", "Age", Status.UNKNOWN, "Date of birth not recorded.", OPAR_2015_AGE))
    else:
        age = age_on(inputs.date_of_birth, inputs.today)
        older = age >= t.older_age_years
        items.append(RiskItem("age", "Age", Status.FLAG if older else Status.CLEAR,
                              f"{age} years" + (f" ({t.older_age_years} or older: {APP_DEFAULT})." if older else "."),
                              OPAR_2015_AGE))
    reading = inputs.latest_nordic
    if reading is None:
        items.append(RiskItem("eccentric_strength", "Eccentric strength", Status.UNKNOWN, "No Nordic test recorded.", OPAR_2015))
    else:
        weak = [side for side, force in (("left", reading.left), ("right", reading.right)) if force < t.eccentric_min_n]
        detail = f"Nordic {reading.left} N left, {reading.right} N right on {reading.day:%-d %b %Y}"
        detail += f"; under {t.eccentric_min_n} N on the {' and '.join(weak)}." if weak else "."
        items.append(RiskItem("eccentric_strength", "Eccentric strength", Status.FLAG if weak else Status.CLEAR, detail, OPAR_2015))
    limit = inputs.asymmetry_limit_pct if inputs.asymmetry_limit_pct is not None else t.asymmetry_limit_pct
    if inputs.asymmetry_pct is None:
        items.append(RiskItem("asymmetry", "Asymmetry", Status.UNKNOWN, "No Nordic test recorded.", ASYMMETRY_RULE))
    else:
        over = inputs.asymmetry_pct > limit
        items.append(RiskItem("asymmetry", "Asymmetry", Status.FLAG if over else Status.CLEAR,
                              f"{inputs.asymmetry_pct}% between the legs; the limit is {limit}%.",
                              ASYMMETRY_RULE))
    if inputs.weekly_nordic_reps is None:
        items.append(RiskItem("nordic_dose", "Nordic dose kept", Status.UNKNOWN, "Not on a programme.", PETERSEN_2011))
    else:
        last = inputs.weekly_nordic_reps.get(weeks_back(week_of(inputs.today), 1)[0], 0)
        under = last < t.protective_weekly_nordic_reps
        items.append(RiskItem("nordic_dose", "Nordic dose kept", Status.FLAG if under else Status.CLEAR,
                              f"{last} Nordic reps last week; the protective dose is {t.protective_weekly_nordic_reps}.",
                              PETERSEN_2011))
    seen = inputs.exposure
    if seen is None or seen.days_since is None:
        items.append(RiskItem("sprint_exposure", "Sprint exposure", Status.UNKNOWN,
                              seen.reason if seen else "No GPS data.", MALONE_2017))
    else:
        items.append(RiskItem("sprint_exposure", "Sprint exposure", Status.FLAG if seen.flagged else Status.CLEAR,
                              seen.reason, MALONE_2017))
    return tuple(items)
