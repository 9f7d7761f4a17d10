from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import InjuryFactory, seed_test_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_records_nordic_force_on_a_phone_and_sees_the_asymmetry_tick_the_checklist(phone_page, live_server, world, password):
    seed_test_types()  # live_server tests empty the database, migrations' seed data included
    injury = InjuryFactory(complaint__athlete=world.athlete, onset_date=timezone.localdate() - timedelta(days=21))
    page = phone_page
    sign_in(page, live_server.url, world.coach.email, password)

    page.goto(f"{live_server.url}/athletes/{world.athlete.pk}/")
    page.get_by_role("link", name="Record a test").click()
    page.get_by_role("link", name="Nordic eccentric peak force").click()
    page.get_by_label("Left leg (N)").fill("310")
    page.get_by_label("Right leg (N)").fill("290")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_role("status")).to_contain_text("left 310 N, right 290 N (asymmetry 6.5%)")
    expect(page.locator("dd.asymmetry[data-test=nordic]")).to_contain_text("6.5% (right weaker)")
    expect(page.get_by_role("img", name="Nordic eccentric peak force (N) over time")).to_be_visible()
    criteria = page.locator("li[data-item=strength_within_10pct]")
    expect(criteria).to_contain_text("✓ Ticked")
    expect(criteria).to_contain_text("Asymmetry 6.5%, within the 10% limit.")
    assert_accessible(page)

    page.get_by_role("link", name="open its checklist").click()
    strength = page.locator("#checklist").get_by_role("button", name="Strength within about 10% of the other side")
    expect(strength).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#checklist")).to_contain_text("ticked from the measured tests")

    # Unticking against the measurement asks why, in place (htmx), and keeps the reason.
    strength.click()
    reason = page.get_by_label("Why you untick it against the measured tests")
    expect(reason).to_be_visible()
    reason.fill("Felt a twinge at the end of the test.")
    page.get_by_role("button", name="Untick anyway").click()
    expect(page.locator("#checklist")).to_contain_text("Coach's override of the measurement: “Felt a twinge")
    expect(strength).to_have_attribute("aria-pressed", "false")
    assert_accessible(page)
    assert not injury.checks.get(item="strength_within_10pct").done
