"""A worker SIGKILLed while its emails are with the mail server: nothing lost, no storm.

A real worker (prefork, two processes) sends through a real SMTP exchange to a sink that keeps
each message as soon as its data ends and then stops answering: both processes are killed while
waiting for the mail server's answer, which had taken their messages. Those two reminders are
sent again (at least once) and their copies carry the same Message-ID, which mail services use
to drop the repeat; everything else goes out once, and the in-app notification exactly once.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from reminders import services
from reminders.models import Notification, Reminder, SentLog
from tests.reminders.processes import SmtpSink, app_env, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

REMINDERS = 40
HOLD_AFTER = 10  # the sink stops answering once this many messages are in


def test_a_worker_killed_during_smtp_loses_nothing_and_its_duplicates_share_a_message_id(world, private_redis, processes, tmp_path):
    sink = SmtpSink(hold_after=HOLD_AFTER)
    reminders = Reminder.objects.bulk_create(
        Reminder(kind="missed_sessions", recipient=world.coach, occurrence=f"smtp:{i}", athlete=world.athlete,
                 due_at=timezone.now() - timedelta(seconds=5))
        for i in range(REMINDERS)
    )
    processes.env = app_env(
        private_redis, tmp_path, email_url=sink.url, SWEEP_SECONDS=1,
        # A short lease for the test, still longer than one send may last (its hard time limit).
        REMINDER_STALE_CLAIM_SECONDS=8, REMINDER_SEND_TIME_LIMIT=6, REMINDER_SMTP_TIMEOUT=4,
    )
    try:
        processes.worker("worker")
        processes.beat()
        # Both pool processes wait for the mail server's answer to a message it has taken.
        wait_until(lambda: sink.holding >= 2, 40, 0.05, "two sends held by the mail server")
        processes.kill("worker")
        held = sink.holding
        in_flight = Reminder.objects.filter(status="sending").count()
        sink.release()
        processes.worker("worker2")
        wait_until(lambda: SentLog.objects.count() == REMINDERS, 60, 0.2, "every reminder sent")
    except AssertionError:
        print(processes.log("worker"), processes.log("worker2"), processes.log("beat"))
        raise
    finally:
        sink.close()

    ids = Counter(sink.message_ids())
    expected = {services.message_id(reminder) for reminder in Reminder.objects.filter(pk__in=[r.pk for r in reminders])}
    assert set(ids) == expected  # none lost, and each reminder's sends under one Message-ID
    duplicated = {message_id for message_id, count in ids.items() if count > 1}
    assert sum(ids.values()) - REMINDERS == len(duplicated) <= held == 2  # at most one repeat per send cut short
    assert in_flight == held  # the sending mark was committed before the mail server had the message
    assert Notification.objects.filter(reminder__in=reminders).count() == REMINDERS  # in-app: exactly once
    resent = Reminder.objects.filter(email_attempts=2)
    assert {services.message_id(r) for r in resent} >= duplicated
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    print(f"{sum(ids.values())} emails for {REMINDERS} reminders; {len(duplicated)} repeated, same Message-ID")
