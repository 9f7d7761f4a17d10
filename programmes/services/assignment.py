"""Assigning a programme template to athletes: their sessions, dated, then prescribed under the
gating rule.

Assigning again never doubles a day. When an athlete already has a programme with sessions on the
new programme's dates, the coach chooses (``OnOverlap``): replace its upcoming sessions, extend
(add the new ones only on free days) or cancel. Without a choice the assignment is refused with
the overlaps listed (``AssignmentOverlapError``), so the page can show them and ask.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import models, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef
from django.utils import timezone

from athletes.errors import AppError
from athletes.locks import lock_athletes
from athletes.models import Athlete
from programmes import reminders
from reminders import services as engine

from .. import progression as p
from ..models import (
    Assignment,
    LadderPosition,
    ProgrammeTemplate,
    ScheduledSession,
    SetLog,
    TemplateSession,
)
from .regating import Ladders, _positions, gate_for, prescriptions_rebuild
from .totals import session_totals_refresh


class AssignmentError(AppError):
    """An assignment that cannot be scheduled; the message says why."""


class OnOverlap(models.TextChoices):
    """What the coach wants when an athlete already has sessions on the new programme's dates."""

    REPLACE = "replace", "Replace"
    EXTEND = "extend", "Extend"
    CANCEL = "cancel", "Cancel"


@dataclass(frozen=True)
class Overlap:
    """An athlete's earlier assignment with sessions on the new programme's dates."""

    athlete: Athlete
    assignment_id: int
    template_name: str
    first: date  # its first and last session
    last: date
    upcoming: int  # the sessions replacing would remove (``_replaceable``)


class AssignmentOverlapError(AssignmentError):
    """Some athletes already have a programme on these dates and no choice was made (or what
    exists changed since the coach saw it). ``overlaps`` lists them for the page to show."""

    def __init__(self, overlaps: list[Overlap], *, changed: bool = False):
        self.overlaps, self.changed = overlaps, changed
        names = sorted({o.athlete.full_name for o in overlaps})
        who = names[0] if len(names) == 1 else f"{len(names)} athletes"
        has = "has" if len(names) == 1 else "have"
        lead = "What already exists has changed since you looked. " if changed else ""
        super().__init__(
            f"{lead}{who} already {has} a programme on these dates. Choose to replace it, extend it "
            "(add the new sessions only on free days) or cancel: nothing was scheduled."
        )


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


def _replaceable(assignment_ids, start_date: date):
    """The sessions replacing removes: those of the earlier assignments from the new start and
    after today, not finished and with no set logged. Today's session stays (the athlete may
    have started it, or had its reminder), and so does every past one."""
    cut = max(start_date, timezone.localdate() + timedelta(days=1))
    return ScheduledSession.objects.filter(
        assignment_id__in=assignment_ids, date__gte=cut, completed_at__isnull=True
    ).filter(~Exists(SetLog.objects.filter(prescribed__session=OuterRef("pk"))))


def _overlaps(athletes, first: date, last: date, start_date: date) -> list[Overlap]:
    """The athletes' assignments with a session between ``first`` and ``last`` (three queries)."""
    by_id = {athlete.pk: athlete for athlete in athletes}
    assignments = list(
        Assignment.objects.filter(
            pk__in=ScheduledSession.objects.filter(athlete_id__in=by_id, date__range=(first, last)).values("assignment_id")
        )
        .select_related("template")
        .annotate(first=Min("sessions__date"), last=Max("sessions__date"))
        .order_by("athlete_id", "first", "pk")
    )
    upcoming = dict(
        _replaceable([a.pk for a in assignments], start_date).order_by()
        .values("assignment_id").annotate(n=Count("pk")).values_list("assignment_id", "n")
    )
    return [
        Overlap(athlete=by_id[a.athlete_id], assignment_id=a.pk, template_name=a.template.name,
                first=a.first, last=a.last, upcoming=upcoming.get(a.pk, 0))
        for a in assignments
    ]


@transaction.atomic
def programme_assign(*, template: ProgrammeTemplate, athletes, start_date: date, weekdays: list[int], assigned_by,
                     on_overlap: str | None = None, seen: set[int] | None = None) -> int:
    """Schedule a template for each athlete, in bulk, in one transaction; returns sessions made.

    Each athlete's prescriptions then follow the one gating rule (``programme_regate``).

    When an athlete already has sessions on the new dates (an overlap), ``on_overlap`` says what
    to do: ``replace`` removes the earlier assignments' upcoming sessions (``_replaceable``),
    ``extend`` keeps them, ``cancel`` changes nothing. Either way no day gets a second session:
    the new sessions go only on days left free. Without a choice, or when ``seen`` (the earlier
    assignments the coach was shown) no longer matches, it raises ``AssignmentOverlapError``
    before writing anything.
    """
    if on_overlap == OnOverlap.CANCEL:
        return 0
    weekdays = sorted(set(weekdays))
    sessions = list(template.sessions.prefetch_related("entries__exercise").order_by("week", "order", "pk"))
    if not sessions:
        raise AssignmentError("This template has no sessions yet.")
    per_week = max(sum(1 for s in sessions if s.week == week) for week in {s.week for s in sessions})
    if len(weekdays) < per_week:
        raise AssignmentError(f"Choose at least {per_week} weekdays: the busiest week of this template has {per_week} sessions.")
    dated = _session_dates(sessions, start_date, weekdays)
    athletes = list({athlete.pk: athlete for athlete in athletes}.values())
    # Lock first: what already exists is read, and changed, with no tap or rebuild half-way.
    lock_athletes(*[athlete.pk for athlete in athletes])
    taken: set[tuple[int, date]] = set()
    if dated:
        first, last = min(day for _, day in dated), max(day for _, day in dated)
        overlaps = _overlaps(athletes, first, last, start_date)
        if overlaps:
            shown = {o.assignment_id for o in overlaps}
            if on_overlap not in (OnOverlap.REPLACE, OnOverlap.EXTEND) or (seen is not None and set(seen) != shown):
                raise AssignmentOverlapError(overlaps, changed=on_overlap is not None)
            if on_overlap == OnOverlap.REPLACE:
                removed = list(_replaceable(shown, start_date).values_list("pk", flat=True))
                # Their reminders never fire: cancelled, then gone with their sessions.
                engine.cancel(session_id__in=removed)
                ScheduledSession.objects.filter(pk__in=removed).delete()
            taken = set(
                ScheduledSession.objects.filter(athlete_id__in=[a.pk for a in athletes], date__range=(first, last))
                .values_list("athlete_id", "date")
            )
    ladders = Ladders()
    template_entries = {ts.pk: sorted(ts.entries.all(), key=lambda e: (e.order, e.pk)) for ts in sessions}
    # Each athlete's gating first, by the one rule; then each kind of row is written for the whole
    # team at once (their first rungs, the assignments, the sessions): a team of 40 went from 457
    # queries to 261 (docs/architecture.md#services-selectors-and-views).
    chosen = []
    for athlete in athletes:
        free = [(ts, day) for ts, day in dated if (athlete.pk, day) not in taken]
        if dated and not free:
            continue  # every day already has a session: nothing to add for this athlete
        chosen.append((athlete, free, gate_for(athlete)))
    positions = _start_positions(chosen, sessions)
    assignments = Assignment.objects.bulk_create(
        Assignment(athlete=athlete, template=template, start_date=start_date, weekdays=weekdays,
                   phase=gating.phase.value, assigned_by=assigned_by)
        for athlete, _, gating in chosen
    )
    by_athlete = defaultdict(list)
    for row in ScheduledSession.objects.bulk_create(
        ScheduledSession(assignment=assignment, athlete=athlete, template_session=ts, date=day, week=ts.week, title=ts.title)
        for assignment, (athlete, free, _) in zip(assignments, chosen)
        for ts, day in free
    ):
        by_athlete[row.athlete_id].append(row)
    made = 0
    for athlete, _, gating in chosen:
        rows = by_athlete[athlete.pk]
        prescriptions_rebuild(athlete, gating, rows, ladders=ladders, template_entries=template_entries,
                              positions=positions[athlete.pk])
        reminders.schedule_sessions(rows)
        made += len(rows)
    session_totals_refresh(row.pk for rows in by_athlete.values() for row in rows)  # the team's, in one query
    return made


def _start_positions(chosen, sessions) -> dict[int, dict[str, int]]:
    """Each athlete's ladder positions (family -> rung), after giving them their start on each
    family new to them: the template's first rung for it, or for an injured athlete (protect or
    rehab) the bottom of the ladder. ``chosen``: (athlete, their free days, their gating)."""
    firsts = {}  # family -> the template's first rung for it
    for session in sessions:
        for entry in session.entries.all():
            firsts.setdefault(entry.exercise.family, entry.exercise.rung)
    positions = _positions([athlete.pk for athlete, _, _ in chosen])
    new = []
    for athlete, _, gating in chosen:
        injured = gating.phase in (p.TrainingPhase.PROTECT, p.TrainingPhase.REHAB)
        known = positions.setdefault(athlete.pk, {})
        for family, rung in firsts.items():
            if family not in known:
                known[family] = 0 if injured else rung
                new.append(LadderPosition(athlete=athlete, family=family, rung=known[family]))
    LadderPosition.objects.bulk_create(new)
    return positions
