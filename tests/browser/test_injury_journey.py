import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import InjuryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_takes_a_grade_2_injury_from_protect_to_cleared_and_the_board_follows(page, live_server, world, password):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})
    row = f"tr[data-athlete='{world.athlete.pk}']"
    sign_in(page, live_server.url, world.coach.email, password)
    page.get_by_role("link", name="Availability", exact=True).first.click()
    expect(page.locator(row)).to_contain_text("Unavailable")
    assert_accessible(page)

    page.goto(f"{live_server.url}/injuries/{injury.pk}/")
    expect(page.get_by_role("img", name="Recovery timeline")).to_be_visible()
    phase = page.get_by_label("Move to phase")
    for step in ["rehab", "return_to_training"]:
        phase.select_option(step)
        page.get_by_role("button", name="Change phase").click()
        expect(page.get_by_role("status")).to_contain_text("Moved to")
    page.goto(f"{live_server.url}/board/?team={world.team.pk}")
    expect(page.locator(row)).to_contain_text("Modified training")

    page.goto(f"{live_server.url}/injuries/{injury.pk}/")
    page.get_by_label("Move to phase").select_option("cleared")
    page.get_by_role("button", name="Change phase").click()
    expect(page.get_by_role("alert").filter(has_text="complete the checklist")).to_be_visible()

    checklist = page.locator("#checklist")
    open_items = checklist.locator("button[aria-pressed=false]")
    for remaining in range(open_items.count(), 0, -1):
        open_items.first.click()  # htmx swaps the checklist after each tick
        expect(open_items).to_have_count(remaining - 1)
    assert_accessible(page)
    page.get_by_label("Move to phase").select_option("cleared")
    page.get_by_role("button", name="Change phase").click()
    expect(page.get_by_role("status")).to_contain_text("Moved to cleared")

    page.goto(f"{live_server.url}/board/?team={world.team.pk}")
    expect(page.locator(row)).to_contain_text("Available")
    expect(page.locator(row)).to_contain_text("recurrence risk")
