"""Thin tasks: a service call, idempotent (docs/architecture.md#background-work)."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def recurrence_watch_remind() -> int:
    """Daily: a reminder to the coaches for each recurrence-watch flag, once per flag and week."""
    return services.recurrence_watch_remind(today=timezone.localdate())
