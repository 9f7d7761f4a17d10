"""Programme writes: assigning templates, gating by the injury's phase, applying progression."""

import secrets
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from athletes.locks import lock_athletes
from athletes.models import Athlete
from injuries import pathway
from injuries.models import ClearanceCheck, Complaint, Episode, Injury
from injuries.triage import Referral
from programmes import reminders

from . import gating as g
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


# A session can be logged up to a week after its day; older ones are closed (and so never need
# re-gating: the gating rule covers every session an athlete can still log).
LOG_WINDOW_DAYS = 7


def _check_loggable(session: ScheduledSession) -> None:
    today = timezone.localdate()
    if session.date > today:
        raise SessionLogError(f"This session is planned for {session.date:%A %-d %B}: it can be logged on that day.")
    if session.date < today - timedelta(days=LOG_WINDOW_DAYS):
        raise SessionLogError("This session is more than a week old: it can no longer be logged.")


class AssignmentError(Exception):
    """An assignment that cannot be scheduled; the message says why."""


def situation_for(athlete: Athlete) -> g.Situation:
    """Everything the gating rule needs about one athlete, in three queries."""
    injuries = Injury.objects.filter(athlete=athlete).open().prefetch_related(
        Prefetch("checks", queryset=ClearanceCheck.objects.filter(done=True, item__in=pathway.NORDIC_CRITERIA),
                 to_attr="nordic_checks")
    )
    facts = tuple(
        g.InjuryFacts(
            phase=injury.phase,
            waiting_for_doctor=injury.waiting_for_doctor,
            nordic_criteria_met={c.item for c in injury.nordic_checks} == set(pathway.NORDIC_CRITERIA),
        )
        for injury in injuries
    )
    episodes = tuple(Episode.objects.filter(athlete=athlete).open().values_list("classification", flat=True))
    urgent_report = Complaint.objects.filter(
        athlete=athlete, status=Complaint.Status.PENDING, referral=Referral.URGENT
    ).exists()
    return g.Situation(injuries=facts, episodes=episodes, urgent_report_waiting=urgent_report)


def gate_for(athlete: Athlete) -> g.Gating:
    return g.gate(situation_for(athlete))


class _Ladders:
    """The library's exercises by family and rung, loaded once per operation."""

    def __init__(self):
        self.by_rung = {(e.family, e.rung): e for e in Exercise.objects.all()}

    def exercise(self, family: str, rung: int) -> Exercise | None:
        return self.by_rung.get((family, rung))

    def ceiling(self, family: str, gating: g.Gating, week: int | None = None) -> int | None:
        """The highest rung the gating rule, the library and (for Nordic, given a week of the
        block) the week allow."""
        top = gating.ceiling(family)
        if top is None:
            return None
        if family == p.Family.NORDIC and week is not None:
            top = min(top, p.nordic_ceiling(week))
        allowed = [
            rung for (fam, rung), e in self.by_rung.items()
            if fam == family and rung <= top and e.allowed_in(gating.phase.value, gating.nordic_criteria_met)
        ]
        return max(allowed) if allowed else None


def _slot_dose(entry: TemplateEntry) -> p.Dose:
    if entry.hold_seconds:
        return p.Dose(sets=tuple(p.RepRange(1, 1) for _ in range(entry.sets)),
                      hold_seconds=(entry.hold_seconds, entry.hold_seconds))
    if entry.reps_by_set:
        return p.Dose(sets=tuple(p.RepRange(n, n) for n in entry.set_targets()))
    return p.Dose(sets=tuple(p.RepRange(entry.reps_min, entry.reps_max) for _ in range(entry.sets)))


def dose_of(prescribed: PrescribedExercise) -> p.Dose:
    """A prescription as the progression engine's dose (to cap the next one after a regression)."""
    if prescribed.minutes:
        return p.Dose(sets=tuple(p.RepRange(1, 1) for _ in range(prescribed.sets)), minutes=prescribed.minutes)
    return _slot_dose(prescribed)


def _dose_fields(dose: p.Dose) -> dict:
    reps = [r.min for r in dose.sets]
    uniform = len({(r.min, r.max) for r in dose.sets}) == 1
    return {
        "sets": len(dose.sets),
        "reps_min": min(reps) if not uniform else dose.sets[0].min,
        "reps_max": max(r.max for r in dose.sets) if not uniform else dose.sets[0].max,
        "reps_by_set": "" if uniform else ",".join(str(n) for n in reps),
        "hold_seconds": dose.hold_seconds[0] if dose.hold_seconds else None,
        "minutes": dose.minutes,
    }


def _prescription(entry: TemplateEntry | None, exercise: Exercise, week: int, cap: p.Dose | None) -> dict:
    """The dose of one prescription (programmes/progression.py ``dose_for``): the slot's own
    when the rung is the template's, the rung's own otherwise, the week's on a Nordic rung, and
    never more than the session regressed from. Load and range notes belong to their exercise."""
    same = entry is not None and exercise.pk == entry.exercise_id
    dose = p.dose_for(
        exercise.key, week=week,
        slot_dose=_slot_dose(entry) if entry is not None else None,
        slot_rung_key=entry.exercise.key if entry is not None else None,
        cap=cap,
    )
    return {
        **_dose_fields(dose),
        "load": entry.load if same else dose.note,
        "rom_target": entry.rom_target if same else exercise.rom_note,
        "rest_seconds": entry.rest_seconds if entry is not None else 90,
    }


class _Plan:
    """What one rebuild knows about an athlete: gating, rungs, Nordic history, regression caps."""

    def __init__(self, athlete: Athlete, gating: g.Gating, ladders: _Ladders, positions: dict):
        self.athlete, self.gating, self.ladders, self.positions = athlete, gating, ladders, positions
        self.nordic_done = list(
            ScheduledSession.objects.filter(
                athlete=athlete, completed_at__isnull=False,
                exercises__family=p.Family.NORDIC.value, exercises__set_logs__isnull=False,
            ).values_list("date", flat=True).distinct()
        )
        self.first_planned_nordic = None
        self.caps = _regression_caps(athlete)

    def week(self, day: date) -> int:
        return g.nordic_week(self.nordic_done, day, self.first_planned_nordic)

    def rows(self, session: ScheduledSession, entries, skip_entries=(), skip_families=()) -> list[PrescribedExercise]:
        """The session's exercises: each family at the athlete's rung, never above what the
        gating rule allows; a family it does not allow at all is left out."""
        week = self.week(session.date)
        rows = []
        for entry in entries:
            family = entry.exercise.family
            if entry.pk in skip_entries or family in skip_families:
                continue
            ceiling = self.ladders.ceiling(family, self.gating, week)
            if ceiling is None:
                continue
            rung = min(self.positions.get(family, entry.exercise.rung), ceiling)
            exercise = self.ladders.exercise(family, rung)
            if exercise is None:
                continue
            rows.append(PrescribedExercise(
                session=session, order=entry.order, exercise=exercise, family=family, template_entry=entry,
                **_prescription(entry, exercise, week, self.caps.get(family)),
            ))
        running = p.Family.RUNNING.value
        ceiling = self.ladders.ceiling(running, self.gating, week)
        if entries and ceiling is not None and running not in skip_families:
            exercise = self.ladders.exercise(running, min(self.positions.get(running, 0), ceiling))
            if exercise is not None:
                rows.append(PrescribedExercise(
                    session=session, order=100, exercise=exercise, family=running,
                    **_prescription(None, exercise, week, self.caps.get(running)),
                ))
        return rows

    def recovery_rows(self, session: ScheduledSession) -> list[PrescribedExercise]:
        """A session the gating rule emptied: the isometric holds every phase allows."""
        rows = []
        for order, family in enumerate((p.Family.HIP_HINGE.value, p.Family.KNEE_FLEXION.value), start=1):
            exercise = self.ladders.exercise(family, 0)
            if exercise is not None and exercise.isometric and self.ladders.ceiling(family, self.gating) is not None:
                rows.append(PrescribedExercise(
                    session=session, order=order, exercise=exercise, family=family,
                    **_prescription(None, exercise, 1, None),
                ))
        return rows


def _regression_caps(athlete: Athlete) -> dict[str, p.Dose]:
    """After a move down, the next sessions of that family never hold more than the session
    regressed from (docs/clinical-rules.md#exercise-ladders-and-doses)."""
    latest: dict[str, ProgressionDecision] = {}
    for decision in ProgressionDecision.objects.filter(athlete=athlete).order_by("-created_at", "-id"):
        latest.setdefault(decision.family, decision)
    regressed = {(d.session_id, family) for family, d in latest.items() if d.decision == p.Decision.REGRESS}
    if not regressed:
        return {}
    return {
        prescribed.family: dose_of(prescribed)
        for prescribed in PrescribedExercise.objects.filter(session_id__in={session for session, _ in regressed})
        if (prescribed.session_id, prescribed.family) in regressed
    }


def ladders_restart(*, athlete_id: int) -> None:
    """Every ladder back to its bottom rung: on opening an injury and on entering rehab."""
    LadderPosition.objects.filter(athlete_id=athlete_id).exclude(rung=0).update(rung=0, since=timezone.now())


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
    ladders = _Ladders()
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
        _rebuild(athlete, gating, rows, ladders=ladders, template_entries=template_entries)
        reminders.schedule_sessions(rows)
        made += len(rows)
    return made


def _positions(athlete_ids) -> dict[int, dict[str, int]]:
    positions: dict[int, dict[str, int]] = {}
    for row in LadderPosition.objects.filter(athlete_id__in=athlete_ids):
        positions.setdefault(row.athlete_id, {})[row.family] = row.rung
    return positions


def _start_positions(athlete, sessions, gating: g.Gating) -> None:
    """An athlete new to a family starts at the template's first rung for it; an injured one
    (protect or rehab) at the bottom of the ladder."""
    known = set(LadderPosition.objects.filter(athlete=athlete).values_list("family", flat=True))
    injured = gating.phase in (p.Phase.PROTECT, p.Phase.REHAB)
    new = {}
    for session in sessions:
        for entry in session.entries.all():
            family = entry.exercise.family
            if family not in known and family not in new:
                new[family] = 0 if injured else entry.exercise.rung
    LadderPosition.objects.bulk_create(
        LadderPosition(athlete=athlete, family=family, rung=rung) for family, rung in new.items()
    )


@transaction.atomic
def programme_regate(*, athlete: Athlete, restart: bool = False) -> int:
    """Re-apply the gating rule to the athlete's sessions from today on; returns sessions rebuilt.

    The one entry point for every event that can change what the athlete may do (injuries
    announce them: injuries/events.py). ``restart`` puts every ladder back to its bottom rung
    first (an injury opened, or rehab entered).
    """
    lock_athletes(athlete.pk)  # one rebuild at a time, and never half-way through a tap
    if restart:
        ladders_restart(athlete_id=athlete.pk)
    # Every session the athlete can still log: from a week ago (LOG_WINDOW_DAYS) on.
    upcoming = list(
        ScheduledSession.objects.filter(
            athlete=athlete, completed_at__isnull=True, date__gte=timezone.localdate() - timedelta(days=LOG_WINDOW_DAYS)
        )
    )
    return _rebuild(athlete, gate_for(athlete), upcoming)


def _rebuild(athlete: Athlete, gating: g.Gating, sessions: list[ScheduledSession], *,
             ladders: "_Ladders | None" = None, template_entries: dict | None = None) -> int:
    """Prescribe ``sessions`` afresh under ``gating``. A prescription with a set logged is kept
    (withheld, with the reason, if no longer allowed); everything else is rebuilt.

    A new assignment passes its ladders and template entries (and its sessions have no
    prescriptions yet), so that assigning a team costs a fixed number of queries per athlete.
    """
    fresh = template_entries is not None
    ladders = ladders or _Ladders()
    # The saved rungs stay as progression left them: the gating rule caps what is prescribed, so
    # a hold that lifts (an urgent report confirmed as minor) gives the athlete their rungs back.
    # Opening an injury and entering rehab restart the ladders themselves (``ladders_restart``).
    positions = _positions([athlete.pk]).get(athlete.pk, {})
    plan = _Plan(athlete, gating, ladders, positions)
    ids = [s.pk for s in sessions]
    kept = defaultdict(list)
    if not fresh:
        prescribed = PrescribedExercise.objects.filter(session_id__in=ids).select_related("exercise").annotate(
            logged=Exists(SetLog.objects.filter(prescribed=OuterRef("pk")))
        )
        for row in prescribed:
            if row.logged:
                kept[row.session_id].append(row)
        template_entries = defaultdict(list)
        for entry in TemplateEntry.objects.filter(
            session_id__in={s.template_session_id for s in sessions if s.template_session_id}
        ).select_related("exercise").order_by("order", "id"):
            template_entries[entry.session_id].append(entry)
        PrescribedExercise.objects.filter(session_id__in=ids).exclude(
            pk__in=[r.pk for rows in kept.values() for r in rows]
        ).delete()
    entries = template_entries
    nordic_days = [s.date for s in sessions
                   if any(e.exercise.family == p.Family.NORDIC for e in entries.get(s.template_session_id, ()))]
    plan.first_planned_nordic = min(nordic_days, default=None)
    new_rows, changed_kept, changed_sessions = [], [], []
    for session in sessions:
        keep = kept.get(session.pk, [])
        for row in keep:
            week = plan.week(session.date)
            ceiling = ladders.ceiling(row.family, gating, week)
            reason = "" if ceiling is not None and row.exercise.rung <= ceiling else (
                gating.reason or "No longer allowed for this injury."
            )
            if reason != row.withheld_reason:
                row.withheld_reason = reason
                changed_kept.append(row)
        session_entries = entries.get(session.template_session_id, [])
        rows = plan.rows(
            session, session_entries,
            skip_entries={r.template_entry_id for r in keep}, skip_families={r.family for r in keep if r.template_entry_id is None},
        )
        allowed_kept = [r for r in keep if not r.withheld_reason]
        is_recovery = bool(session_entries) and not rows and not allowed_kept
        if is_recovery:
            rows = plan.recovery_rows(session)
        if (session.is_recovery, session.gating_note) != (is_recovery, gating.reason):
            session.is_recovery, session.gating_note = is_recovery, gating.reason
            changed_sessions.append(session)
        new_rows.extend(rows)
    PrescribedExercise.objects.bulk_create(new_rows)
    if changed_kept:
        PrescribedExercise.objects.bulk_update(changed_kept, ["withheld_reason"])
    if changed_sessions:
        ScheduledSession.objects.bulk_update(changed_sessions, ["is_recovery", "gating_note"])
    return len(sessions)


def _recent_results(athlete, family: str, exercise_id: int, upto: ScheduledSession, since) -> tuple[p.SessionResult, ...]:
    """The last finished sessions of this exercise since the athlete came onto its rung, each
    with at least one set logged, oldest first (docs/clinical-rules.md#pain-guided-progression)."""
    sessions = (
        ScheduledSession.objects.filter(
            athlete=athlete, completed_at__isnull=False, completed_at__lte=upto.completed_at, completed_at__gte=since,
            exercises__family=family, exercises__exercise_id=exercise_id, exercises__set_logs__isnull=False,
        )
        .order_by("-completed_at", "-id")
        .distinct()[: p.SESSIONS_TO_ADVANCE]
    )
    return tuple(
        p.SessionResult(s.worst_pain, bool(s.sharp_pain), p.MorningFeeling(s.next_morning) if s.next_morning else None)
        for s in reversed(list(sessions))
    )


def _apply_progression(session: ScheduledSession) -> list[ProgressionDecision]:
    """Run the engine for each family the session trained; move the ladder and tell the coach."""
    athlete = session.athlete
    gating = gate_for(athlete)
    decisions = []
    nordic_done = list(
        ScheduledSession.objects.filter(
            athlete=athlete, completed_at__isnull=False,
            exercises__family=p.Family.NORDIC.value, exercises__set_logs__isnull=False,
        ).values_list("date", flat=True).distinct()
    )
    week = g.nordic_week(nordic_done, session.date)
    prescriptions = session.exercises.select_related("exercise").annotate(
        logged=Exists(SetLog.objects.filter(prescribed=OuterRef("pk")))
    )
    for prescribed in prescriptions:
        family = prescribed.family
        earlier = ProgressionDecision.objects.filter(session=session, family=family).first()
        if earlier and (earlier.decision == p.Decision.REGRESS or session.next_morning != p.MorningFeeling.WORSE):
            # One move down per session, even when the next morning is worse too; and a morning
            # no worse keeps the decision the session made (it was the condition for a step up).
            continue
        position, _ = LadderPosition.objects.select_for_update().get_or_create(
            athlete=athlete, family=family, defaults={"rung": prescribed.exercise.rung}
        )
        current = min(position.rung, prescribed.exercise.rung) if earlier is None else earlier.from_rung
        this = p.SessionResult(
            session.worst_pain, bool(session.sharp_pain),
            p.MorningFeeling(session.next_morning) if session.next_morning else None,
            sets_logged=1 if prescribed.logged else 0,
        )
        # A session with no set logged speaks only for itself: it may move the athlete down, never up.
        recent = (
            _recent_results(athlete, family, prescribed.exercise_id, session, position.since) or (this,)
            if prescribed.logged else (this,)
        )
        try:
            result = p.next_prescription(
                p.ProgressionInput(
                    family=p.Family(family), rung_index=current, phase=gating.phase,
                    nordic_criteria_met=gating.nordic_criteria_met, week=week, recent=recent,
                )
            )
        except p.ProgressionInputError:
            continue  # the gating rule no longer allows this family; regating removes it
        decision_value, new_rung, reason = result.decision, result.prescription.rung_index, result.reason
        if gating.hold and decision_value == p.Decision.ADVANCE:
            decision_value, new_rung = p.Decision.HOLD, current
            reason = f"{reason} Held instead: {gating.reason}"
        if new_rung != position.rung:
            position.rung, position.since = new_rung, timezone.now()
            position.save(update_fields=["rung", "since"])
        decision, _ = ProgressionDecision.objects.update_or_create(
            session=session, family=family,
            defaults={
                "athlete": athlete, "decision": decision_value.value, "from_rung": current, "to_rung": new_rung,
                "reason": reason, "alert_coach": result.alert_coach, "offer_retriage": result.offer_retriage,
            },
        )
        decisions.append(decision)
    programme_regate(athlete=athlete)
    return decisions


class SessionLogError(Exception):
    pass


def _max_sprint_done(session: ScheduledSession) -> bool:
    return session.worst_pain == 0 and not session.sharp_pain and session.exercises.filter(
        family=p.Family.RUNNING.value, exercise__key="run_max_sprint", set_logs__isnull=False
    ).exists()


@transaction.atomic
def session_complete(*, session: ScheduledSession, worst_pain: int, sharp_pain: bool) -> list[ProgressionDecision]:
    """The athlete finished a session and rated the worst pain in it; progression follows.

    A session of a later day cannot be finished yet; one finished with no set logged keeps its
    pain answer (and any alert) but never counts as done (docs/clinical-rules.md#pain-guided-progression).
    """
    lock_athletes(session.athlete_id)
    session = ScheduledSession.objects.select_for_update(of=("self",)).select_related("athlete").get(pk=session.pk)
    if session.completed_at:
        raise SessionLogError("This session is already finished.")
    _check_loggable(session)
    session.completed_at = timezone.now()
    session.worst_pain = worst_pain
    session.sharp_pain = sharp_pain
    session.save(update_fields=["completed_at", "worst_pain", "sharp_pain"])
    reminders.schedule_morning_check_in(session)
    decisions = _apply_progression(session)
    if _max_sprint_done(session):
        from injuries.services import clearance_tick_from_sprint  # injuries is below programmes

        clearance_tick_from_sprint(athlete_id=session.athlete_id, on=session.date)
    if any(d.alert_coach for d in decisions):
        reminders.pain_alert(session.athlete, f"session:{session.pk}", session=session)
    return decisions


@transaction.atomic
def session_morning_report(*, session: ScheduledSession, feeling: str, pain: int) -> list[ProgressionDecision]:
    """How the hamstring feels the morning after; a worse morning moves the athlete down."""
    lock_athletes(session.athlete_id)
    session = ScheduledSession.objects.select_for_update(of=("self",)).select_related("athlete").get(pk=session.pk)
    if not session.completed_at:
        raise SessionLogError("Finish the session before the next-morning check-in.")
    if session.next_morning:
        raise SessionLogError("This morning's check-in is already in.")
    session.next_morning = feeling
    session.next_morning_pain = pain
    session.save(update_fields=["next_morning", "next_morning_pain"])
    reminders.cancel_morning_check_in(session)
    decisions = _apply_progression(session)
    if any(d.alert_coach for d in decisions):
        reminders.pain_alert(session.athlete, f"session:{session.pk}:morning", session=session)
    return decisions


def regate_all() -> int:
    """Nightly: re-apply the gating rule for every athlete with a session still to log, so that
    what depends on the days passing (the week of a Nordic block, a break that starts a new one)
    is planned afresh even when no event happened. Each athlete in their own transaction."""
    athletes = Athlete.objects.filter(
        scheduled_sessions__completed_at__isnull=True,
        scheduled_sessions__date__gte=timezone.localdate() - timedelta(days=LOG_WINDOW_DAYS),
    ).distinct().order_by("pk")
    done = 0
    for athlete in athletes.iterator():
        programme_regate(athlete=athlete)
        done += 1
    return done


def latest_pain(athlete_id: int, since: date) -> int | None:
    """The last pain the athlete reported since a day: the next-morning pain of their latest
    finished session if they gave it, else its worst pain."""
    session = (
        ScheduledSession.objects.filter(athlete_id=athlete_id, completed_at__isnull=False, completed_at__date__gte=since)
        .order_by("-completed_at", "-id").only("worst_pain", "next_morning_pain").first()
    )
    if session is None:
        return None
    return session.next_morning_pain if session.next_morning_pain is not None else session.worst_pain


def episodes_sweep(today: date) -> dict[str, int]:
    """Daily: minor episodes past their window end by themselves, unless pain persists, which
    asks the coaches once to re-triage (docs/clinical-rules.md#minor-episodes)."""
    from injuries import services as injury_services

    counts = {"ended": 0, "retriage": 0}
    for episode in Episode.objects.open().filter(ends_on__lte=today).order_by("pk"):
        outcome = pathway.episode_outcome(episode.ends_on, today, latest_pain(episode.athlete_id, episode.started_on))
        if outcome == pathway.ENDS:
            injury_services.episode_end(episode=episode, ending=Episode.Ending.BY_ITSELF, on=today)
            counts["ended"] += 1
        elif outcome == pathway.RETRIAGE and episode.retriage_asked_on is None:
            counts["retriage"] += injury_services.episode_ask_retriage(episode=episode, on=today)
    return counts


class SessionMoveError(Exception):
    pass


@transaction.atomic
def session_move(*, session: ScheduledSession, to: date) -> ScheduledSession:
    """Move a session that has not happened yet; its reminder moves with it."""
    lock_athletes(session.athlete_id)
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
    lock_athletes(prescribed.session.athlete_id)
    # The prescription and its session, locked and read afresh: a rebuild may have changed or
    # removed the prescription since the page was loaded.
    prescribed = (
        PrescribedExercise.objects.select_for_update().select_related("session")
        .only("sets", "reps_min", "reps_max", "reps_by_set", "load", "withheld_reason", "session__completed_at",
              "session__date", "session__athlete_id")
        .filter(pk=prescribed.pk).first()
    )
    if prescribed is None:
        raise SessionLogError("Your coach's plan for this session changed: reload the page to see it.")
    session = prescribed.session
    if session.completed_at:
        raise SessionLogError("This session is finished; its sets can no longer change.")
    _check_loggable(session)
    if not 1 <= set_number <= prescribed.sets:
        raise SessionLogError(f"This exercise has {prescribed.sets} sets.")
    if prescribed.withheld_reason:
        raise SessionLogError("This exercise is stopped for now. " + prescribed.withheld_reason)
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
