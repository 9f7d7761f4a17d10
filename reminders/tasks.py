"""Thin tasks: ids in, a service call, idempotent.

The services never import this module: they hand sends over by task name (reminders/queue.py).
"""

import smtplib

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(ignore_result=True, time_limit=120, soft_time_limit=90)
def sweep() -> dict:
    """Every minute: put back lapsed claims, then claim and dispatch whatever is due."""
    return services.sweep()


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=45)
def sweep_urgent() -> dict:
    """Every few seconds, urgent kinds only: a pain alert left pending by a broker outage, or
    claimed by a worker that died, goes out within a minute."""
    return services.sweep(urgent_only=True)


# A mail server or a push service that did not take a send (services.PushUnavailable: a 5xx, a 429,
# no answer). The retry sends only what has not gone yet (services.deliver).
RETRYABLE = (smtplib.SMTPException, services.PushUnavailable, ConnectionError, TimeoutError)


@shared_task(
    bind=True,
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=8,
    # The urgent claim lease (REMINDER_URGENT_STALE_CLAIM_SECONDS) must outlive this, or a slow
    # send could be taken for a lost one and started a second time.
    time_limit=settings.REMINDER_SEND_TIME_LIMIT,
    soft_time_limit=settings.REMINDER_SEND_TIME_LIMIT * 0.8,
)
def send_reminder(self, reminder_id: int) -> str:
    try:
        return services.deliver(reminder_id)
    except RETRYABLE as error:
        services.record_failure(reminder_id, error)
        raise self.retry(exc=error, countdown=services.retry_delay(reminder_id, self.request.retries)) from error
    except Exception as error:
        services.record_failure(reminder_id, error)
        raise
