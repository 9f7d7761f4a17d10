"""Which injuries events become which webhook events, read from the rows they leave; each fact once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from injuries import services as injury_services
from testing import services as test_services
from testing.models import TestType
from tests.factories import move_on, typed_answers
from webhooks import services
from webhooks.models import Delivery, EventType, WebhookEvent

ALL = list(EventType.values)
pytestmark = pytest.mark.django_db


@pytest.fixture
def endpoint(world, local, clock, enqueued):
    endpoint, _ = services.endpoint_create(team=world.team, url="https://hooks.example.com/in", events=ALL,
                                           created_by=world.coach)
    return endpoint


def _types():
    return list(WebhookEvent.objects.order_by("created_at", "key").values_list("type", flat=True))


def _payload(type_):
    return WebhookEvent.objects.get(type=type_).payload


def test_a_new_injury_is_opened_and_makes_the_athlete_unavailable(world, endpoint):
    injury = injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    assert sorted(_types()) == ["availability.changed", "injury.opened"]
    assert _payload("injury.opened")["data"]["injury"]["id"] == injury.pk
    assert _payload("availability.changed")["data"]["availability"] == {"code": "unavailable", "label": "Unavailable"}
    assert _payload("availability.changed")["data"]["previous"]["code"] == "available"
    assert Delivery.objects.filter(endpoint=endpoint).count() == 2


def test_an_urgent_report_from_the_phone_is_announced_once_even_after_its_confirmation(world, endpoint):
    report = injury_services.complaint_report(
        athlete=world.athlete, reported_by=world.athlete_user, answers=typed_answers(numbness=True)
    )
    assert _types() == ["complaint.urgent"]
    data = _payload("complaint.urgent")["data"]["complaint"]
    assert data["id"] == report.pk and data["referral"]["code"] == "urgent"
    assert data["status"] == {"code": "pending", "label": report.get_status_display()}
    injury_services.complaint_confirm(complaint=report, confirmed_by=world.coach, answers=typed_answers(numbness=True))
    assert WebhookEvent.objects.filter(type="complaint.urgent").count() == 1
    assert WebhookEvent.objects.filter(type="injury.opened").count() == 1


def test_moving_a_phase_is_announced_and_clearing_is_announced_too(world, endpoint, clock):
    injury = injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    move_on(injury, "rehab", world.coach)
    change = _payload("injury.phase_changed")["data"]["phase_change"]
    assert (change["from_phase"]["code"], change["to_phase"]) == ("protect", {"code": "rehab", "label": "Rehab"})
    for phase in ("return_to_training", "cleared"):
        injury.refresh_from_db()
        move_on(injury, phase, world.coach)
    assert WebhookEvent.objects.filter(type="injury.phase_changed").count() == 3
    assert _payload("injury.cleared")["data"]["injury"]["phase"]["code"] == "cleared"
    statuses = [event.payload["data"]["availability"]["code"]
                for event in WebhookEvent.objects.filter(type="availability.changed").order_by("key")]
    assert statuses == ["unavailable", "modified", "available"]


@pytest.mark.calendar  # results dated today and yesterday
def test_a_test_result_over_its_asymmetry_limit_is_flagged_and_one_within_is_not(world, endpoint):
    nordic = TestType.objects.get(key="nordic")
    today = timezone.localdate()
    test_services.test_result_record(athlete=world.athlete, test_type=nordic, tested_on=today - timedelta(days=1),
                                     recorded_by=world.coach, left=300, right=295)
    assert _types() == []
    flagged = test_services.test_result_record(athlete=world.athlete, test_type=nordic, tested_on=today,
                                               recorded_by=world.coach, left=300, right=200, notes="felt tight")
    assert _types() == ["test_result.flagged"]
    data = _payload("test_result.flagged")["data"]["test_result"]
    assert (data["id"], data["test"]["key"], data["asymmetry_ok"]) == (flagged.pk, "nordic", False)
    assert "felt tight" not in str(_payload("test_result.flagged"))  # notes never leave


def test_a_team_without_webhooks_records_nothing(world, clock):
    injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    assert not WebhookEvent.objects.exists()


def test_an_endpoint_gets_only_the_events_it_chose(world, local, clock, enqueued):
    services.endpoint_create(team=world.team, url="https://a.example.com/", events=["injury.cleared"], created_by=world.coach)
    injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    assert not WebhookEvent.objects.exists()


def test_a_failing_recorder_never_undoes_the_injury(world, endpoint, monkeypatch):
    from webhooks import facts

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(facts, "facts_for", broken)
    injury = injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    injury.refresh_from_db()
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize(("url", "allowed", "problem"), [
    ("https://hooks.example.com/in", False, ""),
    ("http://hooks.example.com/in", False, "must start with https://"),
    ("http://127.0.0.1:8001/in", False, "must start with https://"),
    ("http://127.0.0.1:8001/in", True, ""),
    ("http://localhost/in", True, ""),
    ("https://localhost/in", False, "not this computer"),
    ("https://10.0.0.5/in", False, "private network"),
    ("https://169.254.169.254/latest", False, "private network"),
    ("https://user:pw@hooks.example.com/", False, "user name and password"),
])
def test_addresses_must_be_https_and_public_unless_local_ones_are_allowed(settings, url, allowed, problem):
    settings.WEBHOOK_ALLOW_LOCALHOST = allowed
    found = services.url_problem(url)
    assert (problem in found and bool(found) == bool(problem)) if problem else found == ""
