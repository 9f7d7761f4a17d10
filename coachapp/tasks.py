import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(ignore_result=False)
def heartbeat() -> str:
    """Beat sends this every minute: its log line shows that beat and a worker both run.

    Later issues replace it with the reminder sweep.
    """
    now = timezone.now().isoformat()
    logger.info("heartbeat %s", now)
    return now
