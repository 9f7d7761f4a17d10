"""Thin tasks: a service call, idempotent."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def idempotency_keys_expire() -> int:
    """Hourly: forget the idempotency keys older than API_IDEMPOTENCY_KEEP_HOURS."""
    return services.idempotency_keys_expire(now=timezone.now())
