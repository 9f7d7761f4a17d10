"""Moving an injury's phase through the API: the web's service and its criteria, refused in
the one error shape; a stale `expected_phase` is a 409 (docs/architecture.md#apps)."""

import pytest
from django.urls import reverse

from athletes.models import AccessLog
from tests.factories import InjuryFactory

pytestmark = pytest.mark.calendar


def url(injury):
    return reverse("api:injury-phase", args=[injury.pk])


@pytest.fixture
def injury(world):
    return InjuryFactory(complaint__athlete=world.athlete)


def test_clearing_is_refused_while_the_checklist_is_not_met(api, world, injury):
    response = api(world.coach, write=True).post(url(injury), {"to_phase": "cleared"}, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"].startswith("Not met yet: Walks normally without pain")
    injury.refresh_from_db()
    assert injury.phase == "protect"


def test_moving_on_without_the_criteria_needs_a_reason(api, world, injury):
    client = api(world.coach, write=True)
    response = client.post(url(injury), {"to_phase": "cleared", "override": True}, format="json")
    assert response.status_code == 400 and "Write why" in response.json()["error"]["message"]
    response = client.post(url(injury), {"to_phase": "cleared", "override": True, "reason": "Physio agrees."}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["phase"] == "cleared" and body["is_open"] is False and body["id"] == injury.pk
    change = injury.phase_changes.last()
    assert change.checklist_overridden and change.reason == "Physio agrees." and change.changed_by == world.coach
    assert AccessLog.objects.filter(action="view_injury", athlete_id=world.athlete.pk).exists()
    again = client.post(url(injury), {"to_phase": "rehab"}, format="json")
    assert again.status_code == 400 and "already cleared" in again.json()["error"]["message"]


def test_a_step_back_needs_no_criteria(api, world, injury):
    client = api(world.coach, write=True)
    assert client.post(url(injury), {"to_phase": "rehab", "override": True, "reason": "Moving well"},
                       format="json").status_code == 200
    response = client.post(url(injury), {"to_phase": "protect", "reason": "Flared up"}, format="json")
    assert response.status_code == 200 and response.json()["phase"] == "protect"


def test_a_stale_expected_phase_is_a_409_and_changes_nothing(api, world, injury):
    response = api(world.coach, write=True).post(
        url(injury), {"to_phase": "cleared", "expected_phase": "rehab", "override": True, "reason": "x"}, format="json")
    assert response.status_code == 409 and response.json()["error"]["code"] == "conflict"
    assert "since you opened the page" in response.json()["error"]["message"]
    injury.refresh_from_db()
    assert injury.phase == "protect"


@pytest.mark.parametrize("body, field", [
    ({}, "to_phase"),
    ({"to_phase": "healed"}, "to_phase"),
    ({"to_phase": "rehab", "override": "maybe"}, "override"),
    ({"to_phase": "rehab", "reason": "x" * 2001}, "reason"),
    ({"to_phase": "rehab", "expected_phase": "later"}, "expected_phase"),
])
def test_bad_input_names_the_field_and_changes_nothing(api, world, injury, body, field):
    response = api(world.coach, write=True).post(url(injury), body, format="json")
    assert response.status_code == 400 and field in response.json()["error"]["fields"], response.content
    assert injury.phase_changes.count() == 1


def test_a_replayed_phase_change_moves_once(api, world, injury):
    client = api(world.coach, write=True)
    body = {"to_phase": "rehab", "override": True, "reason": "Walking well"}
    first = client.post(url(injury), body, format="json", HTTP_IDEMPOTENCY_KEY="phase-1")
    again = client.post(url(injury), body, format="json", HTTP_IDEMPOTENCY_KEY="phase-1")
    assert first.status_code == again.status_code == 200 and again.json() == first.json()
    assert [c.to_phase for c in injury.phase_changes.all()] == ["protect", "rehab"]


def test_an_urgent_case_cannot_leave_protect_before_the_doctors_review_even_with_a_reason(api, world):
    urgent = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"numbness": True})
    response = api(world.coach, write=True).post(
        url(urgent), {"to_phase": "rehab", "override": True, "reason": "He says he feels fine."}, format="json")
    assert response.status_code == 400
    assert "record the doctor's review before the athlete leaves protect" in response.json()["error"]["message"]
    urgent.refresh_from_db()
    assert urgent.phase == "protect"
