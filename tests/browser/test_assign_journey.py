"""A coach assigns the Nordic programme to an athlete, then to the athlete's whole team: the page
says what already exists and asks; replacing leaves one session a day. At 390 px the coach's
calendar is a list by day, and the athlete's calendar link can be copied and subscribed to."""

from collections import Counter

import pytest
from playwright.sync_api import expect

from programmes.models import ScheduledSession
from programmes.services import calendar_token_regenerate
from tests.browser.conftest import PHONE_WIDTH, assert_accessible, assert_fits_phone, sign_in
from tests.factories import library_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def browser_context_args(browser_context_args):
    """The coach at a desk: 1280 × 800 (the phone journeys use their own 390 × 844 context)."""
    return {**browser_context_args, "viewport": DESKTOP}


def _assign(page, base_url, world, *, athlete=None, team=None):
    page.goto(f"{base_url}/programmes/templates/{library_template().pk}/assign/")
    if athlete:
        page.get_by_label("Athlete").select_option(value=str(athlete.pk))
    if team:
        page.get_by_label("or a whole team").select_option(label=team.name)
    for day in ("Mon", "Wed", "Fri"):
        page.get_by_label(day).check()
    page.get_by_role("button", name="Schedule sessions").click()
    page.wait_for_load_state()


def _assign_twice_and_replace(page, base_url, world, password, *, phone):
    sign_in(page, base_url, world.coach.email, password)
    _assign(page, base_url, world, athlete=world.athlete)
    expect(page.get_by_role("status")).to_contain_text("Scheduled")
    per_athlete = library_template().sessions.count()
    assert ScheduledSession.objects.filter(athlete=world.athlete).count() == per_athlete

    _assign(page, base_url, world, team=world.team)
    warning = page.get_by_role("region", name=f"{world.athlete.full_name} already has a programme on these dates")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text(library_template().name)
    expect(warning).to_contain_text("The other 1 athlete has nothing on these dates")
    assert ScheduledSession.objects.filter(athlete=world.athlete).count() == per_athlete  # nothing doubled yet
    assert not ScheduledSession.objects.filter(athlete=world.other_athlete).exists()
    assert_accessible(page)
    if phone:
        assert_fits_phone(page)

    warning.get_by_role("button", name="Replace").click()
    expect(page.get_by_role("status")).to_contain_text("replaced")
    expect(page.get_by_role("heading", name=f"{world.team.name}: adherence and Nordic dose")).to_be_visible()
    for athlete in (world.athlete, world.other_athlete):
        days = Counter(ScheduledSession.objects.filter(athlete=athlete).values_list("date", flat=True))
        assert sum(days.values()) == per_athlete and max(days.values()) == 1
    expect(page.get_by_text("This week so far").first).to_be_attached()
    assert_accessible(page)
    if phone:
        assert_fits_phone(page)


def test_assigning_again_at_a_desk_asks_and_replace_leaves_one_session_a_day(monday, page, live_server, world, password):
    _assign_twice_and_replace(page, live_server.url, world, password, phone=False)
    page.goto(f"{live_server.url}/athletes/{world.athlete.pk}/programme/")
    expect(page.locator(".calendar thead")).to_be_visible()  # the month grid at a desk
    expect(page.locator("td.today .session-upcoming")).to_be_visible()
    assert_accessible(page)


def test_assigning_again_on_a_phone_and_the_calendar_is_a_list_by_day(monday, phone_page, live_server, world, password):
    page = phone_page
    _assign_twice_and_replace(page, live_server.url, world, password, phone=True)
    page.goto(f"{live_server.url}/athletes/{world.athlete.pk}/programme/")
    assert page.evaluate("window.innerWidth") == PHONE_WIDTH
    expect(page.locator(".calendar thead")).to_be_hidden()
    today = page.locator("td.today")
    expect(today.locator(".day")).to_contain_text("(today)")
    expect(today.locator(".day")).to_contain_text("Monday")
    expect(today.locator(".session-upcoming")).to_be_visible()
    expect(page.locator("td.no-sessions").first).to_be_hidden()  # only days with sessions
    shown = page.locator(".calendar td:visible").count()
    dated = ScheduledSession.objects.filter(athlete=world.athlete).values("date").distinct().count()
    assert 0 < shown <= dated
    # No overlapping words: every session box fits inside its day.
    assert page.evaluate(
        "[...document.querySelectorAll('.calendar td:not(.no-sessions) .session')]"
        ".every(s => s.scrollWidth <= s.clientWidth + 1)"
    )
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 9000, height  # it was 17,600 px as a squeezed grid
    assert_fits_phone(page)
    assert_accessible(page)


def test_the_athlete_copies_the_calendar_link_and_can_subscribe(monday, phone_page, live_server, world, password):
    page = phone_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    token = calendar_token_regenerate(athlete=world.athlete)
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.goto(f"{live_server.url}/me/calendar/")
    feed = page.get_by_label("Your calendar link").input_value()
    assert feed.endswith(f"/calendar/{token}.ics")
    subscribe = page.get_by_role("link", name="Subscribe in my calendar app")
    expect(subscribe).to_have_attribute("href", "webcal://" + feed.split("://", 1)[1])
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#feed-url-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == feed
    assert_fits_phone(page)
    assert_accessible(page)


def test_without_a_clipboard_the_link_is_selected_to_copy_by_hand(monday, phone_page, live_server, world, password):
    page = phone_page
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    calendar_token_regenerate(athlete=world.athlete)
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.goto(f"{live_server.url}/me/calendar/")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator("#feed-url-status")).to_contain_text("Selected")
    selected = page.evaluate("(() => { const i = document.getElementById('feed-url'); return [i.selectionStart, i.selectionEnd, i.value.length]; })()")
    assert selected[0] == 0 and selected[1] == selected[2] > 0
    expect(page.get_by_label("Your calendar link")).to_be_focused()
