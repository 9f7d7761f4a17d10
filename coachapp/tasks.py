import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(ignore_result=False)
def heartbeat() -> str:
    """A round trip through the broker, a worker and the result store (tests, `celery call`).

    Liveness is not this task's job: beat and each worker write their own heartbeat rows
    (coachapp/celery.py), which /health/ reads.
    """
    now = timezone.now().isoformat()
    logger.info("heartbeat %s", now)
    return now
