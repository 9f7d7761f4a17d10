"""A coach adds a webhook on a phone (390 × 844): the secret shown once, a long address and the
list of deliveries never widen the page, axe finds nothing serious, and the CSP holds."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_phone, sign_in
from webhooks.models import Delivery, Endpoint, WebhookEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_URL = "https://receiver.club-medical-records.example.com/" + "integrations-coachapp-" * 6 + "hamstrings"


def test_a_coach_adds_a_webhook_on_a_phone(phone_page, live_server, world, password):
    page = phone_page
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Webhooks").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alpha: webhooks")
    assert_fits_phone(page)

    page.get_by_label("Address that receives the updates").fill(LONG_URL)
    page.get_by_label("An injury opened").check()
    page.get_by_label("An athlete cleared to return").check()
    page.get_by_role("button", name="Add", exact=True).click()
    endpoint = Endpoint.objects.get()
    expect(page.get_by_text(endpoint.secret)).to_be_visible()
    event = WebhookEvent.objects.create(type="injury.opened", key="journey", team=world.team,
                                        athlete_id=world.athlete.pk, payload={}, created_at=timezone.now())
    Delivery.objects.create(event=event, endpoint=endpoint, status="failed", last_error="could not resolve the host")
    assert_fits_phone(page)
    assert_accessible(page)

    page.reload()
    expect(page.get_by_text(endpoint.secret)).to_have_count(0)
    expect(page.get_by_role("button", name="Send again")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name=f"Switch off {LONG_URL}").click()
    expect(page.get_by_text("Switched off by a coach.")).to_be_visible()
