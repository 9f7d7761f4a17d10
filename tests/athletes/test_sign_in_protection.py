import logging
from datetime import timedelta

import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD


def _fail(client, email, times):
    for _ in range(times):
        client.post(reverse("login"), {"username": email, "password": "wrong-password"})


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(client, world, settings):
    _fail(client, world.coach.email.upper(), settings.AXES_FAILURE_LIMIT)
    response = client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "too many failed attempts" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_lockout_ends_after_the_cool_off(client, world, settings):
    _fail(client, world.coach.email, settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        response = client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_few_failures_then_success_does_not_lock(client, world):
    _fail(client, world.coach.email, 2)
    assert client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD}).status_code == 302


def test_sign_in_makes_a_new_session(client, world, settings):
    session = client.session
    session["probe"] = 1
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = before = session.session_key
    client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD})
    assert before and client.session.session_key != before
    assert client.session["probe"] == 1  # the data carries over; the key does not


def test_coaches_are_signed_out_after_30_idle_minutes(client, world):
    client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD})
    with time_machine.travel(timezone.now() + timedelta(minutes=20)):
        assert client.get(reverse("roster")).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=20 + 31)):
        response = client.get(reverse("roster"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_sessions_end_after_their_lifetime_however_active(client, world):
    client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD})
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):  # active every 20 minutes for 12 hours
        with time_machine.travel(start + timedelta(minutes=minutes)):
            client.get(reverse("roster"))
    with time_machine.travel(start + timedelta(hours=12, minutes=5)):
        assert client.get(reverse("roster")).status_code == 302


def test_athletes_stay_signed_in_on_their_phone_for_days(client, world):
    client.post(reverse("login"), {"username": world.athlete_user.email, "password": PASSWORD})
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert client.get(reverse("athlete_home")).status_code == 200


def test_deactivating_an_account_ends_its_sessions(client, world):
    client.force_login(world.coach)
    world.coach.is_active = False
    world.coach.save()
    assert client.get(reverse("roster")).status_code == 302


def test_sign_ins_failures_and_lockouts_are_logged_without_the_email(client, world, settings, caplog):
    with caplog.at_level(logging.INFO, logger="coachapp.auth"):
        client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD})
        client.post(reverse("logout"))
        _fail(client, world.coach.email, settings.AXES_FAILURE_LIMIT)
    text = caplog.text
    assert "login user=" in text and "logout user=" in text and "login failed" in text and "lockout" in text
    assert world.coach.email not in text
