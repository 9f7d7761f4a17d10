"""Thin tasks: ids in, a service call, idempotent."""

import smtplib

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True, time_limit=120, soft_time_limit=90)
def sweep() -> int:
    """Every minute: put back stale claims, then claim and dispatch whatever is due."""
    services.requeue_stale_claims(timezone.now())
    return services.dispatch_due_now()


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def detect_missed_sessions() -> int:
    made = services.detect_missed_sessions(timezone.localdate())
    services.dispatch_due_now()
    return made


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
    time_limit=60,
    soft_time_limit=45,
)
def send_reminder(self, reminder_id: int) -> str:
    try:
        return services.deliver(reminder_id)
    except Exception as error:
        services.record_failure(reminder_id, error)
        raise
