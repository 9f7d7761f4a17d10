"""The sweep hands its claimed rows to the broker in bulk: one message per reminder, a chunk of
them per Redis round trip (reminders/queue.py), and a chunk the broker did not confirm goes back
to pending with every later one, for the next sweep."""

import base64
import json
from datetime import timedelta
from unittest import mock

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coachapp.celery import app
from reminders import queue, services
from reminders.models import Reminder

DUE = queue.PUBLISH_CHUNK * 2 + 100  # three chunks, the last one short


def _due(world, n, kind="missed_sessions"):
    now = timezone.now()
    return Reminder.objects.bulk_create(
        Reminder(kind=kind, recipient=world.coach, occurrence=f"bulk:{i}", athlete=world.athlete, due_at=now - timedelta(minutes=1))
        for i in range(n)
    )


@pytest.fixture
def broker_queue(settings):
    """The test run's own queue on the test Redis: its messages as (reminder id, priority), and
    emptied after."""
    if not app.conf.broker_url.startswith("redis://"):
        pytest.skip("bulk publishing is Redis's (the filesystem broker publishes one by one)")
    client = redis.Redis.from_url(app.conf.broker_url)
    name = app.conf.task_default_queue

    def keys():
        return [name.encode(), *client.keys(f"{name}\x06\x16*")]

    def messages():
        found = []
        for key in keys():
            for raw in client.lrange(key, 0, -1):
                message = json.loads(raw)
                args, kwargs, _ = json.loads(base64.b64decode(message["body"]))
                assert message["headers"]["task"] == queue.SEND_REMINDER and kwargs == {}
                found.append((args[0], message["properties"]["priority"]))
        return found

    client.delete(*keys())
    yield messages
    client.delete(*keys())
    client.close()


class PipelineRoundTrips:
    """Counts the Redis pipeline round trips that carry messages (the queue's declaration, once
    per connection, has its own); `fail_on` makes that one (1-based) fail like a broker gone."""

    def __init__(self, fail_on=None):
        self.calls, self.fail_on = 0, fail_on
        self.real = redis.client.Pipeline.execute

    def __call__(self, pipeline, *args, **kwargs):
        if not any(args[0] == "LPUSH" for args, _ in pipeline.command_stack):
            return self.real(pipeline, *args, **kwargs)
        self.calls += 1
        if self.calls == self.fail_on:
            pipeline.reset()
            raise redis.ConnectionError("connection reset by peer")
        return self.real(pipeline, *args, **kwargs)


def test_the_sweep_queues_one_message_per_claimed_reminder_a_chunk_per_round_trip(world, broker_queue):
    rows = _due(world, DUE)
    alert = _due(world, 1, kind="pain_alert")[0]
    Reminder.objects.filter(pk=alert.pk).update(occurrence="alert")
    round_trips = PipelineRoundTrips()
    with mock.patch.object(redis.client.Pipeline, "execute", autospec=True, side_effect=round_trips):
        with CaptureQueriesContext(connection) as queries:
            assert services.dispatch_due_now() == DUE + 1

    assert len(queries) == 3  # the claim: the same at 5 due or 500
    assert round_trips.calls == 3  # DUE + 1 messages in chunks of PUBLISH_CHUNK
    sent = broker_queue()
    assert sorted(sent) == sorted([(r.pk, services.ROUTINE_PRIORITY) for r in rows] + [(alert.pk, services.URGENT_PRIORITY)])
    assert set(Reminder.objects.values_list("status", flat=True)) == {"claimed"}


def test_a_chunk_the_broker_did_not_confirm_goes_back_to_pending_with_every_later_one(world, broker_queue):
    _due(world, DUE)
    with mock.patch.object(redis.client.Pipeline, "execute", autospec=True, side_effect=PipelineRoundTrips(fail_on=2)):
        assert services.dispatch_due_now() == DUE

    sent = {pk for pk, _ in broker_queue()}
    claimed = set(Reminder.objects.filter(status="claimed").values_list("pk", flat=True))
    assert len(sent) == queue.PUBLISH_CHUNK and claimed == sent  # the first chunk only: queued and claimed
    assert Reminder.objects.filter(status="pending").count() == DUE - queue.PUBLISH_CHUNK
    # The next sweep sends the rest, and only the rest.
    with mock.patch("reminders.queue.Publisher.send", autospec=True) as enqueue:
        assert services.dispatch_due_now() == DUE - queue.PUBLISH_CHUNK
    assert not {c.args[1] for c in enqueue.call_args_list} & sent


def test_a_request_enqueues_its_reminders_in_one_round_trip_on_its_own_connection(world, broker_queue):
    rows = _due(world, 3, kind="pain_alert")
    for i, row in enumerate(rows):
        Reminder.objects.filter(pk=row.pk).update(occurrence=f"alert:{i}")
    round_trips = PipelineRoundTrips()
    with mock.patch.object(redis.client.Pipeline, "execute", autospec=True, side_effect=round_trips):
        assert services.dispatch_now([r.pk for r in rows]) == 3
    assert round_trips.calls == 1
    assert sorted(broker_queue()) == sorted((r.pk, services.URGENT_PRIORITY) for r in rows)
