"""What /health/ and the admin's reminder list show about delivery: heartbeats, backlog, queue."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from . import broker
from .models import Heartbeat, Reminder

Status = Reminder.Status
UNSENT = [Status.PENDING, Status.CLAIMED, Status.SENDING]


@dataclass(frozen=True)
class Seen:
    """The last heartbeat of one process (or sweep): ok, stale, or never seen."""

    name: str
    seen_at: datetime | None
    age_seconds: int | None
    status: str  # "ok", "stale", "never"
    detail: dict


def _seen(name, row, now) -> Seen:
    if row is None:
        return Seen(name, None, None, "never", {})
    age = max(0, int((now - row.seen_at).total_seconds()))
    status = "ok" if age <= settings.REMINDER_HEARTBEAT_STALE_SECONDS else "stale"
    return Seen(name, row.seen_at, age, status, row.detail)


def heartbeats(now) -> dict[str, Seen]:
    """beat, worker (the freshest of the workers), sweep and sweep-urgent; one query."""
    rows = {row.name: row for row in Heartbeat.objects.all()}
    workers = [row for name, row in rows.items() if name.startswith("worker:")]
    freshest = max(workers, key=lambda row: row.seen_at, default=None)
    return {
        "worker": _seen("worker", freshest, now),
        "beat": _seen("beat", rows.get("beat"), now),
        "sweep": _seen("sweep", rows.get("sweep"), now),
        "sweep-urgent": _seen("sweep-urgent", rows.get("sweep-urgent"), now),
    }


def workers(now) -> list[Seen]:
    return [_seen(row.name.removeprefix("worker:"), row, now) for row in Heartbeat.objects.filter(name__startswith="worker:")]


def _queue_depth() -> int | str:
    answer = broker.within(settings.BROKER_REQUEST_TIMEOUT_SECONDS + 0.5, depth=broker.queue_depth)["depth"]
    if isinstance(answer, BaseException):
        return f"the broker did not answer ({answer.__class__.__name__})"
    return answer


def delivery_status(now) -> dict:
    """The operator's panel above the admin's reminder list; a handful of queries and one broker call."""
    counts = Reminder.objects.filter(status__in=UNSENT).aggregate(
        due=Count("pk", filter=Q(status=Status.PENDING, due_at__lte=now)),
        claimed=Count("pk", filter=Q(status=Status.CLAIMED)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
    )
    oldest = (
        Reminder.objects.filter(status__in=UNSENT, due_at__lte=now).select_related("recipient").order_by("due_at", "id").first()
    )
    return {
        "heartbeats": heartbeats(now),
        "workers": workers(now),
        "counts": counts,
        "queue_depth": _queue_depth(),
        "oldest": oldest,
        "oldest_url": reverse("admin:reminders_reminder_change", args=[oldest.pk]) if oldest else "",
        "stale_after": int(settings.REMINDER_HEARTBEAT_STALE_SECONDS),
    }
