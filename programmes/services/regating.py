"""Re-gating: the one gating rule applied to an athlete's sessions, and the prescriptions it
builds (docs/clinical-rules.md#phase-gating, docs/architecture.md#events)."""

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

from .. import gating as g
from .. import progression as p
from ..models import (
    Exercise,
    LadderPosition,
    PrescribedExercise,
    ProgressionDecision,
    ScheduledSession,
    SetLog,
    TemplateEntry,
)
from .totals import session_totals_refresh


# A session can be logged up to a week after its day; older ones are closed (and so never need
# re-gating: the gating rule covers every session an athlete can still log).
LOG_WINDOW_DAYS = 7


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
    # The athlete's own reports still waiting for a coach: an urgent one, and what the others'
    # answers triage to (docs/clinical-rules.md#phase-gating).
    waiting = list(Complaint.objects.filter(athlete=athlete, status=Complaint.Status.PENDING)
                   .values_list("referral", "classification"))
    return g.Situation(
        injuries=facts, episodes=episodes,
        urgent_report_waiting=any(referral == Referral.URGENT for referral, _ in waiting),
        reports_waiting=tuple(sorted({classification for referral, classification in waiting if referral != Referral.URGENT})),
    )


def gate_for(athlete: Athlete) -> g.Gating:
    return g.gate(situation_for(athlete))


class Ladders:
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
            if fam == family and rung <= top and p.allowed(e, gating.phase, gating.nordic_criteria_met)
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

    def __init__(self, athlete: Athlete, gating: g.Gating, ladders: Ladders, positions: dict):
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


def _positions(athlete_ids) -> dict[int, dict[str, int]]:
    positions: dict[int, dict[str, int]] = {}
    for row in LadderPosition.objects.filter(athlete_id__in=athlete_ids):
        positions.setdefault(row.athlete_id, {})[row.family] = row.rung
    return positions


def loggable_sessions():
    """Every session an athlete can still log: not finished, from a week ago (LOG_WINDOW_DAYS) on."""
    return ScheduledSession.objects.filter(
        completed_at__isnull=True, date__gte=timezone.localdate() - timedelta(days=LOG_WINDOW_DAYS)
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
    upcoming = list(loggable_sessions().filter(athlete=athlete))
    if not upcoming:  # nothing to prescribe: the gating is worked out afresh when sessions are assigned
        return 0
    return prescriptions_rebuild(athlete, gate_for(athlete), upcoming)


def prescriptions_rebuild(athlete: Athlete, gating: g.Gating, sessions: list[ScheduledSession], *,
                          ladders: Ladders | None = None, template_entries: dict | None = None,
                          positions: dict[str, int] | None = None) -> int:
    """Prescribe ``sessions`` afresh under ``gating``. A prescription with a set logged is kept
    (withheld, with the reason, if no longer allowed); everything else is rebuilt.

    A new assignment passes its ladders, template entries and the athlete's ladder positions
    (and its sessions have no prescriptions yet), so that assigning a team costs a fixed number of
    queries per athlete.
    """
    fresh = template_entries is not None
    ladders = ladders or Ladders()
    # The saved rungs stay as progression left them: the gating rule caps what is prescribed, so
    # a hold that lifts (an urgent report confirmed as minor) gives the athlete their rungs back.
    # Opening an injury and entering rehab restart the ladders themselves (``ladders_restart``).
    if positions is None:
        positions = _positions([athlete.pk]).get(athlete.pk, {})
    plan = _Plan(athlete, gating, ladders, positions)
    ids = [s.pk for s in sessions]
    kept, unlogged = defaultdict(list), defaultdict(list)
    if not fresh:
        prescribed = PrescribedExercise.objects.filter(session_id__in=ids).select_related("exercise").annotate(
            logged=Exists(SetLog.objects.filter(prescribed=OuterRef("pk")))
        )
        for row in prescribed:
            (kept if row.logged else unlogged)[row.session_id].append(row)
        template_entries = defaultdict(list)
        for entry in TemplateEntry.objects.filter(
            session_id__in={s.template_session_id for s in sessions if s.template_session_id}
        ).select_related("exercise").order_by("order", "id"):
            template_entries[entry.session_id].append(entry)
    entries = template_entries
    nordic_days = [s.date for s in sessions
                   if any(e.exercise.family == p.Family.NORDIC for e in entries.get(s.template_session_id, ()))]
    plan.first_planned_nordic = min(nordic_days, default=None)
    new_rows, stale_rows, changed_kept, changed_sessions, touched = [], [], [], [], set()
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
                touched.add(session.pk)
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
        rows, stale = _unchanged_left_out(rows, unlogged.get(session.pk, []))
        if rows or stale:
            touched.add(session.pk)
        new_rows.extend(rows)
        stale_rows.extend(stale)
    if stale_rows:
        PrescribedExercise.objects.filter(pk__in=[r.pk for r in stale_rows]).delete()
    PrescribedExercise.objects.bulk_create(new_rows)
    if changed_kept:
        PrescribedExercise.objects.bulk_update(changed_kept, ["withheld_reason"])
    if changed_sessions:
        ScheduledSession.objects.bulk_update(changed_sessions, ["is_recovery", "gating_note"])
    if not fresh:  # a new assignment refreshes all its sessions at once (programme_assign)
        session_totals_refresh(sorted(touched))
    return len(sessions)


# What a prescription is, all but its id: two rows alike in these are the same prescription.
_PRESCRIPTION_FIELDS = tuple(f.attname for f in PrescribedExercise._meta.concrete_fields if not f.primary_key)


def _unchanged_left_out(rows: list[PrescribedExercise], current: list[PrescribedExercise]):
    """(the new rows to create, the current ones to delete): a prescription rebuilt exactly as it
    stands (every field alike, the withheld reason included) is left in place instead of being
    deleted and written again. The outcome is the same rows as a full rebuild, but for their ids;
    a checklist tick that changes nothing the athlete may do writes nothing
    (docs/architecture.md#services-selectors-and-views)."""
    if not current:
        return rows, []
    left = defaultdict(list)
    for row in current:
        left[_fields_of(row)].append(row)
    new = []
    for row in rows:
        same = left.get(_fields_of(row))
        if same:
            same.pop()
        else:
            new.append(row)
    return new, [row for alike in left.values() for row in alike]


def _fields_of(row: PrescribedExercise) -> tuple:
    return tuple(getattr(row, name) for name in _PRESCRIPTION_FIELDS)


def regate_all() -> int:
    """Nightly: re-apply the gating rule for every athlete with a session still to log, so that
    what depends on the days passing (the week of a Nordic block, a break that starts a new one)
    is planned afresh even when no event happened. Each athlete in their own transaction."""
    athletes = Athlete.objects.filter(pk__in=loggable_sessions().values("athlete_id")).order_by("pk")
    done = 0
    for athlete in athletes.iterator():
        programme_regate(athlete=athlete)
        done += 1
    return done
