"""Every error has one shape, and bad input is a 400 naming the problem, never a 500."""

import pytest
from django.urls import reverse

from api.examples import TRIAGE, TRIAGE_RESULT


def _error(response, status):
    assert response.status_code == status, response.content[:300]
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message", "fields"}
    assert body["error"]["status"] == status and body["error"]["message"]
    return body["error"]


def test_triage_answers_like_the_command(api, world):
    client = api(world.coach)
    assert client.post(reverse("api:triage"), TRIAGE, format="json").json() == TRIAGE_RESULT
    assert client.post(reverse("api:triage"), [TRIAGE, TRIAGE], format="json").json() == [TRIAGE_RESULT] * 2


@pytest.mark.parametrize("body, field", [
    ({**TRIAGE, "pain_score": 11}, "pain_score"),
    ({**TRIAGE, "side": "middle"}, "side"),
    ({**TRIAGE, "colour": "red"}, "colour"),
    ({k: v for k, v in TRIAGE.items() if k != "numbness"}, "numbness"),
    ([TRIAGE, {**TRIAGE, "pain_score": "x"}], "item 1: pain_score"),
    ("a string", "__all__"),
    (17, "__all__"),
    ([3], "item 0: __all__"),
])
def test_bad_triage_input_names_each_problem(api, world, body, field):
    error = _error(api(world.coach).post(reverse("api:triage"), body, format="json"), 400)
    assert error["code"] == "invalid" and field in error["fields"], error


@pytest.mark.parametrize("raw, content_type", [(b"{", "application/json"), (b"\xff", "application/json"),
                                               (b"a=b", "application/x-www-form-urlencoded")])
def test_unreadable_bodies_are_a_400_or_415(api, world, raw, content_type):
    response = api(world.coach).generic("POST", reverse("api:triage"), raw, content_type=content_type)
    error = _error(response, response.status_code)
    assert response.status_code in (400, 415) and error["code"] in ("parse_error", "unsupported_media_type")


@pytest.mark.parametrize("query", ["team=abc", "team=99999999999999999999", "archived=perhaps", "team=-1"])
def test_bad_filters_are_a_400_naming_the_field(api, world, query):
    error = _error(api(world.coach).get(reverse("api:athlete-list") + "?" + query), 400)
    assert query.split("=")[0] in error["fields"]


@pytest.mark.parametrize("path", ["/api/v1/athletes/99999999999999999999/", "/api/v1/injuries/0/",
                                  "/api/v1/athletes/?page=9999", "/api/v1/board/?page=abc"])
def test_missing_things_are_a_404(api, world, path):
    assert _error(api(world.coach).get(path), 404)["code"] == "not_found"


def test_the_board_refuses_a_bad_team(api, world):
    assert "team" in _error(api(world.coach).get(reverse("api:board") + "?team=x"), 400)["fields"]


def test_wrong_methods_are_a_405(api, world):
    assert _error(api(world.coach, write=True).put(reverse("api:team-list"), {}, format="json"), 405)["code"] == "method_not_allowed"


def test_the_athletes_roster_filters(api, world):
    from tests.factories import AthleteFactory

    AthleteFactory(team=world.team, first_name="Zed", last_name="Archived", archived_at="2026-01-01T00:00Z")
    client = api(world.coach)
    names = lambda query: [row["last_name"] for row in client.get(reverse("api:athlete-list") + query).json()["results"]]  # noqa: E731
    assert "Archived" in names("") and names("?archived=true") == ["Archived"]
    assert "Archived" not in names("?archived=false")
    assert names(f"?search={world.athlete.last_name}") == [world.athlete.last_name]
    assert names(f"?team={world.other_team.pk}") == []


def test_a_services_refusal_is_a_400_in_the_one_shape():
    from api.errors import handler
    from athletes.errors import AppError

    response = handler(AppError("That athlete is archived."), {})
    assert response.status_code == 400
    assert response.data == {"error": {"status": 400, "code": "invalid", "message": "That athlete is archived.",
                                       "fields": {"__all__": ["That athlete is archived."]}}}


@pytest.mark.parametrize("path", ["/api/v1/sessions/1.5/finish/", "/api/v1/nothing-here/", "/api/v1/athletes/1.5/"])
def test_an_address_the_api_does_not_have_answers_in_the_error_shape(client, path):
    response = client.post(path, {}, content_type="application/json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "not_found"
