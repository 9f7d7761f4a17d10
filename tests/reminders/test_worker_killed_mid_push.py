"""A worker SIGKILLed while its pushes are with the push service: nothing lost, nothing doubled.

Like test_worker_killed_mid_send.py for email, with Web Push on: a real worker (prefork, two
processes) pushes every reminder to a local stand-in for the push service, which keeps each push
as it arrives and then stops answering, so both processes are killed waiting for the answer to a
push it had taken. Those two pushes are sent again (at least once) under the same topic and tag,
which the push service and the phone use to replace rather than show a second; every other
reminder is pushed exactly once, its email sent once, its in-app notification written once.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from reminders import push
from reminders.models import Notification, PushSend, PushSubscription, Reminder, SentLog
from tests.reminders.processes import app_env, wait_until
from tests.reminders.push_standin import PushService

pytestmark = pytest.mark.django_db(transaction=True)

REMINDERS = 30
HOLD_AFTER = 10  # the push service stops answering once this many pushes are in


def test_a_worker_killed_while_pushing_loses_nothing_and_repeats_only_under_the_same_topic(world, private_redis, processes, tmp_path):
    service = PushService(hold_after=HOLD_AFTER)
    device = service.device("coach-phone")
    PushSubscription.objects.create(user=world.coach, device="Chrome on Android", **device.fields())
    reminders = Reminder.objects.bulk_create(
        Reminder(kind="missed_sessions", recipient=world.coach, occurrence=f"push-kill:{i}", athlete=world.athlete,
                 due_at=timezone.now() - timedelta(seconds=5))
        for i in range(REMINDERS)
    )
    public, private = push.generate_keys()
    processes.env = {
        **app_env(
            private_redis, tmp_path, SWEEP_SECONDS=1,
            # A short lease for the test, still longer than one send may last (its hard time limit).
            REMINDER_STALE_CLAIM_SECONDS=8, REMINDER_SEND_TIME_LIMIT=6, WEBPUSH_TIMEOUT_SECONDS=5,
        ),
        "WEBPUSH_VAPID_PUBLIC_KEY": public, "WEBPUSH_VAPID_PRIVATE_KEY": private, "WEBPUSH_ALLOW_LOCALHOST": "true",
    }
    try:
        processes.worker("worker")
        processes.beat()
        # Both pool processes wait for the push service's answer to a push it has taken.
        wait_until(lambda: service.holding >= 2, 40, 0.05, "two pushes held by the push service")
        processes.kill("worker")
        held = service.holding
        in_flight = PushSend.objects.filter(status="sending").count()
        service.release()
        processes.worker("worker2")
        wait_until(lambda: SentLog.objects.count() == REMINDERS, 60, 0.2, "every reminder sent")
    except AssertionError:
        print(processes.log("worker"), processes.log("worker2"), processes.log("beat"))
        raise
    finally:
        service.close()

    received = service.requests_for("coach-phone")
    topics = Counter(r.headers["Topic"] for r in received)
    assert set(topics) == {push.topic(r) for r in reminders}  # none lost
    repeated = {topic for topic, count in topics.items() if count > 1}
    assert len(received) - REMINDERS == len(repeated) <= held == 2  # at most one repeat per push cut short
    assert in_flight == held  # the sending mark was committed before the push service had the push
    assert all(device.read(r.body)["tag"] == r.headers["Topic"] for r in received)  # the phone replaces a repeat
    assert PushSend.objects.filter(status="sent").count() == REMINDERS
    assert Notification.objects.filter(reminder__in=reminders).count() == REMINDERS  # in-app: exactly once
    assert list(SentLog.objects.values_list("pushed", flat=True).distinct()) == [1]
    print(f"{len(received)} pushes for {REMINDERS} reminders; {len(repeated)} repeated, same topic and tag")
