"""Strict input: a state-changing request without what it needs is refused with a 400 and
changes nothing; every date has a sane window."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import ScheduledSession
from testing.models import TestResult
from tests.factories import InjuryFactory, assigned_session


def _bodies():
    """Empty, JSON (the checklist's own fields, as JSON), and malformed form bodies."""
    return [
        ("empty form", {}, None),
        ("empty body", b"", "application/x-www-form-urlencoded"),
        ("json", json.dumps({"done": "true"}), "application/json"),
        ("json false", json.dumps({"done": False}), "application/json"),
        ("not a boolean", {"done": "yes"}, None),
        ("two values", {"done": ["true", "false"]}, None),
        ("garbage", b"\x00\xff==&&", "application/x-www-form-urlencoded"),
    ]


def _post(client, url, body, content_type, **extra):
    if content_type is None:
        return client.post(url, body, **extra)
    return client.post(url, body, content_type=content_type, **extra)


@pytest.mark.parametrize("done", [True, False])
@pytest.mark.parametrize("htmx", [False, True])
def test_a_checklist_item_changes_only_when_the_body_says_which_way(coach_client, world, done, htmx):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    url = reverse("injury_check", args=[injury.pk, "sprint_pain_free"])
    coach_client.post(url, {"done": "true" if done else "false"})
    check = injury.checks.get(item="sprint_pain_free")
    assert check.done is done
    history = injury.checks.model.history.count()
    headers = {"HX-Request": "true"} if htmx else {}
    for name, body, content_type in _bodies():
        response = _post(coach_client, url, body, content_type, headers=headers)
        assert response.status_code == 400, name
        check.refresh_from_db()
        assert check.done is done, name
    assert injury.checks.model.history.count() == history


def test_an_empty_archive_request_archives_nothing(coach_client, world):
    url = reverse("athlete_archive", args=[world.athlete.pk])
    for name, body, content_type in [("empty", {}, None), ("json", json.dumps({"archive": "1"}), "application/json"),
                                     ("other", {"archive": "yes"}, None)]:
        assert _post(coach_client, url, body, content_type).status_code == 400, name
    world.athlete.refresh_from_db()
    assert not world.athlete.is_archived
    assert coach_client.post(url, {"archive": "1"}).status_code == 302
    world.athlete.refresh_from_db()
    assert world.athlete.is_archived


@pytest.mark.parametrize("day, accepted", [
    ("0001-01-01", False), ("1899-12-31", False), ("1900-01-01", True), ("today", True), ("tomorrow", False),
])
@pytest.mark.calendar
def test_a_test_date_is_between_1900_and_today(coach_client, world, day, accepted):
    today = timezone.localdate()
    day = {"today": today, "tomorrow": today + timedelta(days=1)}.get(day, day)
    url = reverse("test_result_create", args=[world.athlete.pk])
    response = coach_client.post(url, {"test": "nordic", "tested_on": str(day), "left": "300", "right": "290"})
    assert TestResult.objects.exists() is accepted
    assert response.status_code == (302 if accepted else 200)


@pytest.mark.parametrize("days, accepted", [(-1, False), (0, True), (365, True), (366, False), ("9999-12-31", False)])
@pytest.mark.calendar
def test_a_session_moves_within_the_coming_year(coach_client, world, days, accepted):
    session = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=2))
    before = session.date
    to = days if isinstance(days, str) else (timezone.localdate() + timedelta(days=days)).isoformat()
    response = coach_client.post(reverse("session_move", args=[session.pk]), {"date": to}, follow=True)
    moved = ScheduledSession.objects.get(pk=session.pk).date
    assert (moved != before) is accepted and (moved.isoformat() == to) is accepted
    if not accepted:
        assert any(m.level_tag == "error" for m in response.context["messages"])


def test_injury_notes_change_only_when_the_body_sends_them(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete, notes="Scan booked for Friday.")
    url = reverse("injury_details", args=[injury.pk])
    for name, body, content_type in _bodies() + [("two notes", {"notes": ["a", "b"]}, None)]:
        assert _post(coach_client, url, body, content_type).status_code == 400, name
        injury.refresh_from_db()
        assert injury.notes == "Scan booked for Friday.", name
    assert coach_client.post(url, {"notes": ""}).status_code == 302  # cleared on purpose
    injury.refresh_from_db()
    assert injury.notes == ""
