"""Reminders: scheduled as rows when the data changes, claimed by the sweep, delivered once.

The broker only carries "send reminder N now"; every reminder lives in the database first, so
a lost message is found again by the next sweep, and the SentLog's unique row makes a second
delivery impossible to record.
"""

import logging
import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import ALWAYS_EMAILED_TO_COACHES, EmailPreference, Kind, Notification, Reminder, SentLog

logger = logging.getLogger(__name__)

MORNING = time(7, 0)
DAYTIME = time(9, 0)
SWEEP_BATCH = 1000
Status = Reminder.Status


# --- Scheduling --------------------------------------------------------------------------------


def local_time(user, day, at: time) -> datetime:
    """A wall-clock time on a day in the person's own time zone."""
    return datetime.combine(day, at, tzinfo=_zone(user.time_zone))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (KeyError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def preferences_save(*, user, time_zone: str, email_choices: dict[str, bool]) -> int:
    """Save a person's time zone and email choices; returns how many pending reminders moved.

    Reminders keep their wall-clock time: a session reminder due at 7:00 in the old zone is due
    at 7:00 in the new one. Those already due (a pain alert) go out as they are.
    """
    old_zone, new_zone = _zone(user.time_zone), _zone(time_zone)
    with transaction.atomic():
        user.time_zone = time_zone
        user.save(update_fields=["time_zone"])
        moved = []
        if new_zone != old_zone:
            for reminder in Reminder.objects.select_for_update().filter(
                recipient=user, status=Status.PENDING, due_at__gt=timezone.now()
            ):
                reminder.due_at = reminder.due_at.astimezone(old_zone).replace(tzinfo=new_zone)
                moved.append(reminder)
            Reminder.objects.bulk_update(moved, ["due_at"])
        for kind, wanted in email_choices.items():
            EmailPreference.objects.update_or_create(user=user, kind=kind, defaults={"email": wanted})
    return len(moved)


def _coaches(athlete):
    return list(athlete.team.coaches.all())


def _schedule(kind, recipient, occurrence, athlete, due_at, **about) -> None:
    """Create the reminder, or move a pending (or cancelled) one; a sent one stays as it was."""
    reminder, created = Reminder.objects.get_or_create(
        recipient=recipient, kind=kind, occurrence=occurrence,
        defaults={"athlete": athlete, "due_at": due_at, **about},
    )
    if not created and reminder.status in (Status.PENDING, Status.CANCELLED):
        Reminder.objects.filter(pk=reminder.pk, status__in=[Status.PENDING, Status.CANCELLED]).update(
            due_at=due_at, status=Status.PENDING
        )


def cancel(**about) -> int:
    return Reminder.objects.filter(status=Status.PENDING, **about).update(status=Status.CANCELLED)


def schedule_injury(injury) -> None:
    """Return-near and overdue reminders for an open injury; check-ins after its return."""
    athlete = injury.athlete
    coaches = _coaches(athlete)
    if injury.cleared_on:
        cancel(injury=injury, kind__in=[Kind.RETURN_NEAR, Kind.RETURN_OVERDUE])
        for days in (7, 14):
            for coach in coaches:
                _schedule(Kind.RECURRENCE_CHECK_IN, coach, f"injury:{injury.pk}:after-return-{days}d", athlete,
                          local_time(coach, injury.cleared_on + timedelta(days=days), DAYTIME), injury=injury)
        return
    people = coaches + ([athlete.user] if athlete.user_id else [])
    for label, day in (("3d", injury.expected_return_from - timedelta(days=3)), ("day", injury.expected_return_from)):
        for person in people:
            _schedule(Kind.RETURN_NEAR, person, f"injury:{injury.pk}:return-{label}", athlete,
                      local_time(person, day, DAYTIME), injury=injury)
    for coach in coaches:
        _schedule(Kind.RETURN_OVERDUE, coach, f"injury:{injury.pk}:overdue", athlete,
                  local_time(coach, injury.expected_return_to + timedelta(days=1), DAYTIME), injury=injury)


def schedule_sessions(sessions) -> None:
    """The morning-of reminder for each session of an athlete who has an account (in bulk)."""
    today = timezone.localdate()
    Reminder.objects.bulk_create(
        [
            Reminder(kind=Kind.SESSION_TODAY, recipient=s.athlete.user, occurrence=f"session:{s.pk}", athlete=s.athlete,
                     session=s, due_at=local_time(s.athlete.user, s.date, MORNING))
            for s in sessions
            if s.athlete.user_id and s.date >= today
        ],
        ignore_conflicts=True,
    )


def move_session(session) -> None:
    if session.athlete.user_id:
        _schedule(Kind.SESSION_TODAY, session.athlete.user, f"session:{session.pk}", session.athlete,
                  local_time(session.athlete.user, session.date, MORNING), session=session)


def schedule_morning_check_in(session) -> None:
    athlete = session.athlete
    if athlete.user_id:
        day = timezone.localtime(session.completed_at).date() + timedelta(days=1)
        _schedule(Kind.MORNING_CHECK_IN, athlete.user, f"session:{session.pk}:morning", athlete,
                  local_time(athlete.user, day, MORNING), session=session)


def pain_alert(athlete, occurrence: str, **about) -> None:
    """Due at once for every coach of the athlete; sent as soon as the transaction commits."""
    now = timezone.now()
    for coach in _coaches(athlete):
        _schedule(Kind.PAIN_ALERT, coach, occurrence, athlete, now, **about)
    transaction.on_commit(dispatch_due_now)


def detect_missed_sessions(today) -> int:
    """Tell the coaches when an athlete's last two past sessions were both missed (once each run of misses)."""
    from programmes.models import ScheduledSession

    made = 0
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
    for sessions in last_two.values():
        if len(sessions) == 2 and not any(s.completed_at for s in sessions):
            athlete = sessions[0].athlete
            for coach in _coaches(athlete):
                _schedule(Kind.MISSED_SESSIONS, coach, f"missed:{sessions[0].pk}", athlete, timezone.now(), session=sessions[0])
                made += 1
    return made


# --- Claiming and delivering -------------------------------------------------------------------


def requeue_stale_claims(now) -> int:
    """Rows claimed by a worker that died before sending go back in the queue."""
    stale = timedelta(seconds=settings.REMINDER_STALE_CLAIM_SECONDS)
    return Reminder.objects.filter(status=Status.CLAIMED, claimed_at__lt=now - stale).update(
        status=Status.PENDING, claimed_at=None
    )


def claim_due(now, limit: int = SWEEP_BATCH) -> list[int]:
    """Claim due rows by a conditional update with a fresh token: two sweeps never share a row.

    Three queries whatever the number of pending reminders (the partial index serves the first).
    """
    candidates = list(
        Reminder.objects.filter(status=Status.PENDING, due_at__lte=now).order_by("due_at").values_list("pk", flat=True)[:limit]
    )
    if not candidates:
        return []
    token = uuid.uuid4().hex
    Reminder.objects.filter(pk__in=candidates, status=Status.PENDING).update(
        status=Status.CLAIMED, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    return list(Reminder.objects.filter(pk__in=candidates, claim_token=token).values_list("pk", flat=True))


def release(ids) -> None:
    Reminder.objects.filter(pk__in=ids, status=Status.CLAIMED).update(status=Status.PENDING, claimed_at=None)


def dispatch_due_now() -> int:
    """Claim what is due and hand it to the workers; if the broker is down, put it back."""
    from .tasks import send_reminder

    ids = claim_due(timezone.now())
    for position, pk in enumerate(ids):
        try:
            send_reminder.apply_async((pk,), retry=True, retry_policy={"max_retries": 1, "interval_start": 0.2})
        except Exception:  # the broker is unreachable: the next sweep sends these
            logger.exception("could not enqueue reminders; releasing %d for the next sweep", len(ids) - position)
            release(ids[position:])
            break
    return len(ids)


def wants_email(reminder) -> bool:
    user = reminder.recipient
    if user.is_coach and reminder.kind in ALWAYS_EMAILED_TO_COACHES:
        return True
    choice = EmailPreference.objects.filter(user=user, kind=reminder.kind).values_list("email", flat=True).first()
    return True if choice is None else choice


def message_for(reminder) -> dict:
    athlete = reminder.athlete
    name = athlete.full_name
    injury, session = reminder.injury, reminder.session
    coach_link = reverse("injury_detail", args=[injury.pk]) if injury else reverse("athlete_detail", args=[athlete.pk])
    if reminder.kind == Kind.RETURN_NEAR:
        title = f"{name}: return to training from {injury.expected_return_from:%d %b}"
        body = f"{name}'s expected return window opens on {injury.expected_return_from:%A %d %B}. Check the clearance checklist before then; the dates are a guide, the checklist decides."
        url = reverse("athlete_home") if reminder.recipient.is_athlete else coach_link
    elif reminder.kind == Kind.RETURN_OVERDUE:
        title = f"{name}: return is overdue"
        body = f"{name}'s expected return window closed on {injury.expected_return_to:%d %B} and the injury is not cleared. Review the phase, the checklist and whether a doctor should see them."
        url = coach_link
    elif reminder.kind == Kind.SESSION_TODAY:
        title = "Your session today"
        body = f"You have a session today: {session.title or 'hamstring training'}. Open coachapp to see it and log your sets."
        url = reverse("session_detail", args=[session.pk])
    elif reminder.kind == Kind.MORNING_CHECK_IN:
        title = "How is the hamstring this morning?"
        body = "Tell your coach how the hamstring feels compared with yesterday. It takes ten seconds."
        url = reverse("athlete_home")
    elif reminder.kind == Kind.MISSED_SESSIONS:
        title = f"{name} missed two sessions in a row"
        body = f"{name} has not logged the last two scheduled sessions. It may be worth a word."
        url = reverse("athlete_programme", args=[athlete.pk])
    elif reminder.kind == Kind.PAIN_ALERT:
        title = f"Pain alert: {name}"
        body = f"{name} reported pain that needs your attention. Review their programme and consider a re-triage."
        url = reverse("complaint_create", args=[athlete.pk]) if not session else reverse("athlete_programme", args=[athlete.pk])
    else:  # RECURRENCE_CHECK_IN
        title = f"{name}: check in after the return"
        body = f"{name} returned to training recently; the next weeks carry the highest risk of a re-injury. How is the hamstring holding up?"
        url = coach_link
    return {"title": title, "body": body, "url": url}


def deliver(reminder_id: int) -> str:
    """Send one reminder: the in-app notification, the email if wanted, the sent-log. Idempotent.

    The row is locked while sending, so two workers cannot both send it; a mail error rolls
    everything back and the task retries.
    """
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(of=("self",))
            .select_related("recipient", "athlete", "injury", "session")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None:
            return "gone"
        if reminder.status == Status.SENT or SentLog.objects.filter(reminder=reminder).exists():
            return "already sent"
        if reminder.status == Status.CANCELLED:
            return "cancelled"
        message = message_for(reminder)
        Notification.objects.create(user=reminder.recipient, reminder=reminder, kind=reminder.kind, **message)
        emailed = wants_email(reminder) and bool(reminder.recipient.email)
        if emailed:
            context = {**message, "link": settings.SITE_URL + message["url"], "user": reminder.recipient}
            send_mail(
                subject=message["title"],
                message=render_to_string("reminders/email/message.txt", context),
                from_email=None,
                recipient_list=[reminder.recipient.email],
                html_message=render_to_string("reminders/email/message.html", context),
            )
        SentLog.objects.create(reminder=reminder, emailed=emailed)
        Reminder.objects.filter(pk=reminder.pk).update(status=Status.SENT)
    return "sent"


def record_failure(reminder_id: int, error: Exception) -> None:
    Reminder.objects.filter(pk=reminder_id).update(last_error=str(error)[:300])
