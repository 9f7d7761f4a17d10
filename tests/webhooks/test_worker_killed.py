"""A real Celery worker SIGKILLed while the receiver holds its POST: the delivery is still made,
once more only, under the same event id (the receiver's key to drop the repeat).

The worker, and beat running the webhook sweep every second, are processes of their own on the test
database and a private Redis (tests/reminders/processes.py), with a short claim lease.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.reminders.processes import app_env, private_redis, processes, wait_until  # noqa: F401 (fixtures)
from webhooks import services
from webhooks.models import Attempt, Delivery, WebhookEvent

pytestmark = pytest.mark.django_db(transaction=True)

FAST = {
    "WEBHOOK_ALLOW_LOCALHOST": True,
    "WEBHOOK_TIMEOUT_SECONDS": 3,
    "WEBHOOK_STALE_CLAIM_SECONDS": 10,  # longer than the task's hard limit (3 × the timeout)
    "CELERY_BEAT_SCHEDULE": {
        "reminders-sweep": {"task": "reminders.tasks.sweep", "schedule": 60.0},
        "webhooks-sweep": {"task": "webhooks.tasks.sweep", "schedule": 1.0},
    },
}


def test_a_worker_killed_mid_delivery_still_delivers_under_the_same_event_id(world, receiver, private_redis, processes, tmp_path):
    endpoint, _ = services.endpoint_create(team=world.team, url=receiver.url, events=["injury.opened"], created_by=world.coach)
    event = WebhookEvent(type="injury.opened", key="killed", team=world.team, athlete_id=world.athlete.pk,
                         created_at=timezone.now())
    event.payload = {"id": str(event.id), "type": event.type, "data": {"injury": {"id": 1}}}
    event.save()
    delivery = Delivery.objects.create(event=event, endpoint=endpoint, next_attempt_at=timezone.now() - timedelta(seconds=1))
    receiver.hold_first = True

    processes.env = app_env(private_redis, tmp_path, **FAST)
    try:
        processes.worker("worker")
        processes.beat()
        wait_until(lambda: len(receiver.requests) >= 1, 40, 0.02, "the first POST")
        processes.kill("worker")
        assert Delivery.objects.get(pk=delivery.pk).status == "sending"  # marked before the POST
        receiver.release.set()
        processes.worker("worker2")
        wait_until(lambda: Delivery.objects.get(pk=delivery.pk).status == "delivered", 60, 0.2, "delivered")
        time.sleep(2)  # a third send would show up now
    except AssertionError:
        print(processes.log("worker"), processes.log("worker2"), processes.log("beat"))
        raise

    assert receiver.event_ids() == [str(event.id)] * 2  # the lost send, then once more
    assert list(Attempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)) == [200]
