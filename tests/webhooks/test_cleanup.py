"""Old settled deliveries are deleted nightly with their attempt logs; nothing waiting or being
sent is ever touched, and the events stay (their keys keep a fact from being announced again)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings

from coachapp.celery import app
from webhooks import services, tasks
from webhooks.models import Attempt, Delivery, Endpoint, WebhookEvent

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 3, 40, tzinfo=UTC)


def _delivery(world, status, *, made_days_ago, attempted_days_ago=()):
    """A delivery made that many days before NOW, with an attempt logged on each of those days."""
    endpoint = Endpoint.objects.filter(team=world.team).first() or Endpoint.objects.create(
        team=world.team, url="https://hooks.example.com/in", events=["injury.opened"], secret="whsec_x"
    )
    made = NOW - timedelta(days=made_days_ago)
    with time_machine.travel(made, tick=False):
        event = WebhookEvent.objects.create(
            type="injury.opened", key=f"injury:{uuid.uuid4()}:opened", team=world.team,
            athlete_id=world.athlete.pk, payload={}, created_at=made,
        )
        delivery = Delivery.objects.create(event=event, endpoint=endpoint, status=status)
    for days in attempted_days_ago:
        Attempt.objects.create(delivery=delivery, at=NOW - timedelta(days=days), status_code=200, duration_ms=12)
    return delivery


@pytest.fixture
def at_night():
    with time_machine.travel(NOW, tick=False):
        yield


def test_settled_deliveries_older_than_the_keep_days_go_with_their_attempts(world, at_night):
    assert settings.WEBHOOK_KEEP_DAYS == 30
    gone = [
        _delivery(world, "delivered", made_days_ago=31, attempted_days_ago=[31]),
        _delivery(world, "failed", made_days_ago=45, attempted_days_ago=[45, 44, 40]),
        _delivery(world, "cancelled", made_days_ago=90),
    ]
    kept = [
        _delivery(world, "delivered", made_days_ago=29, attempted_days_ago=[29]),
        # Replayed last week: it was touched within the keep days.
        _delivery(world, "delivered", made_days_ago=60, attempted_days_ago=[60, 7]),
    ]

    assert services.deliveries_cleanup() == 3

    assert set(Delivery.objects.values_list("pk", flat=True)) == {d.pk for d in kept}
    assert not Attempt.objects.filter(delivery_id__in=[d.pk for d in gone]).exists()
    assert Attempt.objects.count() == 3
    assert WebhookEvent.objects.count() == 5  # the events stay
    assert services.deliveries_cleanup() == 0  # idempotent


@pytest.mark.parametrize("status", ["pending", "retrying", "sending"])
def test_a_delivery_waiting_or_being_sent_is_never_deleted_however_old(world, at_night, status):
    delivery = _delivery(world, status, made_days_ago=400, attempted_days_ago=[400, 399])

    assert tasks.cleanup() == 0

    assert Delivery.objects.filter(pk=delivery.pk, status=status).exists()
    assert Attempt.objects.filter(delivery=delivery).count() == 2


def test_the_keep_days_come_from_the_setting(world, at_night, settings):
    settings.WEBHOOK_KEEP_DAYS = 7
    _delivery(world, "delivered", made_days_ago=8, attempted_days_ago=[8])
    recent = _delivery(world, "failed", made_days_ago=6, attempted_days_ago=[6])

    assert tasks.cleanup() == 1

    assert list(Delivery.objects.values_list("pk", flat=True)) == [recent.pk]


def test_many_old_deliveries_are_deleted_in_batches(world, at_night, monkeypatch):
    monkeypatch.setattr(services, "CLEANUP_BATCH", 2)
    for _ in range(5):
        _delivery(world, "delivered", made_days_ago=40, attempted_days_ago=[40])

    assert services.deliveries_cleanup() == 5
    assert not Delivery.objects.exists() and not Attempt.objects.exists()


def test_beat_runs_the_cleanup_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["webhooks-cleanup"]
    assert entry["task"] == "webhooks.tasks.cleanup" == tasks.cleanup.name
    assert entry["task"] in app.tasks
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({3}, {40})  # once a night
