"""Writes of monitoring: session RPE (an athlete's own, or a coach's for a whole team), the daily
wellness check, an athlete's maximal velocity and their earlier hamstring injuries. The GPS
import is monitoring/imports.py.

Each service is one transaction; bad input raises ``MonitoringError`` naming the problem, and
nothing is saved (docs/architecture.md#errors).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from athletes.errors import AppError
from athletes.locks import lock_athletes
from athletes.models import Athlete
from injuries import services as injury_services
from injuries.models import Injury, Phase

from . import measures as m
from . import reminders, selectors
from .models import GpsRow, LoggedBy, MaxVelocity, Mood, PriorInjury, SessionKind, SessionRpe, Sleep, Wellness


class MonitoringError(AppError):
    """A session, a wellness check or a GPS file that cannot be saved; the message says why."""


def today_for(user) -> date:
    """Today in the person's own time zone (a date is always the athlete's or coach's own day)."""
    try:
        zone = ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo(settings.TIME_ZONE)
    return timezone.now().astimezone(zone).date()


def _whole(value, what: str, low: int, high: int) -> int:
    """A whole number from a form, the API or a file, checked against its range."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str):
        value = value.strip()
        value = int(value) if value.isdigit() else value
    if not isinstance(value, int) or not low <= value <= high:
        raise MonitoringError(f"{what} must be a whole number from {low} to {high}, not “{value if value not in (None, '') else 'nothing'}”.")
    return value


def _day(value, what: str, by) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise MonitoringError(f"{what} “{value}” is not a date written as YYYY-MM-DD.") from None
    if not isinstance(value, date):
        raise MonitoringError(f"{what} is missing.")
    if value > today_for(by):
        raise MonitoringError(f"{what} {value:%-d %B %Y} is in the future.")
    return value


def _may_log(athlete: Athlete, by) -> str:
    """Who logs it: the athlete themself, or a coach (or admin) who may see them."""
    if not Athlete.objects.for_user(by).filter(pk=athlete.pk).exists():
        raise MonitoringError("You cannot log sessions for this athlete.")
    return LoggedBy.ATHLETE if athlete.user_id and athlete.user_id == by.pk else LoggedBy.COACH


# --- Session RPE -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RpeEntry:
    athlete: Athlete
    rpe: object
    minutes: object
    hamstring_pain: object = None


def _rpe_values(entry: RpeEntry, *, who: str = "") -> dict:
    prefix = f"{who}: " if who else ""
    try:
        values = {
            "rpe": _whole(entry.rpe, "The effort (RPE)", 0, m.RPE_MAX),
            "minutes": _whole(entry.minutes, "The minutes", 1, m.MINUTES_MAX),
            "hamstring_pain": None if entry.hamstring_pain in (None, "") else _whole(entry.hamstring_pain, "The worst hamstring pain", 0, 10),
        }
    except MonitoringError as error:
        raise MonitoringError(f"{prefix}{error}") from None
    return values


def _kind(kind) -> str:
    if kind not in SessionKind.values:
        raise MonitoringError(f"The kind of session must be training or a match, not “{kind}”.")
    return kind


def _label(label) -> str:
    label = (label or "").strip()
    if len(label) > 40:
        raise MonitoringError("The session's label is longer than 40 characters.")
    return label


@transaction.atomic
def session_rpe_log(*, athlete: Athlete, day, rpe, minutes, by, kind=SessionKind.TRAINING, label: str = "",
                    hamstring_pain=None) -> SessionRpe:
    """Log (or correct) one session's RPE and minutes, by the athlete or one of their coaches.

    Logging the same day, kind and label again corrects the row: a retried form never counts a
    session twice. A pain of 0 on a day with a GPS run at maximal speed ticks the return
    checklist's sprint item (docs/clinical-rules.md#running)."""
    logged_by = _may_log(athlete, by)
    day, kind, label = _day(day, "The date", by), _kind(kind), _label(label)
    values = _rpe_values(RpeEntry(athlete, rpe, minutes, hamstring_pain))
    lock_athletes(athlete.pk)
    row, _ = SessionRpe.objects.update_or_create(
        athlete=athlete, date=day, kind=kind, label=label,
        defaults={**values, "logged_by": logged_by, "recorded_by": by},
    )
    tick_sprint_item(athlete.pk, day)
    _alert_on_pain(athlete, row)
    return row


@transaction.atomic
def team_session_rpe_log(*, team, day, entries: list[RpeEntry], by, kind=SessionKind.TRAINING, label: str = "") -> list[SessionRpe]:
    """A coach logs one session for a whole team at once: every entry is checked first, and one
    problem saves nothing (each problem names the athlete)."""
    if not (by.is_coach or by.is_admin):
        raise MonitoringError("Only a coach can log a session for a whole team.")
    day, kind, label = _day(day, "The date", by), _kind(kind), _label(label)
    allowed = set(Athlete.objects.for_user(by).filter(team=team).values_list("pk", flat=True))
    problems, checked, seen = [], [], set()
    for entry in entries:
        name = entry.athlete.full_name
        if entry.athlete.pk not in allowed:
            problems.append(f"{name} is not in {team.name}.")
            continue
        if entry.athlete.pk in seen:
            problems.append(f"{name} is listed twice.")
            continue
        seen.add(entry.athlete.pk)
        try:
            checked.append((entry.athlete, _rpe_values(entry, who=name)))
        except MonitoringError as error:
            problems.append(str(error))
    if problems:
        raise MonitoringError(" ".join(problems))
    if not checked:
        raise MonitoringError("No athlete's session was filled in.")
    lock_athletes(*seen)
    rows = []
    for athlete, values in checked:
        logged_by = LoggedBy.ATHLETE if athlete.user_id == by.pk else LoggedBy.COACH
        row, _ = SessionRpe.objects.update_or_create(
            athlete=athlete, date=day, kind=kind, label=label,
            defaults={**values, "logged_by": logged_by, "recorded_by": by},
        )
        rows.append(row)
        tick_sprint_item(athlete.pk, day)
        _alert_on_pain(athlete, row)
    return rows


def _alert_on_pain(athlete: Athlete, row: SessionRpe) -> bool:
    """Tell the coaches now of hamstring pain in a team session above the limit (stricter while an
    injury is open); the programme's own gating is untouched (docs/load-and-risk.md#pain-in-training)."""
    if row.hamstring_pain is None:
        return False
    injury_open = Injury.objects.filter(athlete_id=athlete.pk).exclude(phase=Phase.CLEARED).exists()
    if not m.training_pain_alerts(row.hamstring_pain, injury_open=injury_open):
        return False
    reminders.training_pain_alert(athlete, row)
    return True


def tick_sprint_item(athlete_id: int, day: date) -> int:
    """Tick the sprint item when that day has a GPS run at >= 95% of maximal velocity and a
    session with pain 0 reported (monitoring/measures.py, ``maximal_sprint_ticks``)."""
    best = MaxVelocity.objects.filter(athlete_id=athlete_id).values_list("velocity", flat=True).first()
    fastest = max(filter(None, GpsRow.objects.filter(athlete_id=athlete_id, date=day).values_list("max_velocity", flat=True)), default=None)
    pains = SessionRpe.objects.filter(athlete_id=athlete_id, date=day, hamstring_pain__isnull=False).values_list("hamstring_pain", flat=True)
    pain = max(pains, default=None)
    if not m.maximal_sprint_ticks(fastest, best, pain):
        return 0
    return injury_services.clearance_tick_from_sprint(athlete_id=athlete_id, on=day)


# --- Wellness ----------------------------------------------------------------------------------


def _choice(value, what: str, choices) -> int:
    return _whole(value, what, min(choices.values), max(choices.values))


@transaction.atomic
def wellness_record(*, athlete: Athlete, day, sleep, soreness, tightness_left, tightness_right, mood, by) -> Wellness:
    """The day's wellness check (recorded again the same day, it is corrected). When the
    hamstring tightness has worsened two mornings running on either side, every coach is
    alerted with a link to re-triage (docs/load-and-risk.md#tightness)."""
    _may_log(athlete, by)
    day = _day(day, "The date", by)
    values = {
        "sleep": _choice(sleep, "Sleep", Sleep),
        "soreness": _whole(soreness, "General soreness", 0, 10),
        "tightness_left": _whole(tightness_left, "The left hamstring's tightness", 0, m.TIGHTNESS_MAX),
        "tightness_right": _whole(tightness_right, "The right hamstring's tightness", 0, m.TIGHTNESS_MAX),
        "mood": _choice(mood, "Mood", Mood),
    }
    lock_athletes(athlete.pk)
    row, _ = Wellness.objects.update_or_create(athlete=athlete, date=day, defaults={**values, "recorded_by": by})
    window = m.DEFAULTS.tightness_rising_mornings
    mornings = [
        m.Morning(d, left, right)
        for d, left, right in Wellness.objects.filter(
            athlete=athlete, date__gte=day - timedelta(days=window), date__lte=day
        ).values_list("date", "tightness_left", "tightness_right")
    ]
    sides = m.tightness_rising(mornings)
    if sides and max(morning.day for morning in mornings) == day:
        reminders.tightness_alert(athlete, day, sides)
    return row


# --- Maximal velocity and earlier injuries ------------------------------------------------------


def _velocity(value) -> Decimal:
    try:
        velocity = Decimal(str(value).strip())
    except InvalidOperation:
        raise MonitoringError(f"The maximal velocity “{value}” is not a number (in metres per second, e.g. 9.1).") from None
    if not velocity.is_finite() or not 0 < velocity <= 15:
        raise MonitoringError("The maximal velocity must be between 0 and 15 metres per second.")
    return velocity.quantize(Decimal("0.01"))


@transaction.atomic
def max_velocity_enter(*, athlete: Athlete, velocity, measured_on, by) -> MaxVelocity:
    """A coach enters the athlete's maximal velocity (a timed flying sprint, say); it replaces
    the best on GPS until a faster GPS run is imported."""
    if _may_log(athlete, by) != LoggedBy.COACH or not (by.is_coach or by.is_admin):
        raise MonitoringError("Only a coach can enter a maximal velocity.")
    values = {"velocity": _velocity(velocity), "measured_on": _day(measured_on, "The date measured", by),
              "source": MaxVelocity.Source.COACH, "entered_by": by}
    lock_athletes(athlete.pk)
    row, _ = MaxVelocity.objects.update_or_create(athlete=athlete, defaults=values)
    return row


@transaction.atomic
def prior_injury_add(*, athlete: Athlete, approx_date, side: str, by, grade: str = "", notes: str = "") -> PriorInjury:
    """A coach records a hamstring injury from before the athlete joined."""
    if _may_log(athlete, by) != LoggedBy.COACH or not (by.is_coach or by.is_admin):
        raise MonitoringError("Only a coach can record an earlier injury.")
    if side not in ("left", "right", "both"):
        raise MonitoringError(f"The side must be left, right or both, not “{side}”.")
    if grade not in PriorInjury.Grade.values:
        raise MonitoringError(f"The grade must be 1, 2, 3 or not known, not “{grade}”.")
    if len(notes or "") > 2000:
        raise MonitoringError("The notes are longer than 2000 characters.")
    day = _day(approx_date, "The date", by)
    return PriorInjury.objects.create(athlete=athlete, approx_date=day, side=side, grade=grade, notes=notes or "", entered_by=by)



# --- The recurrence watch's reminders -----------------------------------------------------------


def recurrence_watch_remind(*, today: date) -> int:
    """Tell the coaches about each recurrence-watch flag, once per flag and ISO week
    (docs/load-and-risk.md#recurrence-watch). Run daily; running it twice changes nothing, as a
    reminder is unique per recipient, kind and occurrence. Returns the flags found."""
    flagged = 0
    week = m.week_of(today)
    for row in selectors.watch_rows(selectors.returned_athletes(today), today):
        for flag in row["flags"]:
            with transaction.atomic():
                reminders.recurrence_flag(row["athlete"], flag.key, week)
            flagged += 1
    return flagged
