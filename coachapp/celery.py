import logging
import os
import time
from datetime import timedelta
from pathlib import Path

from celery import Celery, bootsteps
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coachapp.settings")

logger = logging.getLogger(__name__)

app = Celery("coachapp")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if app.conf.broker_url == "filesystem://":
    # The embedded broker keeps its messages in folders that must exist before anyone sends.
    options = app.conf.broker_transport_options
    folders = [options[key] for key in ("data_folder_in", "control_folder", "processed_folder")]
    if app.conf.result_backend.startswith("file://"):
        folders.append(app.conf.result_backend.removeprefix("file://"))
    for folder in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)


def record_heartbeat(name: str, forget_workers_gone_for: timedelta | None = None) -> None:
    """Write a heartbeat row from a background process; a failure is logged, never raised.

    The row goes to the database, not the broker, so /health/ can read it with the broker down.
    The connection is closed after: these run between tasks, in loops that may wait for minutes.
    """
    from django.db import connection
    from django.utils import timezone

    from reminders.services import heartbeat_record, heartbeats_forget

    try:
        heartbeat_record(name, pid=os.getpid())
        if forget_workers_gone_for:
            heartbeats_forget(before=timezone.now() - forget_workers_gone_for)
    except Exception:
        logger.exception("could not record the %s heartbeat", name)
    finally:
        connection.close()


class HeartbeatScheduler(PersistentScheduler):
    """Celery beat's own scheduler, which also writes beat's heartbeat as it ticks.

    Beat only sends tasks, so a heartbeat task run by a worker would go quiet when either stops;
    this one says that beat itself is ticking. CELERY_BEAT_SCHEDULER names it.
    """

    _last_heartbeat = float("-inf")

    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        from django.conf import settings

        every = settings.REMINDER_HEARTBEAT_SECONDS
        if time.monotonic() - self._last_heartbeat >= every:
            self._last_heartbeat = time.monotonic()
            record_heartbeat("beat")
        return min(interval, every)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Each worker writes `worker:<hostname>` every REMINDER_HEARTBEAT_SECONDS from its timer
    (the event loop's, under prefork), so the row stops moving when the worker stops working."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        self.timer_entry = None

    def start(self, worker):
        from django.conf import settings

        name = f"worker:{worker.hostname}"
        record_heartbeat(name, forget_workers_gone_for=timedelta(days=1))
        self.timer_entry = worker.timer.call_repeatedly(settings.REMINDER_HEARTBEAT_SECONDS, record_heartbeat, (name,))

    def stop(self, worker):
        if self.timer_entry is not None:
            self.timer_entry.cancel()


app.steps["worker"].add(WorkerHeartbeat)
