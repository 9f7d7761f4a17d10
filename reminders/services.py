"""Reminders: scheduled as rows when the data changes, claimed by the sweep, delivered once.

The broker only carries "send reminder N now"; every reminder lives in the database first, so
a lost message is found again by the next sweep, and the SentLog's unique row makes a second
delivery impossible to record. A reminder goes to up to three channels, chosen per kind
(ChannelPreference): in-app (always, exactly once), email and Web Push to each of the person's
devices (each at least once, a resend keeping its Message-ID or push tag; deliver).

This is the engine only. The apps schedule their own kinds through schedule, schedule_many,
schedule_new, schedule_now and cancel, and word them through reminders/kinds.py; the rules of who
is told what and when live with them (docs/architecture.md#background-work).
"""

import logging
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from . import broker, kinds, push, queue
from .models import (
    ALWAYS_EMAILED_TO_COACHES,
    URGENT_KINDS,
    ChannelPreference,
    Heartbeat,
    Notification,
    PushSend,
    PushSubscription,
    Reminder,
    SentLog,
)

logger = logging.getLogger(__name__)

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


def preferences_save(
    *, user, time_zone: str, email_choices: dict[str, bool], push_choices: dict[str, bool] | None = None,
    load_unit: str | None = None,
) -> int:
    """Save a person's time zone, channel choices per kind (email, push) and the unit they log
    loads in (None: unchanged); returns how many pending reminders moved.

    Reminders keep their wall-clock time: a session reminder due at 7:00 in the old zone is due
    at 7:00 in the new one. Those already due (a pain alert) go out as they are.
    """
    old_zone, new_zone = _zone(user.time_zone), _zone(time_zone)
    with transaction.atomic():
        user.time_zone = time_zone
        if load_unit is not None:
            user.load_unit = load_unit
        user.save(update_fields=["time_zone", "load_unit"])
        moved = []
        if new_zone != old_zone:
            for reminder in Reminder.objects.select_for_update().filter(
                recipient=user, status=Status.PENDING, due_at__gt=timezone.now()
            ):
                reminder.due_at = reminder.due_at.astimezone(old_zone).replace(tzinfo=new_zone)
                moved.append(reminder)
            Reminder.objects.bulk_update(moved, ["due_at"])
        push_choices = push_choices or {}
        for kind in {*email_choices, *push_choices}:
            channels = {name: choices[kind] for name, choices in (("email", email_choices), ("push", push_choices)) if kind in choices}
            ChannelPreference.objects.update_or_create(user=user, kind=kind, defaults=channels)
    return len(moved)


def push_subscription_save(*, user, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Turn push on for one device (its browser's subscription); the same endpoint again updates it,
    whoever had it before (another person signed in on that device). A person keeps at most
    WEBPUSH_MAX_DEVICES: the one pushed to least recently goes."""
    with transaction.atomic():
        subscription, _ = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "device": push.device_label(user_agent)},
        )
        others = PushSubscription.objects.filter(user=user).exclude(pk=subscription.pk).order_by(
            F("last_success_at").desc(nulls_last=True), "-created_at"
        )
        stale = list(others.values_list("pk", flat=True)[settings.WEBPUSH_MAX_DEVICES - 1 :])
        if stale:
            PushSubscription.objects.filter(pk__in=stale).delete()
    return subscription


def push_subscription_delete(*, user, endpoint: str) -> int:
    """Turn push off for one device: only the person's own subscription is ever deleted."""
    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]


def notification_read(*, notification: Notification) -> None:
    """Mark one notification read (once: the first time it was opened)."""
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


def notifications_read_all(*, user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


def schedule(kind, recipient, occurrence, athlete, due_at, **about) -> int | None:
    """Create the reminder, or move a pending (or cancelled) one; a sent one stays as it was.

    `about` names what the reminder is about (injury=, session=). Returns the reminder's id when
    it is (now) pending, None when it was already under way or sent.
    """
    reminder, created = Reminder.objects.get_or_create(
        recipient=recipient, kind=kind, occurrence=occurrence,
        defaults={"athlete": athlete, "due_at": due_at, **about},
    )
    if created:
        return reminder.pk
    if reminder.status in (Status.PENDING, Status.CANCELLED):
        moved = Reminder.objects.filter(pk=reminder.pk, status__in=[Status.PENDING, Status.CANCELLED]).update(
            due_at=due_at, status=Status.PENDING
        )
        return reminder.pk if moved else None
    return None


@dataclass(frozen=True)
class Plan:
    """One reminder for schedule_many: what schedule() takes, `about` as a dict (injury=, session=)."""

    kind: str
    recipient: object
    occurrence: str
    athlete: object
    due_at: datetime
    about: dict = field(default_factory=dict)


def schedule_many(plans) -> int:
    """schedule() for several reminders at once, in a few queries rather than up to four each: the
    ones already there (one SELECT), the new ones (one INSERT), the pending or cancelled ones whose
    time or status changes (one UPDATE per due time). A sent or under-way one stays as it was, and
    one another request made meanwhile is left as that request made it. Returns how many plans."""
    plans = list(plans)
    if not plans:
        return 0
    existing = {
        (row.recipient_id, row.kind, row.occurrence): row
        for row in Reminder.objects.filter(
            recipient__in={plan.recipient.pk for plan in plans},
            kind__in={plan.kind for plan in plans},
            occurrence__in={plan.occurrence for plan in plans},
        ).only("recipient_id", "kind", "occurrence", "status", "due_at")
    }
    new, moves = [], {}
    for plan in plans:
        row = existing.get((plan.recipient.pk, plan.kind, plan.occurrence))
        if row is None:
            new.append(Reminder(kind=plan.kind, recipient=plan.recipient, occurrence=plan.occurrence,
                                athlete=plan.athlete, due_at=plan.due_at, **plan.about))
        elif row.status == Status.CANCELLED or (row.status == Status.PENDING and row.due_at != plan.due_at):
            moves.setdefault(plan.due_at, []).append(row.pk)
    if new:
        Reminder.objects.bulk_create(new, ignore_conflicts=True)
    for due_at, pks in moves.items():
        Reminder.objects.filter(pk__in=pks, status__in=[Status.PENDING, Status.CANCELLED]).update(
            due_at=due_at, status=Status.PENDING
        )
    return len(plans)


def schedule_new(kind, reminders) -> None:
    """Create many reminders of one kind in one query; one already there for its occurrence stays
    as it is. Each item is a dict of recipient, occurrence, athlete, due_at and what it is about."""
    Reminder.objects.bulk_create([Reminder(kind=kind, **fields) for fields in reminders], ignore_conflicts=True)


def schedule_now(kind, recipients, occurrence, athlete, **about) -> None:
    """Due at once for each recipient; handed to the workers as the transaction commits.

    Only the reminders made here are enqueued, by id (dispatch_now): a request never carries the
    backlog, and a broker that does not answer costs it one short timeout at most.
    """
    now = timezone.now()
    ids = [pk for person in recipients if (pk := schedule(kind, person, occurrence, athlete, now, **about))]
    if ids:

        def hand_over():
            dispatch_now(ids)

        # robust: whatever goes wrong in the hand-over is logged; the page has saved its data.
        transaction.on_commit(hand_over, robust=True)


def cancel(**about) -> int:
    return Reminder.objects.filter(status=Status.PENDING, **about).update(status=Status.CANCELLED)


# --- Claiming and delivering -------------------------------------------------------------------


def _stale_before(now, *, urgent: bool):
    seconds = settings.REMINDER_URGENT_STALE_CLAIM_SECONDS if urgent else settings.REMINDER_STALE_CLAIM_SECONDS
    return now - timedelta(seconds=seconds)


def requeue_stale_claims(now, *, urgent_only: bool = False) -> int:
    """Claims (and sends) of a worker that died go back in the queue once their lease lapses.

    Urgent kinds lapse after REMINDER_URGENT_STALE_CLAIM_SECONDS, the rest after
    REMINDER_STALE_CLAIM_SECONDS. A row that was sending may have reached the mail server: it is
    sent again with the same Message-ID (at least once, never a storm: one row, one resend).
    """
    lapsed = Q(kind__in=URGENT_KINDS, claimed_at__lt=_stale_before(now, urgent=True))
    if not urgent_only:
        lapsed |= Q(claimed_at__lt=_stale_before(now, urgent=False))
    requeued = 0
    for status, error in (
        (Status.CLAIMED, "claim lapsed (worker lost or message lost); requeued"),
        (Status.SENDING, "worker lost while handing the email to the mail server; resent with the same Message-ID"),
    ):
        requeued += Reminder.objects.filter(lapsed, status=status).update(
            status=Status.PENDING, claimed_at=None, last_error=error
        )
    if requeued:
        logger.warning("requeued %d reminders whose claim lapsed", requeued)
    return requeued


def due_rows(now, limit: int = SWEEP_BATCH, **which):
    """The ids of the next `limit` pending reminders due by `now`, soonest first: an index range
    scan of reminder_due_idx whatever the number pending (reminders/models.py; bench/timings.py
    records its EXPLAIN ANALYZE)."""
    return Reminder.objects.filter(status=Status.PENDING, due_at__lte=now, **which).order_by("due_at").values_list("pk", flat=True)[:limit]


def _claim(now, limit: int = SWEEP_BATCH, **which) -> list[tuple[int, str]]:
    """Claim due rows by a conditional update with a fresh token: two claimers never share a row.

    Three queries whatever the number of pending reminders (the partial index serves the first).
    Returns (id, kind) of each row this call claimed.
    """
    candidates = list(due_rows(now, limit, **which))
    if not candidates:
        return []
    token = uuid.uuid4().hex
    Reminder.objects.filter(pk__in=candidates, status=Status.PENDING).update(
        status=Status.CLAIMED, claimed_at=now, claim_token=token, attempts=F("attempts") + 1
    )
    return list(Reminder.objects.filter(pk__in=candidates, claim_token=token).values_list("pk", "kind"))


def claim_due(now, limit: int = SWEEP_BATCH) -> list[int]:
    return [pk for pk, _ in _claim(now, limit)]


def release(ids) -> None:
    Reminder.objects.filter(pk__in=ids, status=Status.CLAIMED).update(status=Status.PENDING, claimed_at=None)


# Redis serves priority 0 first: a pain alert overtakes a backlog of session reminders.
URGENT_PRIORITY, ROUTINE_PRIORITY = 0, 6


def _enqueue(claimed: list[tuple[int, str]], *, connection=None, connect_retries: int = 0) -> int:
    """Publish send_reminder for each claimed row, in bulk (reminders/queue.py): a chunk at a time,
    one Redis round trip each. If the broker fails, the rows of the chunk it did not confirm and
    of every later one go back to pending (for the next sweep) and the error is raised."""
    published = 0
    try:
        with queue.publisher(connection, connect_retries) as publisher:
            for start in range(0, len(claimed), queue.PUBLISH_CHUNK):
                chunk = claimed[start : start + queue.PUBLISH_CHUNK]
                for pk, kind in chunk:
                    publisher.send(pk, priority=URGENT_PRIORITY if kind in URGENT_KINDS else ROUTINE_PRIORITY)
                publisher.flush()
                published += len(chunk)
    finally:
        if published < len(claimed):
            logger.warning("could not enqueue reminders; releasing %d for the next sweep", len(claimed) - published)
            release([pk for pk, _ in claimed[published:]])
    return published


def dispatch_due_now(kinds=None) -> int:
    """The sweep's part: claim what is due (a batch) and hand it to the workers; if the broker is down, put it back."""
    claimed = _claim(timezone.now(), **({"kind__in": kinds} if kinds else {}))
    if not claimed:
        return 0
    try:
        _enqueue(claimed, connect_retries=1)
    except Exception:
        logger.exception("the sweep could not reach the broker")
    return len(claimed)


def dispatch_now(ids) -> int:
    """A request's part: enqueue just these reminders, one attempt, the broker's short timeouts.

    A broker that fails makes this process leave it alone for a while (broker.backing_off); the
    rows stay pending and the sweep sends them. Never raises: the data is saved already.
    """
    if broker.backing_off():
        return 0
    claimed = _claim(timezone.now(), pk__in=list(ids))
    if not claimed:
        return 0
    try:
        connection = broker.request_connection()
    except Exception as error:
        release([pk for pk, _ in claimed])
        broker.failed(error)
        return 0
    try:
        with connection:
            return _enqueue(claimed, connection=connection)
    except Exception as error:
        broker.failed(error)
        return 0


def sweep(*, urgent_only: bool = False) -> dict:
    """Put back lapsed claims, claim and dispatch what is due, and leave a heartbeat saying so."""
    now = timezone.now()
    requeued = requeue_stale_claims(now, urgent_only=urgent_only)
    dispatched = dispatch_due_now(kinds=URGENT_KINDS if urgent_only else None)
    result = {"requeued": requeued, "dispatched": dispatched}
    heartbeat_record("sweep-urgent" if urgent_only else "sweep", **result)
    return result


def heartbeat_record(name: str, **detail) -> None:
    """One upsert: the named process (or sweep) was alive just now."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, seen_at=timezone.now(), detail=detail)],
        update_conflicts=True, unique_fields=["name"], update_fields=["seen_at", "detail"],
    )


def heartbeats_forget(*, before) -> int:
    """Workers come and go with their host names (a container each deploy): forget the long gone."""
    return Heartbeat.objects.filter(name__startswith="worker:", seen_at__lt=before).delete()[0]


def _choice(reminder, channel: str) -> bool:
    choice = ChannelPreference.objects.filter(user=reminder.recipient, kind=reminder.kind).values_list(channel, flat=True).first()
    return True if choice is None else choice


def wants_email(reminder) -> bool:
    if reminder.recipient.is_coach and reminder.kind in ALWAYS_EMAILED_TO_COACHES:
        return True
    return _choice(reminder, "email")


def wants_push(reminder) -> bool:
    return push.enabled() and _choice(reminder, "push")


def message_for(reminder) -> dict:
    """Title, body and link, in the words of the app that schedules the kind (reminders/kinds.py)."""
    return kinds.message(reminder)


def message_id(reminder) -> str:
    """The same for every send of one reminder (its id and creation time, at the site's host).

    Mail services show one message per Message-ID, so the resend after a worker lost in mid-send
    is dropped by the recipient's mailbox rather than shown twice (README, "Reminders").
    """
    host = urlsplit(settings.SITE_URL).hostname or "coachapp.local"
    return f"<reminder.{reminder.pk}.{reminder.created_at:%Y%m%d%H%M%S}@{host}>"


def send_email(reminder, message: dict) -> None:
    context = {**message, "link": settings.SITE_URL + message["url"], "user": reminder.recipient}
    email = EmailMultiAlternatives(
        subject=message["title"],
        body=render_to_string("reminders/email/message.txt", context),
        to=[reminder.recipient.email],
        headers={"Message-ID": message_id(reminder)},
        connection=get_connection(timeout=settings.REMINDER_SMTP_TIMEOUT),
    )
    email.attach_alternative(render_to_string("reminders/email/message.html", context), "text/html")
    email.send()


class PushUnavailable(ConnectionError):
    """A push service did not take a push (5xx, 429, no answer): the task's retry tries that
    device again (reminders/tasks.py), and only that device."""


def _pushes_due(reminder) -> list[PushSend]:
    """The person's devices this reminder has not reached yet: one PushSend row per device, made
    once; those sent, refused or given up are skipped, so a retried delivery never pushes twice."""
    if not wants_push(reminder):
        return []
    devices = list(PushSubscription.objects.filter(user=reminder.recipient).values_list("pk", flat=True))
    PushSend.objects.bulk_create(
        [PushSend(reminder=reminder, subscription_id=pk) for pk in devices], ignore_conflicts=True
    )
    return list(
        PushSend.objects.select_related("subscription")
        .filter(reminder=reminder, subscription_id__in=devices, status__in=[PushSend.Status.SENDING, PushSend.Status.RETRY])
    )


def _push_all(reminder, message: dict, sends: list[PushSend]) -> list[str]:
    """Push to each device in turn; a failure on one never stops the others. Returns the errors
    worth a retry (after WEBPUSH_MAX_ATTEMPTS a device is given up for this reminder)."""
    data, retry = push.payload(reminder, message), []
    for send in sends:
        outcome = push.send(send.subscription, data, topic=push.topic(reminder), urgent=reminder.kind in URGENT_KINDS)
        now = timezone.now()
        if outcome.status == "sent":
            PushSend.objects.filter(pk=send.pk).update(status=PushSend.Status.SENT, sent_at=now, last_error="")
            PushSubscription.objects.filter(pk=send.subscription_id).update(last_success_at=now)
        elif outcome.status == "gone":
            logger.info("reminder %s: push subscription %s expired; deleted", reminder.pk, send.subscription_id)
            PushSubscription.objects.filter(pk=send.subscription_id).delete()  # its PushSend rows go with it
        elif outcome.status == "retry" and send.attempts < settings.WEBPUSH_MAX_ATTEMPTS:
            PushSend.objects.filter(pk=send.pk).update(status=PushSend.Status.RETRY, last_error=outcome.detail)
            retry.append(outcome.detail)
        else:
            logger.warning("reminder %s: push to subscription %s given up: %s", reminder.pk, send.subscription_id, outcome.detail)
            PushSend.objects.filter(pk=send.pk).update(status=PushSend.Status.FAILED, last_error=outcome.detail)
    return retry


def deliver(reminder_id: int) -> str:
    """Send one reminder: the in-app notification, then email and push as the person chose for the
    kind, then the sent-log. Idempotent; each channel is independent of the others.

    In-app is exactly once: the notification is written under the row's lock, one per reminder.
    Email and push are at least once: the row is marked SENDING in its own commit before the mail
    server or a push service is called, so a worker lost in mid-send leaves a mark (resent once,
    same Message-ID and push tag, when its lease lapses), and one lost anywhere else sends nothing
    twice. Each channel's success is recorded as it happens (Reminder.emailed_at, a PushSend row per
    device), so a retry sends only what has not gone yet: a push service that is down never sends
    the email again, a mail server that is down never pushes again. A push failure never stops
    the email, nor an email failure the pushes. While a send is under way (its lease live), another
    delivery of the row does nothing.
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
        if reminder.status == Status.SENT:
            return "already sent"
        if SentLog.objects.filter(reminder=reminder).exists():
            Reminder.objects.filter(pk=reminder.pk).update(status=Status.SENT)  # a requeue raced the record
            return "already sent"
        if reminder.status == Status.CANCELLED:
            return "cancelled"
        now = timezone.now()
        urgent = reminder.kind in URGENT_KINDS
        if reminder.status == Status.SENDING and reminder.claimed_at and reminder.claimed_at >= _stale_before(now, urgent=urgent):
            return "being sent"
        message = message_for(reminder)
        # One per reminder (a unique column): a second delivery of the row adds nothing.
        Notification.objects.bulk_create(
            [Notification(reminder=reminder, user=reminder.recipient, kind=reminder.kind, **message)], ignore_conflicts=True
        )
        email_due = reminder.emailed_at is None and bool(reminder.recipient.email) and wants_email(reminder)
        pushes = _pushes_due(reminder)
        if not (email_due or pushes):
            _record_sent(reminder)
            return "sent"
        marks = {"status": Status.SENDING, "claimed_at": now}
        if email_due:
            if reminder.email_attempts:
                logger.warning("reminder %s: sending its email again (attempt %d, same Message-ID)", reminder.pk, reminder.email_attempts + 1)
            marks.update(sending_at=now, email_attempts=F("email_attempts") + 1)
        Reminder.objects.filter(pk=reminder.pk).update(**marks)
        PushSend.objects.filter(pk__in=[send.pk for send in pushes]).update(
            status=PushSend.Status.SENDING, attempts=F("attempts") + 1
        )
        for send in pushes:
            send.attempts += 1
    email_error = None
    try:
        if email_due:
            try:
                send_email(reminder, message)
            except SoftTimeLimitExceeded:
                raise
            except Exception as error:  # the pushes still go; the error is raised after them
                email_error = error
            else:
                Reminder.objects.filter(pk=reminder.pk).update(emailed_at=timezone.now())
        push_errors = _push_all(reminder, message, pushes) if pushes else []
    except BaseException:
        # Interrupted (a time limit): nothing more is known to have gone; the retry sends the rest,
        # and the renewed claim keeps the sweep from starting a second delivery meanwhile.
        Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING).update(status=Status.CLAIMED, claimed_at=timezone.now())
        raise
    if email_error or push_errors:
        # The task's retry sends what has not gone (reminders/tasks.py); the renewed claim keeps the
        # sweep from starting a second delivery meanwhile.
        Reminder.objects.filter(pk=reminder.pk, status=Status.SENDING).update(status=Status.CLAIMED, claimed_at=timezone.now())
        if email_error:
            raise email_error
        raise PushUnavailable(f"a push service did not answer: {push_errors[0]}")
    with transaction.atomic():
        _record_sent(reminder)
    return "sent"


def _record_sent(reminder) -> None:
    emailed = Reminder.objects.filter(pk=reminder.pk, emailed_at__isnull=False).exists()
    pushed = PushSend.objects.filter(reminder=reminder, status=PushSend.Status.SENT).count()
    SentLog.objects.bulk_create([SentLog(reminder=reminder, emailed=emailed, pushed=pushed)], ignore_conflicts=True)
    Reminder.objects.filter(pk=reminder.pk).update(status=Status.SENT)


def retry_delay(reminder_id: int, retries: int) -> float:
    """Seconds before a failed send is tried again: growing, but inside the claim's lease, so the
    sweep never starts a parallel delivery while this one is still retrying."""
    urgent = Reminder.objects.filter(pk=reminder_id, kind__in=URGENT_KINDS).exists()
    lease = settings.REMINDER_URGENT_STALE_CLAIM_SECONDS if urgent else settings.REMINDER_STALE_CLAIM_SECONDS
    # Jitter, so that reminders failing together (a mail server down) do not retry together.
    return min(5 * 2**retries, lease / 2) * random.uniform(0.5, 1.0)  # noqa: S311 (not for security)


def record_failure(reminder_id: int, error: BaseException) -> None:
    Reminder.objects.filter(pk=reminder_id).update(last_error=str(error)[:300])
