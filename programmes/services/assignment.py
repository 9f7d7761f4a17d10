"""Assigning a programme template to athletes: their sessions, dated, then prescribed under the
gating rule."""

from datetime import date, timedelta

from django.db import transaction

from athletes.errors import AppError
from athletes.locks import lock_athletes
from programmes import reminders

from .. import gating as g
from .. import progression as p
from ..models import Assignment, LadderPosition, ProgrammeTemplate, ScheduledSession, TemplateSession
from .regating import Ladders, gate_for, prescriptions_rebuild


class AssignmentError(AppError):
    """An assignment that cannot be scheduled; the message says why."""


def _session_dates(sessions: list[TemplateSession], start: date, weekdays: list[int]) -> list[tuple[TemplateSession, date]]:
    """Week n of the template falls in the n-th week from the start; its sessions take that
    week's chosen weekdays in order."""
    monday = start - timedelta(days=start.weekday())
    dated = []
    for session in sessions:
        order_in_week = sum(1 for s in sessions if s.week == session.week and (s.order, s.pk) < (session.order, session.pk))
        days = [monday + timedelta(weeks=session.week - 1, days=d) for d in sorted(weekdays)]
        days = [d for d in days if d >= start] if session.week == 1 else days
        if order_in_week < len(days):
            dated.append((session, days[order_in_week]))
    return dated


@transaction.atomic
def programme_assign(*, template: ProgrammeTemplate, athletes, start_date: date, weekdays: list[int], assigned_by) -> int:
    """Schedule a template for each athlete, in bulk, in one transaction; returns sessions made.

    Each athlete's prescriptions then follow the one gating rule (``programme_regate``).
    """
    weekdays = sorted(set(weekdays))
    sessions = list(template.sessions.prefetch_related("entries__exercise").order_by("week", "order", "pk"))
    if not sessions:
        raise AssignmentError("This template has no sessions yet.")
    per_week = max(sum(1 for s in sessions if s.week == week) for week in {s.week for s in sessions})
    if len(weekdays) < per_week:
        raise AssignmentError(f"Choose at least {per_week} weekdays: the busiest week of this template has {per_week} sessions.")
    dated = _session_dates(sessions, start_date, weekdays)
    ladders = Ladders()
    template_entries = {ts.pk: sorted(ts.entries.all(), key=lambda e: (e.order, e.pk)) for ts in sessions}
    made = 0
    lock_athletes(*[athlete.pk for athlete in athletes])
    for athlete in athletes:
        gating = gate_for(athlete)
        _start_positions(athlete, sessions, gating)
        assignment = Assignment.objects.create(
            athlete=athlete, template=template, start_date=start_date, weekdays=weekdays,
            phase=gating.phase.value, assigned_by=assigned_by,
        )
        rows = ScheduledSession.objects.bulk_create(
            ScheduledSession(
                assignment=assignment, athlete=athlete, template_session=ts, date=day, week=ts.week, title=ts.title
            )
            for ts, day in dated
        )
        prescriptions_rebuild(athlete, gating, rows, ladders=ladders, template_entries=template_entries)
        reminders.schedule_sessions(rows)
        made += len(rows)
    return made


def _start_positions(athlete, sessions, gating: g.Gating) -> None:
    """An athlete new to a family starts at the template's first rung for it; an injured one
    (protect or rehab) at the bottom of the ladder."""
    known = set(LadderPosition.objects.filter(athlete=athlete).values_list("family", flat=True))
    injured = gating.phase in (p.TrainingPhase.PROTECT, p.TrainingPhase.REHAB)
    new = {}
    for session in sessions:
        for entry in session.entries.all():
            family = entry.exercise.family
            if family not in known and family not in new:
                new[family] = 0 if injured else entry.exercise.rung
    LadderPosition.objects.bulk_create(
        LadderPosition(athlete=athlete, family=family, rung=rung) for family, rung in new.items()
    )
