"""Thin tasks: a service call, idempotent."""

from celery import shared_task
from django.utils import timezone

from reminders.services import dispatch_due_now

from . import reminders, services


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def episodes_sweep() -> dict:
    return services.episodes_sweep(timezone.localdate())


@shared_task(ignore_result=True, time_limit=3600, soft_time_limit=3500)
def regate_all() -> int:
    return services.regate_all()


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def detect_missed_sessions() -> int:
    """Hourly: tell the coaches about two missed sessions in a row, and send it without waiting
    for the next sweep."""
    made = reminders.detect_missed_sessions(timezone.localdate())
    dispatch_due_now()
    return made
