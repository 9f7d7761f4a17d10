"""Password resets: throttled, the same answer whoever asks, and a new password ends lockouts."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from athletes.models import PasswordResetRequest
from tests.factories import PASSWORD

NEW = "a-much-better-password-7"


def _ask(client, email, address="203.0.113.60"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def _words(response):
    """The page without its per-request tokens."""
    return re.sub(r'(csrfmiddlewaretoken" value|X-CSRFToken": |nonce=)"[^"]*"', "", response.content.decode())


def _reset_with_the_link(client, mail, password=NEW):
    link = next(line for line in mail.body.splitlines() if "/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path, follow=True)
    assert page.context["validlink"]
    return client.post(page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


def test_thirty_requests_for_one_account_send_a_few_emails(world, mailoutbox, settings):
    for n in range(30):  # from thirty different addresses: the account's limit holds whoever asks
        assert _ask(Client(), world.coach.email, f"198.51.100.{n}").status_code == 302
    assert len(mailoutbox) == settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT_HOUR
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        _ask(Client(), world.coach.email, "198.51.100.99")
    assert len(mailoutbox) == settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT_HOUR + 1


def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(client, world, mailoutbox):
    known = _ask(client, world.coach.email)
    unknown = _ask(client, "nobody@example.com")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert _words(client.get(known["Location"])) == _words(client.get(unknown["Location"]))
    assert len(mailoutbox) == 1


def test_one_address_asking_for_many_resets_is_paused_whatever_the_emails(client, world, settings, mailoutbox):
    settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS_HOUR = 4
    for n in range(4):
        assert _ask(client, f"someone{n}@example.com").status_code == 302
    for email in [world.coach.email, "nobody@example.com"]:  # the same refusal for both
        refused = _ask(client, email)
        assert refused.status_code == 429 and "try again in an hour" in refused.content.decode()
    assert not mailoutbox
    assert _ask(Client(), world.coach.email, "203.0.113.61").status_code == 302  # another address
    assert len(mailoutbox) == 1


def test_requests_are_kept_a_day_and_never_with_the_email(client, world):
    _ask(client, world.coach.email)
    _ask(client, "nobody@example.com")
    assert list(PasswordResetRequest.objects.values_list("user", flat=True).order_by("pk")) == [world.coach.pk, None]
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        _ask(client, "nobody@example.com")
    assert PasswordResetRequest.objects.count() == 1


def test_a_password_reset_ends_the_accounts_lockout(client, world, settings, mailoutbox):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": world.coach.email, "password": "wrong-password"})
    assert client.post(reverse("login"), {"username": world.coach.email, "password": PASSWORD}).status_code == 429
    _ask(client, world.coach.email, "127.0.0.1")
    assert _reset_with_the_link(client, mailoutbox[0]).status_code == 302
    response = client.post(reverse("login"), {"username": world.coach.email, "password": NEW})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_the_lockout_page_links_to_the_throttled_reset(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": world.coach.email, "password": "wrong-password"})
    assert f'href="{reverse("password_reset")}"' in response.content.decode()


def test_djangos_own_reset_url_sends_no_unthrottled_emails(world, mailoutbox):
    for n in range(10):
        Client().post("/accounts/password_reset/", {"email": world.coach.email}, REMOTE_ADDR=f"198.51.100.{n}")
    assert len(mailoutbox) <= 3


def test_the_reset_pages_and_email_are_coachapps_own(client, world, mailoutbox):
    """The templates live in templates/accounts/: none of Django's stock ones (the admin's) shows."""
    done = client.post(reverse("password_reset"), {"email": world.coach.email}, follow=True)
    assert "Check your email" in done.content.decode()
    assert mailoutbox[0].subject == "Choose a new coachapp password"
    assert mailoutbox[0].body.startswith("Someone asked to reset the coachapp password")
    assert "Password saved" in client.get(reverse("password_reset_complete")).content.decode()
    assert "Forgotten your password?" in client.get(reverse("login")).content.decode()


def test_the_admins_password_change_is_the_same_page_as_everyone_elses(client, world):
    client.force_login(world.admin)
    page = client.get(reverse("admin:password_change")).content.decode()
    assert "<h1>Change your password</h1>" in page
