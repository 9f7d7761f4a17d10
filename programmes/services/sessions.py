"""The athlete's sessions: one set at a time, finishing with pain, the next-morning check-in and
the progression that follows; moving a session; the minor episodes that the latest pain ends or
sends back to triage; and the calendar feed's secret."""

import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.formats import date_format

from athletes.errors import AppError
from athletes.locks import lock_athletes
from athletes.models import Athlete
from injuries import pathway
from injuries.models import Episode
from programmes import reminders

from .. import gating as g
from .. import loads
from .. import progression as p
from ..models import LadderPosition, PrescribedExercise, ProgressionDecision, ScheduledSession, SetLog
from .regating import LOG_WINDOW_DAYS, gate_for, programme_regate
from .totals import session_totals_add


class SessionLogError(AppError):
    """A set, a finish or a morning answer the session no longer takes; the message says why."""


def _check_loggable(session: ScheduledSession) -> None:
    today = timezone.localdate()
    if session.date > today:
        day = f"{date_format(session.date, 'l')} {date_format(session.date, 'MONTH_DAY_FORMAT')}"  # Thursday 3 Dec
        raise SessionLogError(f"This session is planned for {day}: it can be logged on that day.")
    if session.date < today - timedelta(days=LOG_WINDOW_DAYS):
        raise SessionLogError("This session is more than a week old: it can no longer be logged.")


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


# A tap with no load typed: the set keeps the load it has, or takes the load of the last set
# logged of this exercise in this session (the weight rarely changes between sets), or, for the
# first, the prescription's when it is written as a load with its unit ("20 kg", not
# "Moderate dumbbells").
AS_BEFORE = object()


@transaction.atomic
def set_log(*, prescribed: PrescribedExercise, set_number: int, reps: int | None = None,
            load_kg: Decimal | None | object = AS_BEFORE, note: str | None = None):
    """Log one set; a retried tap updates the same row, so a set is never saved twice.

    Without reps, the set was done as prescribed; `load_kg` is in kilograms (None: bodyweight or
    no load; AS_BEFORE, see above); `note` (a run's note) None keeps what the set has.
    """
    if load_kg is not AS_BEFORE and load_kg is not None and not 0 <= load_kg <= loads.MAX_KG:
        raise SessionLogError(f"A load must be between 0 and {loads.MAX_KG} kg.")
    lock_athletes(prescribed.session.athlete_id)
    # The prescription and its session, locked and read afresh: a rebuild may have changed or
    # removed the prescription since the page was loaded.
    prescribed = (
        PrescribedExercise.objects.select_for_update().select_related("session")
        .only("sets", "reps_min", "reps_max", "reps_by_set", "load", "family", "withheld_reason",
              "session__completed_at", "session__date", "session__athlete_id")
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
    if prescribed.family == p.Family.RUNNING:
        load_kg = None  # a run has no load: what the athlete writes is its note
    logged = list(SetLog.objects.filter(prescribed=prescribed).order_by("-logged_at", "-set_number"))
    log = next((row for row in logged if row.set_number == set_number), None)
    if load_kg is AS_BEFORE:
        load_kg = log.load_kg if log else logged[0].load_kg if logged else loads.parse_kg(prescribed.load, default_unit=None)
    new = log is None
    if new:
        log = SetLog(prescribed=prescribed, set_number=set_number)
    reps_before = 0 if new else log.reps
    log.reps = prescribed.set_targets()[set_number - 1] if reps is None else reps
    log.load_kg = load_kg
    if note is not None:
        log.note = note
    log.logged_at = timezone.now()
    # The athlete's row is locked, so no other tap on this exercise runs between the read above
    # and this write: one read and one write, first tap or retry (no savepoints).
    if log.pk:
        log.save(update_fields=["reps", "load_kg", "note", "logged_at"])
    else:
        log.save(force_insert=True)
    # The session's totals (programmes/services/totals.py): a stopped exercise was refused above.
    nordic = prescribed.family == p.Family.NORDIC
    session_totals_add(session.pk, logged=int(new), nordic_reps=log.reps - reps_before if nordic else 0)
    return log


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


class SessionMoveError(AppError):
    """A move the calendar refuses; the message says why."""


@transaction.atomic
def session_move(*, session: ScheduledSession, to: date) -> ScheduledSession:
    """Move a session that has not happened yet; its reminder moves with it, and the gating rule
    applies to it again on its new day: the week of the Nordic block, which sets the Nordic rung
    and dose, follows the date (docs/clinical-rules.md#nordic-dose)."""
    lock_athletes(session.athlete_id)
    session = ScheduledSession.objects.select_for_update(of=("self",)).select_related("athlete__user").get(pk=session.pk)
    if session.completed_at:
        raise SessionMoveError("A finished session cannot be moved.")
    if to < timezone.localdate():
        raise SessionMoveError("Choose today or a later day.")
    session.date = to
    session.save(update_fields=["date"])
    reminders.move_session(session)
    programme_regate(athlete=session.athlete)
    session.refresh_from_db(fields=["is_recovery", "gating_note"])
    return session


def calendar_token_regenerate(*, athlete: Athlete) -> str:
    """A new secret for the athlete's calendar feed; the old URL stops working at once."""
    athlete.calendar_token = secrets.token_urlsafe(32)
    athlete.save(update_fields=["calendar_token", "updated_at"])
    return athlete.calendar_token


def calendar_token_revoke(*, athlete: Athlete) -> None:
    athlete.calendar_token = None
    athlete.save(update_fields=["calendar_token", "updated_at"])


def alert_resolve(*, decision: ProgressionDecision, resolved_by) -> bool:
    """A coach marks a pain alert dealt with; a second press changes nothing. True if it was open."""
    return bool(
        ProgressionDecision.objects.filter(pk=decision.pk, resolved_at__isnull=True).update(
            resolved_at=timezone.now(), resolved_by=resolved_by
        )
    )
