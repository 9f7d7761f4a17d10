from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_turns_on_two_factor_then_signs_in_with_a_recovery_code(page, live_server, world, password):
    sign_in(page, live_server.url, world.coach.email, password)
    page.get_by_role("link", name="Security").click()
    page.get_by_role("button", name="Set up two-factor sign-in").click()

    expect(page.get_by_role("img", name="QR code holding your coachapp authenticator key")).to_be_visible()
    assert_accessible(page)
    key = page.locator(".otp-key").inner_text()
    page.get_by_role("textbox", name="Code").fill(f"{TOTP(b32decode(key)).token():06d}")  # what the phone's app would show
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_text("Save these recovery codes now")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_text("Signing in needs your password and a code")).to_be_visible()
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, live_server.url, world.coach.email, password)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox", name="Code").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert").first).to_contain_text("That code is not right")
    page.get_by_role("textbox", name="Code").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
