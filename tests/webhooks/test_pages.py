"""The team's webhooks page: add (the secret shown once), refuse bad addresses, switch off and on,
delete, send again; a fixed number of queries whatever the number of deliveries."""

import pytest
from django.urls import reverse
from django.utils import timezone

from webhooks.models import Delivery, Endpoint, WebhookEvent

pytestmark = pytest.mark.django_db


def _page(world):
    return reverse("team_webhooks", args=[world.team.pk])


def _add(client, world, url="https://hooks.example.com/in", events=("injury.opened", "injury.cleared")):
    return client.post(_page(world), {"url": url, "events": list(events)})


def test_adding_a_webhook_shows_its_secret_once(coach_client, world):
    response = _add(coach_client, world)
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert endpoint.events == ["injury.opened", "injury.cleared"] and endpoint.created_by == world.coach
    first = coach_client.get(_page(world)).content.decode()
    assert endpoint.secret in first and "will not be shown again" in first
    again = coach_client.get(_page(world)).content.decode()
    assert endpoint.secret not in again
    assert "hooks.example.com/in" in again and "An injury opened" in again


@pytest.mark.parametrize(("url", "events", "problem"), [
    ("http://hooks.example.com/in", ["injury.opened"], "must start with https://"),
    ("not an address", ["injury.opened"], "Enter a valid URL"),
    ("https://10.1.2.3/in", ["injury.opened"], "private network"),
    ("https://hooks.example.com/in", [], "Choose at least one update"),
    ("https://hooks.example.com/in", ["made.up"], "Select a valid choice"),
])
def test_a_bad_webhook_is_refused_with_the_reason_and_nothing_saved(coach_client, world, url, events, problem):
    response = _add(coach_client, world, url=url, events=events)
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not Endpoint.objects.exists()


def test_switching_off_and_on_and_deleting(coach_client, world):
    _add(coach_client, world)
    endpoint = Endpoint.objects.get()
    coach_client.post(reverse("webhook_switch", args=[endpoint.pk]))
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert "Switched off by a coach" in coach_client.get(_page(world)).content.decode()
    coach_client.post(reverse("webhook_switch", args=[endpoint.pk]), {"on": "1"})
    coach_client.post(reverse("webhook_switch", args=[endpoint.pk]), {"on": "1"})  # sent twice: still on
    endpoint.refresh_from_db()
    assert endpoint.active
    response = coach_client.post(reverse("webhook_delete", args=[endpoint.pk]))
    assert response.url == _page(world)
    assert not Endpoint.objects.exists()


def _deliveries(world, endpoint, count):
    start = WebhookEvent.objects.count()
    for number in range(start, start + count):
        event = WebhookEvent.objects.create(type="injury.opened", key=f"k{number}", team=world.team,
                                            athlete_id=world.athlete.pk, payload={}, created_at=timezone.now())
        Delivery.objects.create(event=event, endpoint=endpoint, status="failed", last_status_code=500)


def test_the_page_lists_deliveries_in_a_fixed_number_of_queries(coach_client, world, django_assert_num_queries):
    _add(coach_client, world)
    endpoint = Endpoint.objects.get()
    coach_client.get(_page(world))  # the secret, once
    _deliveries(world, endpoint, 2)
    with django_assert_num_queries(5) as few:  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        coach_client.get(_page(world))
    _deliveries(world, endpoint, 10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = coach_client.get(_page(world))
    page = response.content.decode()
    assert page.count("Send again</button>") == 12
    assert "Failed; no more tries (answer 500)" in page
    assert world.athlete.last_name not in page  # no athlete on this page


def test_send_again_from_the_page(coach_client, world, monkeypatch, django_capture_on_commit_callbacks):
    from webhooks import services

    sent = []
    monkeypatch.setattr(services, "enqueue", lambda ids: sent.extend(ids))
    _add(coach_client, world)
    _deliveries(world, Endpoint.objects.get(), 1)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(reverse("webhook_delivery_replay", args=[delivery.pk]), follow=True)
    assert "sent again in a moment" in response.content.decode()
    assert sent == [delivery.pk]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_the_coach_home_links_to_each_teams_webhooks(coach_client, world):
    assert _page(world) in coach_client.get(reverse("home")).content.decode()


def test_the_admin_lists_endpoints_without_their_secret_and_deliveries_without_payloads(client, world):
    from webhooks.services import endpoint_create

    endpoint, secret = endpoint_create(team=world.team, url="https://hooks.example.com/in", events=["injury.opened"],
                                       created_by=world.coach)
    _deliveries(world, endpoint, 1)
    client.force_login(world.admin)
    for name, args in (("admin:webhooks_endpoint_changelist", []), ("admin:webhooks_endpoint_change", [endpoint.pk]),
                       ("admin:webhooks_delivery_changelist", []),
                       ("admin:webhooks_delivery_change", [Delivery.objects.get().pk])):
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name
        assert secret not in response.content.decode()
