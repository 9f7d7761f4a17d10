"""The API's pages in a browser: the security page's tokens section (a token made, shown once,
used, revoked) on a phone, and the docs page rendered from the installed Swagger UI under the CSP."""

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the test server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_coach_makes_a_token_uses_it_and_revokes_it(phone_page, live_server, world, password):
    page = phone_page
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/accounts/two-factor/")
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    page.get_by_label("What it is for").fill("Club dashboard")
    page.get_by_label("Read and write").check()
    page.get_by_role("button", name="Make a token").click()
    expect(page.get_by_text("Copy this token now")).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    token = page.locator(".otp-key").inner_text()

    status, body = _get(f"{live_server.url}/api/v1/teams/", token)
    assert status == 200 and [team["name"] for team in body["results"]] == [world.team.name]

    page.get_by_role("link", name="I have copied it").click()
    expect(page.get_by_text("Club dashboard")).to_be_visible()
    assert token not in page.content()
    assert_accessible(page)
    assert_fits_phone(page)
    page.get_by_role("button", name="Revoke Club dashboard").click()
    expect(page.get_by_text("The token is revoked")).to_be_visible()
    status, body = _get(f"{live_server.url}/api/v1/teams/", token)
    assert status == 401 and body["error"]["code"] == "authentication_failed"


def test_the_docs_page_renders_from_installed_files(page, live_server):
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.get_by_text("coachapp API").first).to_be_visible(timeout=15000)
    expect(page.get_by_text("/api/v1/triage").first).to_be_visible()
