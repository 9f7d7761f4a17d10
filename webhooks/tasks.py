"""Thin tasks: ids in, a service call, idempotent (webhooks/services.py says why a delivery is never
sent twice at a time)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    # The claim's lease (WEBHOOK_STALE_CLAIM_SECONDS) outlives this, so a slow send is never taken
    # for a lost one.
    time_limit=settings.WEBHOOK_TIMEOUT_SECONDS * 3,
    soft_time_limit=settings.WEBHOOK_TIMEOUT_SECONDS * 2,
)
def deliver(delivery_id: int) -> str:
    return services.deliver(delivery_id)


@shared_task(ignore_result=True, time_limit=60, soft_time_limit=45)
def sweep() -> dict:
    """Every minute: retries that are due, and sends whose worker was lost."""
    return services.sweep()


@shared_task(ignore_result=True, time_limit=10 * 60, soft_time_limit=9 * 60)
def cleanup() -> int:
    """Nightly: settled deliveries older than WEBHOOK_KEEP_DAYS go, with their attempt logs."""
    return services.deliveries_cleanup()
