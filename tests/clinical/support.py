"""Helpers shared by the clinical pathway tests (services and database)."""

from datetime import UTC, date, datetime

from django.utils import timezone

from injuries import examples
from injuries import services as injury_services
from programmes import services as programme_services
from programmes.models import Exercise, LadderPosition, PrescribedExercise, ProgrammeTemplate, ScheduledSession, TemplateEntry, TemplateSession

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
START_DAY = START.date()
ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def answers(classification: str, **overrides) -> dict:
    """The example answers of a classification as the services take them (injuries/examples.py)."""
    return examples.typed_answers(classification, **overrides)


def log(athlete, coach, classification: str = "grade_1", **overrides):
    """A coach logs a complaint; returns the injury or the episode it opened."""
    return injury_services.complaint_log(athlete=athlete, logged_by=coach, answers=answers(classification, **overrides))


def report(athlete, classification: str = "grade_1", **overrides):
    """The athlete reports from the phone; returns the pending complaint."""
    return injury_services.complaint_report(
        athlete=athlete, reported_by=athlete.user, answers=answers(classification, **overrides)
    )


def template(coach, entries, *, days: int = 14, per_week: int = 7, name: str | None = None) -> ProgrammeTemplate:
    """A coach's template of ``days`` sessions, ``per_week`` a week (every day by default), each
    with ``entries``: rung keys, or (key, {dose fields}) pairs for a coach's own dose."""
    tpl = ProgrammeTemplate.objects.create(name=name or f"{len(entries)} x {days}", owner=coach, kind="prevention")
    for number in range(days):
        session = TemplateSession.objects.create(
            template=tpl, week=number // per_week + 1, order=number % per_week + 1, title=f"Session {number + 1}"
        )
        for order, entry in enumerate(entries, start=1):
            key, fields = (entry, {}) if isinstance(entry, str) else entry
            TemplateEntry.objects.create(session=session, order=order, exercise=Exercise.objects.get(key=key), **fields)
    return tpl


def assign(athlete, coach, tpl, *, start: date | None = None, weekdays=ALL_WEEKDAYS) -> int:
    return programme_services.programme_assign(
        template=tpl, athletes=[athlete], start_date=start or timezone.localdate(), weekdays=weekdays, assigned_by=coach
    )


def set_rung(athlete, family: str, rung: int) -> None:
    LadderPosition.objects.update_or_create(athlete=athlete, family=family, defaults={"rung": rung})


def rung_of(athlete, family: str) -> int | None:
    return LadderPosition.objects.filter(athlete=athlete, family=family).values_list("rung", flat=True).first()


def upcoming_sessions(athlete) -> list[ScheduledSession]:
    return list(
        ScheduledSession.objects.filter(athlete=athlete, completed_at__isnull=True, date__gte=timezone.localdate())
        .order_by("date", "id")
    )


def upcoming(athlete, family: str | None = None, *, withheld: bool = False) -> list[PrescribedExercise]:
    """The prescriptions of the athlete's upcoming, unfinished sessions (not withheld ones unless asked)."""
    rows = PrescribedExercise.objects.filter(
        session__athlete=athlete, session__completed_at__isnull=True, session__date__gte=timezone.localdate()
    ).select_related("exercise", "session").order_by("session__date", "session_id", "order")
    if family:
        rows = rows.filter(family=family)
    if not withheld:
        rows = rows.filter(withheld_reason="")
    return list(rows)


def session_on(athlete, day: date) -> ScheduledSession:
    return ScheduledSession.objects.filter(athlete=athlete, date=day).order_by("id").first()


def log_sets(session, family: str | None = None) -> int:
    """Log the first set of every allowed prescription of ``session`` (of one family if given)."""
    logged = 0
    for prescribed in session.exercises.filter(withheld_reason="").order_by("order"):
        if family is None or prescribed.family == family:
            programme_services.set_log(prescribed=prescribed, set_number=1)
            logged += 1
    return logged


def finish(session, pain: int, *, sharp: bool = False, sets: bool = True, family: str | None = None) -> dict:
    """Finish a session (logging a set first, unless ``sets`` is False); the decisions by family."""
    if sets:
        assert log_sets(session, family), "nothing to log in this session"
    decisions = programme_services.session_complete(session=session, worst_pain=pain, sharp_pain=sharp)
    return {decision.family: decision for decision in decisions}


def dose_volume(prescribed: PrescribedExercise) -> tuple[str, int]:
    dose = programme_services.dose_of(prescribed)
    return dose.kind.value, dose.volume


def isometric_only(rows) -> bool:
    return all(row.exercise.isometric and row.family in ("hip_hinge", "knee_flexion") for row in rows)


def loaded(rows) -> list[PrescribedExercise]:
    return [row for row in rows if not row.exercise.isometric]


def move_on(injury, to_phase: str, by):
    """Record the review of an urgent case, tick what the move needs, and move (tests.factories.move_on)."""
    from tests.factories import move_on as factories_move_on

    return factories_move_on(injury, to_phase, by)


def tick(injury, items, by, done: bool = True) -> None:
    for item in items:
        injury_services.clearance_check_set(injury=injury, item=item, done=done, changed_by=by, reason="Seen in person.")
