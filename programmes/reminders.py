"""The reminders a programme brings, and their wording; the reminder engine delivers them.

Who is told what, and when: the athlete at 7:00 on the morning of each session and the morning
after finishing one; every coach at once when a session or its next morning calls for an alert
(docs/clinical-rules.md#pain-guided-progression), and when an athlete's last two sessions were
both missed. The wording is registered with the engine in `ProgrammesConfig.ready()`
(docs/architecture.md#background-work).
"""

from datetime import time, timedelta

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from injuries import reminders as injury_reminders
from reminders import services as engine
from reminders.models import Kind

from .models import ScheduledSession

MORNING = time(7, 0)  # in the athlete's own time zone


def _coaches(athlete):
    return list(athlete.team.coaches.all())


def schedule_sessions(sessions) -> None:
    """The morning-of reminder for each session of an athlete who has an account (in bulk)."""
    today = timezone.localdate()
    engine.schedule_new(
        Kind.SESSION_TODAY,
        (
            {"recipient": s.athlete.user, "occurrence": f"session:{s.pk}", "athlete": s.athlete, "session": s,
             "due_at": engine.local_time(s.athlete.user, s.date, MORNING)}
            for s in sessions
            if s.athlete.user_id and s.date >= today
        ),
    )


def move_session(session) -> None:
    if session.athlete.user_id:
        engine.schedule(Kind.SESSION_TODAY, session.athlete.user, f"session:{session.pk}", session.athlete,
                        engine.local_time(session.athlete.user, session.date, MORNING), session=session)


def schedule_morning_check_in(session) -> None:
    athlete = session.athlete
    if athlete.user_id:
        day = timezone.localtime(session.completed_at).date() + timedelta(days=1)
        engine.schedule(Kind.MORNING_CHECK_IN, athlete.user, f"session:{session.pk}:morning", athlete,
                        engine.local_time(athlete.user, day, MORNING), session=session)


def cancel_morning_check_in(session) -> None:
    """The athlete has answered it."""
    engine.cancel(session=session, kind=Kind.MORNING_CHECK_IN)


def pain_alert(athlete, occurrence: str, *, session) -> None:
    """Every coach of the athlete, at once: the session (or its next morning) called for an alert."""
    engine.schedule_now(Kind.PAIN_ALERT, _coaches(athlete), occurrence, athlete, session=session)


def detect_missed_sessions(today) -> int:
    """Tell the coaches when an athlete's last two past sessions were both missed (once each run of misses)."""
    recent = (
        ScheduledSession.objects.filter(date__lt=today, date__gte=today - timedelta(days=14))
        .select_related("athlete__team")
        .order_by("athlete_id", "-date", "-id")
    )
    last_two: dict[int, list] = {}
    for session in recent:
        sessions = last_two.setdefault(session.athlete_id, [])
        if len(sessions) < 2:
            sessions.append(session)
    missed = [sessions[0] for sessions in last_two.values() if len(sessions) == 2 and not any(s.completed_at for s in sessions)]
    prefetch_related_objects([session.athlete.team for session in missed], "coaches")  # one query, not one an athlete
    now = timezone.now()
    return engine.schedule_many(
        engine.Plan(Kind.MISSED_SESSIONS, coach, f"missed:{session.pk}", session.athlete, now, {"session": session})
        for session in missed
        for coach in _coaches(session.athlete)
    )


# --- Wording (registered in ProgrammesConfig.ready) --------------------------------------------


def session_today_message(reminder) -> dict:
    return {
        "title": "Your session today",
        "body": f"You have a session today: {reminder.session.title or 'hamstring training'}. Open coachapp to see it and log your sets.",
        "url": reverse("session_detail", args=[reminder.session_id]),
    }


def morning_check_in_message(reminder) -> dict:
    return {
        "title": "How is the hamstring this morning?",
        "body": "Tell your coach how the hamstring feels compared with yesterday. It takes ten seconds.",
        "url": reverse("athlete_home"),
    }


def missed_sessions_message(reminder) -> dict:
    name = reminder.athlete.full_name
    return {
        "title": f"{name} missed two sessions in a row",
        "body": f"{name} has not logged the last two scheduled sessions. It may be worth a word.",
        "url": reverse("athlete_programme", args=[reminder.athlete_id]),
    }


def session_pain_alert_message(reminder) -> dict:
    """A pain alert about a session: the words of every pain alert, linking to the programme.

    A pain answer that reached the server after the session could no longer take it (sent from a
    phone that had been offline; phone/services.py keeps it, occurrence ``session:<pk>:kept:<n>``)
    is shown on the athlete's page, not on the calendar, so its alert links there."""
    if ":kept:" in reminder.occurrence:
        return {**injury_reminders.pain_alert_message(reminder),
                "url": reverse("athlete_detail", args=[reminder.athlete_id]) + "#kept-heading"}
    return {**injury_reminders.pain_alert_message(reminder), "url": reverse("athlete_programme", args=[reminder.athlete_id])}
