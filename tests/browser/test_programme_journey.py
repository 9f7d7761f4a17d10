import pytest
from playwright.sync_api import expect

from programmes.models import ScheduledSession
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_assigns_the_prevention_programme_to_a_team(monday, page, live_server, world, password):
    # Pinned to a Monday: the Mon/Wed/Fri schedule then starts today, inside this month's calendar.
    sign_in(page, live_server.url, world.coach.email, password)
    page.get_by_role("link", name="Programmes", exact=True).click()
    page.get_by_role("link", name="Nordic prevention, 10 weeks").click()
    expect(page.get_by_role("heading", name="Week 1", exact=True)).to_be_visible()
    expect(page.get_by_text("rhabdomyolysis")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Assign").click()
    page.get_by_label("or a whole team").select_option(label=world.team.name)
    for day in ("Mon", "Wed", "Fri"):
        page.get_by_label(day).check()
    assert_accessible(page)
    page.get_by_role("button", name="Schedule sessions").click()
    expect(page.get_by_role("status")).to_contain_text("Scheduled")
    expect(page.get_by_role("heading", name=f"{world.team.name}: adherence and Nordic dose")).to_be_visible()
    assert ScheduledSession.objects.filter(athlete=world.athlete).count() > 20

    page.get_by_role("link", name=f"{world.athlete.last_name}, {world.athlete.first_name}").click()
    expect(page.locator("td.today .session-upcoming")).to_be_visible()
    expect(page.locator(".calendar").get_by_text("Full Nordic curl").first).to_be_visible()
    assert_accessible(page)
