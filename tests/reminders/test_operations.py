"""The operator's view: the admin's reminder list says whether delivery works and how far behind."""

import time
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from coachapp.celery import app
from reminders import services
from reminders.models import Heartbeat, Reminder

LIST = reverse("admin:reminders_reminder_changelist")


def _due(world, n, minutes_late):
    return Reminder.objects.bulk_create(
        Reminder(kind="missed_sessions", recipient=world.coach, occurrence=f"ops:{minutes_late}:{i}", athlete=world.athlete,
                 due_at=timezone.now() - timedelta(minutes=minutes_late))
        for i in range(n)
    )


def test_the_reminder_list_shows_sweeps_workers_backlog_queue_and_the_oldest_due(client, world):
    oldest = _due(world, 1, minutes_late=42)[0]
    _due(world, 3, minutes_late=1)
    Reminder.objects.filter(pk=_due(world, 1, minutes_late=5)[0].pk).update(status="sending", claimed_at=timezone.now())
    services.heartbeat_record("sweep", requeued=1, dispatched=7)
    services.heartbeat_record("beat")
    Heartbeat.objects.create(name="worker:w1@host", seen_at=timezone.now() - timedelta(hours=1))
    client.force_login(world.admin)

    page = client.get(LIST).content.decode()

    assert "Last sweep</th>" in page and "dispatched 7, requeued 1" in page
    assert "Worker w1@host</th><td>stale" in page
    assert "Beat</th>" in page and "never seen" in page  # the urgent sweep has not run
    assert "Queue depth (broker)</th><td>0</td>" in page
    assert "Due, not yet claimed</th><td>4</td>" in page and "Email handed to the mail server</th><td>1</td>" in page
    assert reverse("admin:reminders_reminder_change", args=[oldest.pk]) in page
    assert "due 42\xa0minutes ago" in page


def test_the_reminder_list_answers_while_the_broker_hangs(client, world, monkeypatch, private_redis):
    monkeypatch.setattr(app.conf, "broker_url", private_redis.url)
    client.force_login(world.admin)
    private_redis.pause()
    try:
        started = time.monotonic()
        response = client.get(LIST)
        seconds = time.monotonic() - started
    finally:
        private_redis.resume()
    assert response.status_code == 200 and seconds < 3.0
    assert "the broker did not answer" in response.content.decode()
