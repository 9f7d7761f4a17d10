"""Optional two-factor sign-in for coaches and admins: an authenticator app plus recovery codes."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from tests.factories import PASSWORD


def code_for(device, at=None):
    """The code an authenticator app shows for this device (now, or at a given moment)."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = (at or timezone.now()).timestamp()
    return f"{generator.token():06d}"


@pytest.fixture
def two_factor_coach(world):
    """The coach with two-factor sign-in on; returns the app device and the recovery codes."""
    device = services.two_factor_begin(user=world.coach)
    codes = services.two_factor_enable(user=world.coach, device=device)
    device.refresh_from_db()
    return device, codes


def _password_step(client, user, next_url=""):
    data = {"username": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


# --- Turning it on and off --------------------------------------------------------------------


def test_a_coach_turns_two_factor_on_by_scanning_and_confirming_a_code(client, world):
    client.force_login(world.coach)
    assert "Off." in client.get(reverse("two_factor")).content.decode()

    client.post(reverse("two_factor_begin"))
    page = client.get(reverse("two_factor")).content.decode()
    device = TOTPDevice.objects.get(user=world.coach)
    assert not device.confirmed
    assert "<svg" in page and "otpauth" not in page  # the key travels in the QR code and as text

    wrong = client.post(reverse("two_factor_enable"), {"otp_token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed

    # django-otp makes the next guess wait a moment after a wrong one.
    later = timezone.now() + timedelta(seconds=5)
    with time_machine.travel(later):
        done = client.post(reverse("two_factor_enable"), {"otp_token": code_for(device, at=later)})
    device.refresh_from_db()
    assert device.confirmed
    codes = StaticToken.objects.filter(device__user=world.coach).values_list("token", flat=True)
    assert len(codes) == services.RECOVERY_CODE_COUNT
    assert all(code in done.content.decode() for code in codes)
    assert "On." in client.get(reverse("two_factor")).content.decode()


def test_a_setup_can_be_cancelled_before_it_is_confirmed(client, world):
    client.force_login(world.coach)
    client.post(reverse("two_factor_begin"))
    client.post(reverse("two_factor_cancel"))
    assert not TOTPDevice.objects.filter(user=world.coach).exists()


def test_turning_it_off_needs_a_current_code(client, world, two_factor_coach):
    device, _ = two_factor_coach
    client.force_login(world.coach)
    refused = client.post(reverse("two_factor_disable"), {"otp_token": "123456"})
    assert "That code is not right" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=world.coach).exists()

    later = timezone.now() + timedelta(seconds=5)
    with time_machine.travel(later):
        client.post(reverse("two_factor_disable"), {"otp_token": code_for(device, at=later)})
    assert not TOTPDevice.objects.filter(user=world.coach).exists()
    assert not StaticToken.objects.filter(device__user=world.coach).exists()
    client.logout()
    assert _password_step(client, world.coach)["Location"] == reverse("home")


def test_new_recovery_codes_void_the_old_ones(client, world, two_factor_coach):
    device, old_codes = two_factor_coach
    client.force_login(world.coach)
    client.post(reverse("recovery_codes_renew"), {"otp_token": code_for(device)})
    new_codes = set(StaticToken.objects.filter(device__user=world.coach).values_list("token", flat=True))
    assert len(new_codes) == services.RECOVERY_CODE_COUNT and not new_codes & set(old_codes)


def test_athletes_have_no_two_factor_page(client, world):
    client.force_login(world.athlete_user)
    assert client.get(reverse("two_factor")).status_code == 403


def test_each_form_on_the_page_posts_to_its_own_action(client, world, two_factor_coach):
    client.force_login(world.other_coach)
    page = client.get(reverse("two_factor")).content.decode()
    for name in ("two_factor_begin", "sessions_end_others"):
        assert f'action="{reverse(name)}"' in page
    client.post(reverse("two_factor_begin"))
    page = client.get(reverse("two_factor")).content.decode()
    assert f'action="{reverse("two_factor_enable")}"' in page and f'formaction="{reverse("two_factor_cancel")}"' in page
    client.force_login(world.coach)
    page = client.get(reverse("two_factor")).content.decode()
    assert f'action="{reverse("recovery_codes_renew")}"' in page
    assert f'formaction="{reverse("two_factor_disable")}"' in page


def test_the_page_itself_takes_no_post(client, world):
    client.force_login(world.coach)
    assert client.post(reverse("two_factor"), {"action": "begin"}).status_code == 405
    assert not TOTPDevice.objects.filter(user=world.coach).exists()


@pytest.mark.parametrize(
    "name", ["two_factor_enable", "two_factor_cancel", "recovery_codes_renew", "two_factor_disable"]
)
def test_an_action_the_page_no_longer_offers_changes_nothing_and_says_so(client, world, name):
    client.force_login(world.coach)  # two-factor off, no setup begun
    response = client.post(reverse(name), {"otp_token": "123456"}, follow=True)
    assert response.redirect_chain == [(reverse("two_factor"), 302)]
    assert "That did not match this page any more" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.coach).exists()


def test_setting_up_again_while_it_is_on_changes_nothing(client, world, two_factor_coach):
    client.force_login(world.coach)
    response = client.post(reverse("two_factor_begin"), follow=True)
    assert "That did not match this page any more" in response.content.decode()
    assert list(TOTPDevice.objects.filter(user=world.coach)) == [two_factor_coach[0]]


def test_turning_it_on_and_off_is_logged(client, world, caplog):
    client.force_login(world.coach)
    client.post(reverse("two_factor_begin"))
    device = TOTPDevice.objects.get(user=world.coach)
    with caplog.at_level(logging.INFO, logger="coachapp.auth"):
        client.post(reverse("two_factor_enable"), {"otp_token": code_for(device)})
        later = timezone.now() + timedelta(seconds=35)
        with time_machine.travel(later):
            client.post(reverse("two_factor_disable"), {"otp_token": code_for(device, at=later)})
    assert f"two-factor on user={world.coach.pk}" in caplog.text
    assert f"two-factor off user={world.coach.pk}" in caplog.text


# --- Signing in with it -----------------------------------------------------------------------


def test_a_password_alone_does_not_sign_in_an_account_with_two_factor(client, world, two_factor_coach):
    response = _password_step(client, world.coach)
    assert response["Location"] == reverse("login_code")
    assert SESSION_KEY not in client.session
    assert client.get(reverse("roster")).status_code == 302


def test_the_code_from_the_app_completes_the_sign_in_and_goes_on_to_next(client, world, two_factor_coach):
    device, _ = two_factor_coach
    _password_step(client, world.coach, next_url=reverse("roster"))
    response = client.post(reverse("login_code"), {"otp_token": code_for(device)})
    assert response["Location"] == reverse("roster")
    assert int(client.session[SESSION_KEY]) == world.coach.pk
    assert client.get(reverse("roster")).status_code == 200


def test_a_wrong_code_is_refused_with_a_clear_message(client, world, two_factor_coach):
    _password_step(client, world.coach)
    response = client.post(reverse("login_code"), {"otp_token": "12345x"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_a_code_cannot_be_used_twice(client, world, two_factor_coach):
    device, _ = two_factor_coach
    code = code_for(device)
    _password_step(client, world.coach)
    client.post(reverse("login_code"), {"otp_token": code})
    client.post(reverse("logout"))
    _password_step(client, world.coach)
    response = client.post(reverse("login_code"), {"otp_token": code})
    assert SESSION_KEY not in client.session
    assert "used already" in response.content.decode()


def test_a_recovery_code_signs_in_once(client, world, two_factor_coach):
    _, codes = two_factor_coach
    _password_step(client, world.coach)
    client.post(reverse("login_code"), {"otp_token": f" {codes[0].upper()} "})
    assert SESSION_KEY in client.session
    client.post(reverse("logout"))
    _password_step(client, world.coach)
    client.post(reverse("login_code"), {"otp_token": codes[0]})
    assert SESSION_KEY not in client.session


def test_repeated_wrong_codes_lock_the_account_like_wrong_passwords(client, world, two_factor_coach, settings):
    device, _ = two_factor_coach
    _password_step(client, world.coach)
    start = timezone.now()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # Past django-otp's growing pause between guesses, so that each guess is really checked.
        with time_machine.travel(start + timedelta(seconds=30 * attempt)):
            client.post(reverse("login_code"), {"otp_token": "000000"})
    later = start + timedelta(seconds=30 * settings.AXES_FAILURE_LIMIT)
    with time_machine.travel(later):
        locked = client.post(reverse("login_code"), {"otp_token": code_for(device, at=later)})
        assert locked.status_code == 429
        assert SESSION_KEY not in client.session
        # Locked with the right password too, as after wrong passwords.
        assert _password_step(client, world.coach).status_code == 429


def test_the_code_must_come_within_five_minutes_of_the_password(client, world, two_factor_coach):
    device, _ = two_factor_coach
    _password_step(client, world.coach)
    later = timezone.now() + timedelta(minutes=6)
    with time_machine.travel(later):
        response = client.post(reverse("login_code"), {"otp_token": code_for(device, at=later)})
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_the_code_page_without_a_password_first_sends_to_sign_in(client, world):
    assert client.get(reverse("login_code"))["Location"] == reverse("login")


def test_the_admin_signs_in_through_the_same_steps(client, world):
    device = services.two_factor_begin(user=world.admin)
    services.two_factor_enable(user=world.admin, device=device)
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    # The admin's own sign-in form is gone: posting a password to it signs nobody in.
    client.post(reverse("admin:login"), {"username": world.admin.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    _password_step(client, world.admin, next_url=reverse("admin:index"))
    response = client.post(reverse("login_code"), {"otp_token": code_for(device)})
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_accounts_without_two_factor_sign_in_with_the_password_alone(client, world):
    assert _password_step(client, world.other_coach)["Location"] == reverse("home")


def test_second_factor_failures_are_logged_without_the_code(client, world, two_factor_coach, caplog):
    _password_step(client, world.coach)
    with caplog.at_level(logging.INFO, logger="coachapp.auth"):
        client.post(reverse("login_code"), {"otp_token": "987654"})
    assert f"second factor failed user={world.coach.pk}" in caplog.text
    assert "987654" not in caplog.text and world.coach.email not in caplog.text


def test_a_sign_in_with_a_code_is_logged_as_two_factors(client, world, two_factor_coach, caplog):
    device, _ = two_factor_coach
    _password_step(client, world.coach)
    with caplog.at_level(logging.INFO, logger="coachapp.auth"):
        client.post(reverse("login_code"), {"otp_token": code_for(device)})
    assert f"login user={world.coach.pk} factors=password+code" in caplog.text


def test_an_admin_can_reset_a_coachs_lost_phone_in_the_admin(client, world, two_factor_coach):
    device, _ = two_factor_coach
    client.force_login(world.admin)
    listing = client.get(reverse("admin:otp_totp_totpdevice_changelist"))
    assert listing.status_code == 200 and str(world.coach) in listing.content.decode()
    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(user=world.coach).exists()


# --- Other sessions -------------------------------------------------------------------------------


@pytest.fixture
def elsewhere(world):
    """The coach, signed in on another computer too."""
    from django.test import Client

    other = Client()
    other.force_login(world.coach)
    assert other.get(reverse("roster")).status_code == 200
    return other


def test_turning_two_factor_on_signs_out_everywhere_else_but_here(client, world, elsewhere):
    client.force_login(world.coach)
    client.post(reverse("two_factor_begin"))
    device = TOTPDevice.objects.get(user=world.coach)
    client.post(reverse("two_factor_enable"), {"otp_token": code_for(device)})
    assert client.get(reverse("roster")).status_code == 200
    response = elsewhere.get(reverse("roster"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "sign-in security changed" in response.content.decode()


def test_turning_two_factor_off_signs_out_everywhere_else_too(client, world, two_factor_coach, elsewhere):
    device, _ = two_factor_coach
    client.force_login(world.coach)
    client.post(reverse("two_factor_disable"), {"otp_token": code_for(device)})
    assert client.get(reverse("roster")).status_code == 200
    assert elsewhere.get(reverse("roster")).status_code == 302


def test_sign_out_everywhere_else_keeps_this_session(client, world, elsewhere):
    client.force_login(world.coach)
    response = client.post(reverse("sessions_end_others"), follow=True)
    assert "Signed out everywhere else" in response.content.decode()
    assert client.get(reverse("roster")).status_code == 200
    assert elsewhere.get(reverse("roster")).status_code == 302
    world.coach.refresh_from_db()
    elsewhere.force_login(world.coach)  # signing in again works as before
    assert elsewhere.get(reverse("roster")).status_code == 200
