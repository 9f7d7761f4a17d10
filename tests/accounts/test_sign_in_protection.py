import http.client
import logging
import re
from datetime import timedelta
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.auth import client_address
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


# --- Nobody can lock anyone else out: the lock is per (account, address) --------------------------


def _sign_in(client, email, password, address, **headers):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address, **headers)


def _over_the_socket(live_server, source, email, password):
    """Sign in from a real socket bound to `source` (another loopback address): the server sees
    it as the client's address, as it would see another machine's."""
    host, port = urlsplit(live_server.url).hostname, urlsplit(live_server.url).port
    connection = http.client.HTTPConnection("127.0.0.1" if host == "localhost" else host, port, source_address=(source, 0), timeout=10)
    try:
        connection.request("GET", reverse("login"))
        page = connection.getresponse()
        body = page.read().decode()
        csrf = SimpleCookie(page.getheader("Set-Cookie"))["csrftoken"].value
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urlencode({"username": email, "password": password, "csrfmiddlewaretoken": token})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf}"}
        connection.request("POST", reverse("login"), form, headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_a_lockout_from_one_machine_does_not_stop_the_account_on_another(live_server, world, settings):
    statuses = [_over_the_socket(live_server, "127.0.0.10", world.coach.email, "wrong-password") for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last failure locks
    assert _over_the_socket(live_server, "127.0.0.10", world.coach.email, PASSWORD) == 429
    assert _over_the_socket(live_server, "127.0.0.11", world.coach.email, PASSWORD) == 302


def test_the_lock_is_per_account_and_address(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, world.coach.email, "wrong-password", "203.0.113.10")
    assert _sign_in(client, world.coach.email, PASSWORD, "203.0.113.10").status_code == 429
    assert _sign_in(Client(), world.other_coach.email, PASSWORD, "203.0.113.10").status_code == 302  # others there
    assert _sign_in(Client(), world.coach.email, PASSWORD, "203.0.113.11").status_code == 302  # the coach elsewhere


def test_one_address_guessing_across_many_accounts_is_paused(client, world, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(8):  # under the account limit for each, over the address's in all
        _sign_in(client, f"someone{n % 4}@example.com", "wrong-password", "203.0.113.20")
    assert _sign_in(client, world.coach.email, PASSWORD, "203.0.113.20").status_code == 429
    assert _sign_in(Client(), world.coach.email, PASSWORD, "203.0.113.21").status_code == 302


def test_signing_in_to_ones_own_account_does_not_reset_the_address_count(client, world, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 6
    for n in range(3):
        _sign_in(client, f"victim{n}@example.com", "wrong-password", "203.0.113.30")
    assert _sign_in(Client(), world.other_coach.email, PASSWORD, "203.0.113.30").status_code == 302  # the guesser's own
    for n in range(3):
        _sign_in(client, f"victim{n}@example.com", "wrong-password", "203.0.113.30")
    assert _sign_in(Client(), world.coach.email, PASSWORD, "203.0.113.30").status_code == 429


def test_behind_a_proxy_each_client_is_counted_at_its_own_address(client, world, settings):
    """PROXY_COUNT=1: the address our proxy appended, never what the client wrote before it."""
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The guesser makes up a different "address" each time: only the proxy's entry counts.
        _sign_in(client, world.coach.email, "wrong-password", proxy, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.40")
    assert _sign_in(client, world.coach.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.40").status_code == 429
    assert _sign_in(Client(), world.coach.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.41").status_code == 302
    assert _sign_in(Client(), world.other_coach.email, PASSWORD, proxy, HTTP_X_FORWARDED_FOR="203.0.113.41").status_code == 302


def test_the_client_address_follows_the_proxy_count(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.5, 10.0.0.2")
    settings.PROXY_COUNT = 0
    assert client_address(request) == "10.0.0.3"  # no proxy: the header is the client's own words
    settings.PROXY_COUNT = 1
    assert client_address(request) == "10.0.0.2"
    settings.PROXY_COUNT = 2
    assert client_address(request) == "203.0.113.5"
    settings.PROXY_COUNT = 5  # fewer entries than proxies: it came round them
    assert client_address(request) == "10.0.0.3"
    settings.PROXY_COUNT = 1
    assert client_address(rf.get("/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="not-an-address")) == "10.0.0.3"


def test_the_lockout_page_says_how_to_get_back_in(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, world.coach.email, "wrong-password", "203.0.113.50")
    page = response.content.decode()
    assert response.status_code == 429 and "15 minutes" in page and reverse("password_reset") in page
    assert world.coach.email not in page
