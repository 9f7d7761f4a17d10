"""API tokens: stored hashed, shown once, expiring, scoped read or read-write, revocable on the
security page, made by `manage.py api_token create`; sessions work too, with CSRF."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.examples import TRIAGE
from api.models import ApiToken
from api.services import TokenError, token_create


def _client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_is_stored_only_as_its_hash(world):
    row, token = token_create(user=world.coach, name="Dashboard")
    stored = ApiToken.objects.values_list("digest", "token_key").get()
    assert token not in stored[0] and stored[1] == token[:15] != token
    assert stored[0] == hashlib.sha512(token.encode()).hexdigest()
    assert token.startswith("cap_") and len(token) > 60


def test_a_token_signs_in_as_its_user_and_a_wrong_one_does_not(world):
    _, token = token_create(user=world.coach, name="Dashboard")
    assert _client(token).get(reverse("api:team-list")).json()["results"] == [
        {"id": world.team.pk, "name": world.team.name, "sport": world.team.sport}
    ]
    wrong = _client(token[:-1] + ("a" if token[-1] != "a" else "b")).get(reverse("api:team-list"))
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "authentication_failed"


def test_a_token_stops_working_when_it_expires(world):
    _, token = token_create(user=world.coach, name="Dashboard", days=2)
    with time_machine.travel(timezone.now() + timedelta(days=1, hours=23)):
        assert _client(token).get(reverse("api:team-list")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        assert _client(token).get(reverse("api:team-list")).status_code == 401
    assert not ApiToken.objects.exists()  # an expired token is deleted when it is next shown


def test_a_switched_off_account_cannot_use_its_token(world):
    _, token = token_create(user=world.coach, name="Dashboard")
    world.coach.is_active = False
    world.coach.save()
    assert _client(token).get(reverse("api:team-list")).status_code == 401


@pytest.mark.parametrize("name, days", [("", 30), ("x" * 81, 30), ("ok", 0), ("ok", 367)])
def test_a_token_needs_a_name_and_a_lifetime_within_a_year(world, name, days):
    with pytest.raises(TokenError):
        token_create(user=world.coach, name=name, days=days)
    assert not ApiToken.objects.exists()


def test_a_read_only_token_may_read_and_triage_but_not_write(world):
    _, token = token_create(user=world.coach, name="Read", write=False)
    client = _client(token)
    assert client.post(reverse("api:triage"), TRIAGE, format="json").status_code == 200
    refused = client.delete(reverse("api:athlete-detail", args=[world.athlete.pk]))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"


def test_sessions_work_with_csrf(world):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.coach)
    assert client.get(reverse("api:athlete-list")).status_code == 200
    refused = client.post(reverse("api:triage"), TRIAGE, format="json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["error"]["message"]


def test_api_token_create_prints_the_token_once(world):
    out, err = StringIO(), StringIO()
    call_command("api_token", "create", world.coach.email.upper(), "--name", "Nightly export", "--write", stdout=out, stderr=err)
    token = out.getvalue().strip()
    row = ApiToken.objects.get()
    assert (row.name, row.write, row.user) == ("Nightly export", True, world.coach)
    assert row.digest == hashlib.sha512(token.encode()).hexdigest() and token not in err.getvalue()
    assert row.expiry.date() == (timezone.now() + timedelta(days=90)).date()
    assert _client(token).get(reverse("api:athlete-list")).status_code == 200


def test_api_token_create_names_the_problem(world):
    with pytest.raises(CommandError, match="No account"):
        call_command("api_token", "create", "nobody@example.com", "--name", "x")
    with pytest.raises(CommandError, match="366"):
        call_command("api_token", "create", world.coach.email, "--name", "x", "--days", "400")
    assert not ApiToken.objects.exists()


def test_the_security_page_makes_lists_and_revokes_tokens(client, world):
    client.force_login(world.coach)
    page = client.get(reverse("two_factor"))
    assert b"You have no tokens." in page.content
    made = client.post(reverse("api:token_new"), {"token_name": "Club dashboard", "days": "30", "write": "1"})
    row = ApiToken.objects.get()
    token = made.context["token"]
    assert token.encode() in made.content and row.write and row.user == world.coach
    page = client.get(reverse("two_factor"))
    assert b"Club dashboard" in page.content and token.encode() not in page.content  # shown once
    assert b"read and write" in page.content
    response = client.post(reverse("api:token_delete"), {"token": row.digest})
    assert response.status_code == 302 and not ApiToken.objects.exists()
    assert _client(token).get(reverse("api:team-list")).status_code == 401


def test_a_coach_cannot_revoke_another_users_token(client, world):
    row, token = token_create(user=world.other_coach, name="Theirs")
    client.force_login(world.coach)
    client.post(reverse("api:token_delete"), {"token": row.digest})
    assert ApiToken.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("data", [{"token_name": "", "days": "30"}, {"token_name": "x", "days": "0"},
                                  {"token_name": "x", "days": "abc"}, {"token_name": "x\x00", "days": "3"}])
def test_a_bad_token_form_makes_nothing_and_says_why(client, world, data):
    client.force_login(world.coach)
    response = client.post(reverse("api:token_new"), data, follow=True)
    assert response.status_code == 200 and b"The token was not made" in response.content
    assert not ApiToken.objects.exists()


def test_each_token_has_its_own_throttle(world, settings):
    from django.core.cache import cache
    from rest_framework.settings import api_settings

    from api.throttling import PerToken

    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/minute"}
    PerToken.THROTTLE_RATES = rates
    try:
        first, second = (_client(token_create(user=world.coach, name=n)[1]) for n in ("a", "b"))
        statuses = [first.get(reverse("api:team-list")).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert first.get(reverse("api:team-list")).json()["error"]["code"] == "throttled"
        assert second.get(reverse("api:team-list")).status_code == 200
    finally:
        PerToken.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        cache.clear()
