import re

import pytest
from playwright.sync_api import expect

from athletes.models import Athlete, Invitation
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coach_adds_and_invites_an_athlete_then_finds_them(page, live_server, world, password, mailoutbox):
    sign_in(page, live_server.url, world.coach.email, password)
    expect(page.get_by_role("heading", name="Your teams")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add an athlete").first.click()
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Haddad")
    page.get_by_label("Email").fill("noor.haddad@example.com")
    page.get_by_label("Position").fill("Scrum-half")
    page.get_by_label("Invite them to coachapp").check()
    assert_accessible(page)
    page.get_by_role("button", name="Add athlete").click()
    expect(page.get_by_role("heading", name="Noor Haddad")).to_be_visible()
    expect(page.get_by_text("invited them by email")).to_be_visible()
    assert Invitation.objects.filter(athlete__last_name="Haddad").exists()
    assert len(mailoutbox) == 1

    page.get_by_role("link", name="Roster", exact=True).click()
    search = page.get_by_label("Search by name, position or sport")
    search.fill("hadd")
    # htmx swaps only the results and pushes the search into the address bar.
    expect(page).to_have_url(re.compile(r"q=hadd"))
    results = page.locator("#roster-results")
    expect(results.get_by_role("link", name="Haddad, Noor")).to_be_visible()
    expect(results.get_by_text("1 athlete", exact=True)).to_be_visible()
    assert_accessible(page)


def test_invalid_athlete_form_shows_errors_in_the_browser(page, live_server, world, password):
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/athletes/new/")
    page.get_by_label("Date of birth").fill("2999-01-01")
    page.get_by_role("button", name="Add athlete").click()
    expect(page.get_by_text("Date of birth cannot be in the future.")).to_be_visible()
    expect(page.get_by_role("alert").first).to_contain_text("problem")
    assert not Athlete.objects.filter(date_of_birth__year=2999).exists()


def test_athlete_signs_in_on_a_phone_and_sees_their_home(phone_page, live_server, world, password):
    sign_in(phone_page, live_server.url, world.athlete_user.email, password)
    expect(phone_page.get_by_role("heading", name="Your sessions")).to_be_visible()
    expect(phone_page.get_by_text(world.team.name)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the athlete home scrolls sideways on a phone"
    assert_accessible(phone_page)


def test_invited_athlete_accepts_on_a_phone(phone_page, live_server, world):
    from tests.factories import AthleteFactory, InvitationFactory

    athlete = AthleteFactory(team=world.team, first_name="Ines", email="ines@example.com")
    InvitationFactory(token="browser-token-123", team=world.team, athlete=athlete, email=athlete.email)
    phone_page.goto(f"{live_server.url}/invitations/browser-token-123/")
    assert_accessible(phone_page)
    phone_page.get_by_label(re.compile(r"^Password:?$")).fill("strong-hamstring-77")
    phone_page.get_by_label("Password again").fill("strong-hamstring-77")
    phone_page.get_by_role("button", name="Create my account").click()
    expect(phone_page.get_by_role("heading", name="Hi Ines")).to_be_visible()
