"""Deliveries against a local receiver: signed, retried with backoff, never doubled by our side,
switched off after repeated failure with a notification, and replayable with the same event id."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from injuries import services as injury_services
from reminders import services as engine
from reminders.models import Kind, Notification, Reminder
from tests.factories import typed_answers
from tests.webhooks.conftest import MONDAY_10
from webhooks import services, tasks
from webhooks.models import Attempt, Delivery, Endpoint, WebhookEvent


def _endpoint(world, url, events=("injury.opened",)):
    endpoint, secret = services.endpoint_create(team=world.team, url=url, events=list(events), created_by=world.coach)
    return endpoint, secret


def _injury_event(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    return Delivery.objects.get(event__type="injury.opened")


def verify(secret: str, headers: dict, body: bytes) -> bool:
    """What a receiver does (README, "Webhooks")."""
    signed = headers["X-Coachapp-Timestamp"].encode() + b"." + body
    expected = "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, headers["X-Coachapp-Signature"])


@pytest.mark.django_db
def test_an_injury_opened_is_delivered_signed_through_the_task(world, receiver, clock, enqueued, django_capture_on_commit_callbacks):
    endpoint, secret = _endpoint(world, receiver.url)
    delivery = _injury_event(world, django_capture_on_commit_callbacks)
    assert enqueued == [delivery.pk]  # handed to the workers as the injury's transaction committed

    assert tasks.deliver(delivery.pk) == "delivered"

    [request] = receiver.requests
    headers = request["headers"]
    assert verify(secret, headers, request["body"])
    assert not verify("whsec_someone-else", headers, request["body"])
    assert headers["X-Coachapp-Event"] == "injury.opened"
    assert headers["X-Coachapp-Timestamp"] == str(int(MONDAY_10.timestamp()))
    payload = json.loads(request["body"])
    assert payload["id"] == headers["X-Coachapp-Delivery"] == str(delivery.event_id)
    assert payload["athlete"] == {"id": world.athlete.pk}
    assert payload["data"]["injury"]["phase"] == {"code": "protect", "label": "Protect"}
    assert "notes" not in request["body"].decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_status_code) == ("delivered", 200)
    assert tasks.deliver(delivery.pk) == "delivered"  # idempotent: nothing sent again
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_a_500_is_retried_after_a_minute_then_delivered_under_the_same_event_id(world, receiver, clock, enqueued, django_capture_on_commit_callbacks):
    _endpoint(world, receiver.url)
    delivery = _injury_event(world, django_capture_on_commit_callbacks)
    receiver.answers = [500]

    assert services.deliver(delivery.pk) == "will retry"
    delivery.refresh_from_db()
    assert delivery.status == "retrying"
    assert delivery.next_attempt_at == delivery.claimed_at + timedelta(minutes=1)
    assert services.deliver(delivery.pk) == "not due"  # a second copy of the task sends nothing early

    clock.shift(timedelta(seconds=61))
    enqueued.clear()
    assert services.sweep() == {"requeued": 0, "due": 1}
    assert enqueued == [delivery.pk]
    assert services.deliver(delivery.pk) == "delivered"

    assert len(set(receiver.event_ids())) == 1 and len(receiver.requests) == 2
    assert list(Attempt.objects.filter(delivery=delivery).values_list("status_code", flat=True)) == [500, 200]
    assert Endpoint.objects.get().consecutive_failures == 0


@pytest.mark.django_db
def test_the_backoff_grows_and_a_delivery_out_of_tries_switches_the_endpoint_off(world, receiver, clock, enqueued, django_capture_on_commit_callbacks):
    _endpoint(world, receiver.url)
    delivery = _injury_event(world, django_capture_on_commit_callbacks)
    receiver.answers = [503] * 10
    waits = []
    for _ in range(4):
        assert services.deliver(delivery.pk) == "will retry"
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - delivery.claimed_at)
        clock.move_to(delivery.next_attempt_at)
    assert waits == [timedelta(minutes=minutes) for minutes in (1, 5, 25, 125)]
    assert services.deliver(delivery.pk) == "failed"
    assert not Endpoint.objects.get().active
    assert Reminder.objects.filter(kind=Kind.WEBHOOK_OFF, recipient=world.coach).count() == 1


@pytest.mark.django_db
def test_switched_off_after_the_failure_limit_and_the_coaches_are_told(world, receiver, clock, enqueued, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_FAILURE_LIMIT = 3
    endpoint, _ = _endpoint(world, receiver.url, events=["injury.opened", "availability.changed"])
    receiver.answers = [500] * 10
    _injury_event(world, django_capture_on_commit_callbacks)
    # A second athlete's injury: three deliveries in all, each failing once.
    with django_capture_on_commit_callbacks(execute=True):
        injury_services.complaint_log(athlete=world.other_athlete, logged_by=world.coach, answers=typed_answers())
    deliveries = list(Delivery.objects.order_by("pk"))
    assert len(deliveries) == 4  # an injury and a change of availability, for each athlete

    results = [services.deliver(delivery.pk) for delivery in deliveries]
    assert results == ["will retry", "will retry", "will retry", "cancelled"]
    endpoint.refresh_from_db()
    assert not endpoint.active and endpoint.consecutive_failures == 3
    assert "3 failed deliveries" in endpoint.switched_off_reason
    assert set(Delivery.objects.values_list("status", flat=True)) == {"cancelled"}  # nothing more is tried

    reminder = Reminder.objects.get(kind=Kind.WEBHOOK_OFF)
    assert reminder.recipient == world.coach
    assert engine.deliver(reminder.pk) == "sent"
    notification = Notification.objects.get(user=world.coach)
    assert notification.title == "A webhook was switched off"
    assert "127.0.0.1" in notification.body and notification.url == f"/teams/{world.team.pk}/webhooks/"
    assert len(receiver.requests) == 3


@pytest.mark.django_db
def test_a_replay_sends_again_with_the_same_event_id(world, receiver, clock, enqueued, django_capture_on_commit_callbacks):
    _endpoint(world, receiver.url)
    delivery = _injury_event(world, django_capture_on_commit_callbacks)
    assert services.deliver(delivery.pk) == "delivered"
    enqueued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_replay(delivery=delivery)
    assert enqueued == [delivery.pk]
    assert services.deliver(delivery.pk) == "delivered"

    first, second = receiver.requests
    assert first["body"] == second["body"]
    assert receiver.event_ids() == [str(delivery.event_id)] * 2


@pytest.mark.django_db
def test_a_replay_waits_for_the_endpoint_to_be_switched_on(world, receiver, clock, enqueued, django_capture_on_commit_callbacks):
    endpoint, _ = _endpoint(world, receiver.url)
    delivery = _injury_event(world, django_capture_on_commit_callbacks)
    services.endpoint_switch(endpoint=endpoint, on=False)
    assert services.deliver(delivery.pk) == "cancelled"
    with pytest.raises(services.WebhookError, match="Switch the webhook on"):
        services.delivery_replay(delivery=delivery)
    services.endpoint_switch(endpoint=endpoint, on=True)
    services.delivery_replay(delivery=delivery)
    assert services.deliver(delivery.pk) == "delivered"
    assert receiver.event_ids() == [str(delivery.event_id)]


@pytest.mark.django_db
def test_a_send_whose_worker_was_lost_is_taken_back_by_the_sweep_and_sent_under_the_same_id(world, receiver, clock, enqueued, django_capture_on_commit_callbacks):
    _endpoint(world, receiver.url)
    delivery = _injury_event(world, django_capture_on_commit_callbacks)
    # A worker marked it sending, then died before the answer.
    Delivery.objects.filter(pk=delivery.pk).update(status="sending", claimed_at=timezone.now())
    assert services.deliver(delivery.pk) == "being sent"  # its lease is still live
    enqueued.clear()
    assert services.sweep()["requeued"] == 0

    clock.shift(timedelta(minutes=2))
    assert services.sweep() == {"requeued": 1, "due": 1}
    assert enqueued == [delivery.pk]
    assert services.deliver(delivery.pk) == "delivered"
    assert receiver.event_ids() == [str(delivery.event_id)]


@pytest.mark.django_db
def test_the_same_fact_announced_twice_is_one_event(world, local, clock, enqueued, django_capture_on_commit_callbacks):
    from injuries.events import Event, announce

    _endpoint(world, "https://hooks.example.com/in", events=["injury.opened"])
    _injury_event(world, django_capture_on_commit_callbacks)
    announce(Event.COMPLAINT_CONFIRMED, world.athlete.pk, entered_phase="protect")
    assert WebhookEvent.objects.filter(type="injury.opened").count() == 1
    assert Delivery.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_a_delivery_once(world, receiver, enqueued):
    from tests.factories import seed_reference_data

    seed_reference_data()
    endpoint, _ = _endpoint(world, receiver.url)
    injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    delivery = Delivery.objects.get(endpoint=endpoint)
    receiver.delay = 0.5  # the first send is still waiting for its answer when the second worker starts
    results, start = [], threading.Barrier(2)

    def worker():
        try:
            start.wait()
            results.append(tasks.deliver(delivery.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results) in (["being sent", "delivered"], ["delivered", "gone or being claimed"])
    assert receiver.event_ids() == [str(delivery.event_id)]
