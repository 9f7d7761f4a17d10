"""Thin tasks: a service call, idempotent."""

from celery import shared_task
from django.utils import timezone

from . import services


@shared_task(ignore_result=True, time_limit=300, soft_time_limit=240)
def episodes_sweep() -> dict:
    return services.episodes_sweep(timezone.localdate())


@shared_task(ignore_result=True, time_limit=3600, soft_time_limit=3500)
def regate_all() -> int:
    return services.regate_all()
