"""Programme writes: assigning templates, gating by the injury's phase, applying progression."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from athletes.models import Athlete
from injuries.models import ChecklistItem, Injury
from reminders import services as reminders

from . import progression as p
from .models import (
    Assignment,
    Exercise,
    LadderPosition,
    PrescribedExercise,
    ProgressionDecision,
    ProgrammeTemplate,
    ScheduledSession,
    SetLog,
    TemplateEntry,
    TemplateSession,
)

# DOMAIN.md: Nordic work waits until the athlete walks and jogs pain-free and holds a strong
# isometric without pain; these checklist items record exactly that.
NORDIC_CRITERIA = (ChecklistItem.WALK_JOG, ChecklistItem.ISOMETRIC)


class AssignmentError(Exception):
    """An assignment that cannot be scheduled; the message says why."""


@dataclass(frozen=True)
class Gate:
    """The phase an athlete trains in, for the progression engine."""

    phase: p.Phase
    nordic_criteria_met: bool
    injury: Injury | None = None


def gate_for(athlete: Athlete) -> Gate:
    """The athlete's open injury decides the phase; without one they train for prevention."""
    injury = athlete.injuries.open().order_by("-onset_date", "-id").first()
    if injury is None:
        return Gate(p.Phase.PREVENTION, True)
    done = set(injury.checks.filter(done=True, item__in=NORDIC_CRITERIA).values_list("item", flat=True))
    return Gate(p.Phase(injury.phase), done == set(NORDIC_CRITERIA), injury)


class _Ladders:
    """The library's exercises by family and rung, loaded once per operation."""

    def __init__(self):
        self.by_rung = {(e.family, e.rung): e for e in Exercise.objects.all()}

    def exercise(self, family: str, rung: int) -> Exercise:
        return self.by_rung[(family, rung)]

    def highest_allowed(self, family: str, gate: Gate) -> int | None:
        allowed = [
            rung for (fam, rung), e in self.by_rung.items()
            if fam == family and e.allowed_in(gate.phase.value, gate.nordic_criteria_met)
        ]
        return max(allowed) if allowed else None


def _prescription(entry: TemplateEntry, exercise: Exercise) -> dict:
    """The entry's dose when its own exercise is prescribed; the engine's default dose when the
    ladder or the phase put another rung in its place."""
    if exercise.pk == entry.exercise_id:
        return {
            "sets": entry.sets, "reps_min": entry.reps_min, "reps_max": entry.reps_max,
            "reps_by_set": entry.reps_by_set, "hold_seconds": entry.hold_seconds,
            "load": entry.load, "rom_target": entry.rom_target, "rest_seconds": entry.rest_seconds,
        }
    sets = p.STRENGTH_DOSES[exercise.isometric]
    return {
        "sets": len(sets), "reps_min": sets[0].min, "reps_max": sets[0].max, "reps_by_set": "",
        "hold_seconds": p.ISOMETRIC_HOLD_SECONDS[0] if exercise.isometric else None,
        "load": "" if exercise.isometric != entry.exercise.isometric else entry.load,
        "rom_target": entry.rom_target, "rest_seconds": entry.rest_seconds,
    }


def _prescribe(session: ScheduledSession, entries, gate: Gate, positions: dict, ladders: _Ladders):
    """The session's exercises: each family at the athlete's rung, never above the phase allows.
    A family the phase does not allow at all (Nordic in protect) is left out."""
    rows = []
    for entry in entries:
        family = entry.exercise.family
        ceiling = ladders.highest_allowed(family, gate)
        if ceiling is None:
            continue
        rung = min(positions.get(family, entry.exercise.rung), ceiling)
        exercise = ladders.exercise(family, rung)
        rows.append(
            PrescribedExercise(
                session=session, order=entry.order, exercise=exercise, family=family,
                template_entry=entry, **_prescription(entry, exercise),
            )
        )
    return rows


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

    Each athlete's prescriptions follow their own phase (DOMAIN.md "Phase gating").
    """
    weekdays = sorted(set(weekdays))
    sessions = list(template.sessions.prefetch_related("entries__exercise").order_by("week", "order", "pk"))
    if not sessions:
        raise AssignmentError("This template has no sessions yet.")
    per_week = max(sum(1 for s in sessions if s.week == week) for week in {s.week for s in sessions})
    if len(weekdays) < per_week:
        raise AssignmentError(f"Choose at least {per_week} weekdays: the busiest week of this template has {per_week} sessions.")
    ladders = _Ladders()
    dated = _session_dates(sessions, start_date, weekdays)
    positions = _positions([a.pk for a in athletes])
    made = 0
    for athlete in athletes:
        gate = gate_for(athlete)
        athlete_positions = positions.get(athlete.pk, {})
        _start_positions(athlete, sessions, gate, athlete_positions, ladders)
        assignment = Assignment.objects.create(
            athlete=athlete, template=template, start_date=start_date, weekdays=weekdays,
            phase=gate.phase.value, assigned_by=assigned_by,
        )
        rows = ScheduledSession.objects.bulk_create(
            ScheduledSession(
                assignment=assignment, athlete=athlete, template_session=ts, date=day, week=ts.week, title=ts.title
            )
            for ts, day in dated
        )
        PrescribedExercise.objects.bulk_create(
            row
            for scheduled, (ts, _) in zip(rows, dated)
            for row in _prescribe(scheduled, ts.entries.all(), gate, athlete_positions, ladders)
        )
        reminders.schedule_sessions(rows)
        made += len(rows)
    return made


def _positions(athlete_ids) -> dict[int, dict[str, int]]:
    positions: dict[int, dict[str, int]] = {}
    for row in LadderPosition.objects.filter(athlete_id__in=athlete_ids):
        positions.setdefault(row.athlete_id, {})[row.family] = row.rung
    return positions


def _start_positions(athlete, sessions, gate, positions: dict, ladders: _Ladders) -> None:
    """An athlete new to a family starts at the template's first rung for it, within the phase."""
    for session in sessions:
        for entry in session.entries.all():
            family = entry.exercise.family
            ceiling = ladders.highest_allowed(family, gate)
            if family in positions or ceiling is None:
                continue
            positions[family] = min(entry.exercise.rung, ceiling)
            LadderPosition.objects.create(athlete=athlete, family=family, rung=positions[family])


@transaction.atomic
def programme_regate(*, athlete: Athlete) -> int:
    """Rebuild the athlete's upcoming prescriptions for their current phase and ladder rungs.

    Called when the injury's phase or the Nordic criteria change, and after a progression
    decision. Sessions already done, or with any set logged, are left as they were.
    """
    gate = gate_for(athlete)
    ladders = _Ladders()
    positions = _positions([athlete.pk]).get(athlete.pk, {})
    for family in {e.family for e in ladders.by_rung.values()}:
        ceiling = ladders.highest_allowed(family, gate)
        if family in positions and ceiling is not None and positions[family] > ceiling:
            positions[family] = ceiling
            LadderPosition.objects.filter(athlete=athlete, family=family).update(rung=ceiling)
    upcoming = list(
        ScheduledSession.objects.filter(athlete=athlete, completed_at__isnull=True, date__gte=timezone.localdate())
        .exclude(exercises__set_logs__isnull=False)
        .prefetch_related("template_session__entries__exercise")
    )
    PrescribedExercise.objects.filter(session__in=upcoming).delete()
    PrescribedExercise.objects.bulk_create(
        row
        for session in upcoming
        if session.template_session
        for row in _prescribe(session, session.template_session.entries.all(), gate, positions, ladders)
    )
    return len(upcoming)


def _recent_results(athlete, family: str, exercise_id: int, upto: ScheduledSession) -> tuple[p.SessionResult, ...]:
    """The athlete's last completed sessions on this rung, oldest first (the engine counts
    sessions in a row on the current rung only)."""
    sessions = (
        ScheduledSession.objects.filter(
            athlete=athlete, completed_at__isnull=False, completed_at__lte=upto.completed_at,
            exercises__family=family, exercises__exercise_id=exercise_id,
        )
        .order_by("-completed_at", "-id")
        .distinct()[: p.SESSIONS_TO_ADVANCE]
    )
    return tuple(
        p.SessionResult(s.worst_pain, bool(s.sharp_pain), p.MorningFeeling(s.next_morning) if s.next_morning else None)
        for s in reversed(list(sessions))
    )


def _nordic_week(athlete) -> int:
    """Week of the athlete's Nordic block: from their first scheduled Nordic session."""
    first = (
        ScheduledSession.objects.filter(athlete=athlete, exercises__family=p.Family.NORDIC.value)
        .order_by("date").values_list("date", flat=True).first()
    )
    return 1 if first is None else max((timezone.localdate() - first).days // 7 + 1, 1)


def _apply_progression(session: ScheduledSession) -> list[ProgressionDecision]:
    """Run the engine for each family the session trained; move the ladder and tell the coach."""
    athlete = session.athlete
    gate = gate_for(athlete)
    decisions = []
    for prescribed in session.exercises.select_related("exercise"):
        family = prescribed.family
        earlier = ProgressionDecision.objects.filter(session=session, family=family).first()
        if earlier and earlier.decision == p.Decision.REGRESS:
            continue  # one move down per session, even when the next morning is worse too
        position, _ = LadderPosition.objects.select_for_update().get_or_create(
            athlete=athlete, family=family, defaults={"rung": prescribed.exercise.rung}
        )
        current = min(position.rung, prescribed.exercise.rung) if earlier is None else earlier.from_rung
        try:
            result = p.next_prescription(
                p.ProgressionInput(
                    family=p.Family(family), rung_index=current, phase=gate.phase,
                    nordic_criteria_met=gate.nordic_criteria_met, week=_nordic_week(athlete),
                    recent=_recent_results(athlete, family, prescribed.exercise_id, session),
                )
            )
        except p.ProgressionInputError:
            continue  # the phase no longer allows this family; regating removes it
        new_rung = result.prescription.rung_index
        position.rung = new_rung
        position.save(update_fields=["rung", "since"])
        decision, _ = ProgressionDecision.objects.update_or_create(
            session=session, family=family,
            defaults={
                "athlete": athlete, "decision": result.decision.value, "from_rung": current, "to_rung": new_rung,
                "reason": result.reason, "alert_coach": result.alert_coach, "offer_retriage": result.offer_retriage,
            },
        )
        decisions.append(decision)
    programme_regate(athlete=athlete)
    return decisions


class SessionLogError(Exception):
    pass


@transaction.atomic
def session_complete(*, session: ScheduledSession, worst_pain: int, sharp_pain: bool) -> list[ProgressionDecision]:
    """The athlete finished a session and rated the worst pain in it; progression follows."""
    session = ScheduledSession.objects.select_for_update(of=("self",)).select_related("athlete").get(pk=session.pk)
    if session.completed_at:
        raise SessionLogError("This session is already finished.")
    session.completed_at = timezone.now()
    session.worst_pain = worst_pain
    session.sharp_pain = sharp_pain
    session.save(update_fields=["completed_at", "worst_pain", "sharp_pain"])
    reminders.schedule_morning_check_in(session)
    decisions = _apply_progression(session)
    if any(d.alert_coach for d in decisions):
        reminders.pain_alert(session.athlete, f"session:{session.pk}", session=session)
    return decisions


@transaction.atomic
def session_morning_report(*, session: ScheduledSession, feeling: str, pain: int) -> list[ProgressionDecision]:
    """How the hamstring feels the morning after; a worse morning moves the athlete down."""
    session = ScheduledSession.objects.select_for_update(of=("self",)).select_related("athlete").get(pk=session.pk)
    if not session.completed_at:
        raise SessionLogError("Finish the session before the next-morning check-in.")
    if session.next_morning:
        raise SessionLogError("This morning's check-in is already in.")
    session.next_morning = feeling
    session.next_morning_pain = pain
    session.save(update_fields=["next_morning", "next_morning_pain"])
    reminders.cancel(session=session, kind="morning_check_in")
    decisions = _apply_progression(session)
    if any(d.alert_coach for d in decisions):
        reminders.pain_alert(session.athlete, f"session:{session.pk}:morning", session=session)
    return decisions


class SessionMoveError(Exception):
    pass


@transaction.atomic
def session_move(*, session: ScheduledSession, to: date) -> ScheduledSession:
    """Move a session that has not happened yet; its reminder moves with it."""
    session = ScheduledSession.objects.select_for_update(of=("self",)).select_related("athlete__user").get(pk=session.pk)
    if session.completed_at:
        raise SessionMoveError("A finished session cannot be moved.")
    if to < timezone.localdate():
        raise SessionMoveError("Choose today or a later day.")
    session.date = to
    session.save(update_fields=["date"])
    reminders.move_session(session)
    return session


@transaction.atomic
def template_copy(*, template: ProgrammeTemplate, owner) -> ProgrammeTemplate:
    """A coach's own editable copy of a template, sessions and entries included."""
    copy = ProgrammeTemplate.objects.create(
        name=f"{template.name} (copy)", description=template.description, kind=template.kind,
        owner=owner, copied_from=template,
    )
    for session in template.sessions.prefetch_related("entries"):
        entries = list(session.entries.all())
        session.pk = None
        session.template = copy
        session.save()
        for entry in entries:
            entry.pk = None
            entry.session = session
        TemplateEntry.objects.bulk_create(entries)
    return copy


@transaction.atomic
def set_log(*, prescribed: PrescribedExercise, set_number: int, reps: int | None = None, load: str | None = None):
    """Log one set; a retried tap updates the same row, so a set is never saved twice.

    Without reps or load, the set was done as prescribed.
    """
    session = ScheduledSession.objects.select_for_update().only("completed_at").get(pk=prescribed.session_id)
    if session.completed_at:
        raise SessionLogError("This session is finished; its sets can no longer change.")
    if not 1 <= set_number <= prescribed.sets:
        raise SessionLogError(f"This exercise has {prescribed.sets} sets.")
    log = SetLog(
        prescribed=prescribed,
        set_number=set_number,
        reps=prescribed.set_targets()[set_number - 1] if reps is None else reps,
        load=prescribed.load if load is None else load,
        logged_at=timezone.now(),
    )
    # The session row is locked, so no other tap on it runs between this update and the insert:
    # one statement for a retried tap, two for a first one (no savepoints, no read first).
    fields = {"reps": log.reps, "load": log.load, "logged_at": log.logged_at}
    if not SetLog.objects.filter(prescribed=prescribed, set_number=set_number).update(**fields):
        log.save(force_insert=True)
    return log


def calendar_token_regenerate(*, athlete: Athlete) -> str:
    """A new secret for the athlete's calendar feed; the old URL stops working at once."""
    athlete.calendar_token = secrets.token_urlsafe(32)
    athlete.save(update_fields=["calendar_token", "updated_at"])
    return athlete.calendar_token


def calendar_token_revoke(*, athlete: Athlete) -> None:
    athlete.calendar_token = None
    athlete.save(update_fields=["calendar_token", "updated_at"])
