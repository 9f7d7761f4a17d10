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


def _post_file(url, token, fields, file_bytes, key):
    """A multipart POST as a club's script sends it (urllib, no client library)."""
    boundary = "coachapp-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="export.csv"\r\n'
                 "Content-Type: text/csv\r\n\r\n".encode() + file_bytes + f"\r\n--{boundary}--\r\n".encode())
    request = urllib.request.Request(url, data=b"".join(parts), method="POST", headers={
        "Authorization": f"Token {token}", "Idempotency-Key": key,
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the test server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_clubs_script_reads_availability_and_pushes_a_nordbord_export(live_server, world):
    """The issue's "done when": over real HTTP with a token, the board read, then a NordBord
    export pushed: a name to match comes back, the file sent again with it imports."""
    from datetime import timedelta

    from django.utils import timezone

    from api.services import token_create
    from tests.factories import seed_reference_data

    seed_reference_data()  # an earlier transactional test may have emptied the test types
    token = token_create(user=world.coach, name="Club script", write=True)[1]
    status, board = _get(f"{live_server.url}/api/v1/board/?team={world.team.pk}", token)
    assert status == 200 and {row["athlete"] for row in board["results"]} == {world.athlete.pk, world.other_athlete.pk}

    day = (timezone.localdate() - timedelta(days=2)).strftime("%m/%d/%Y")
    export = ("Name,ExternalId,Date UTC,Time UTC,Device,Test,L Reps,R Reps,L Max Force (N),R Max Force (N)\n"
              f"{world.athlete.full_name},,{day},9:05 AM,NordBord,Nordic,3,3,301.5,288\n"
              f"{world.athlete.full_name},,{day},9:12 AM,NordBord,Nordic,3,3,322,310.5\n"
              f"Guest Trialist,,{day},9:30 AM,NordBord,Nordic,3,3,250,260\n").encode()
    url = f"{live_server.url}/api/v1/test-results/import/"
    fields = {"team": world.team.pk, "preset": "nordbord"}
    status, refused = _post_file(url, token, fields, export, "push-1")
    assert status == 422 and refused["error"]["code"] == "names_to_match", refused
    assert [name["name"] for name in refused["error"]["names"]] == ["Guest Trialist"]
    status, done = _post_file(url, token, {**fields, "matches": '{"Guest Trialist": "skip"}'}, export, "push-2")
    assert status == 201 and (done["imported"], done["not_kept"], done["skipped"]) == (1, 1, 1)
    status, again = _post_file(url, token, {**fields, "matches": '{"Guest Trialist": "skip"}'}, export, "push-2")
    assert status == 201 and again == done  # a retry with the same key writes nothing twice
