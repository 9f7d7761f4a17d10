"""An athlete finds their time zone by typing a city on the phone; an American coach reads
American dates (reminders/time_zones.py, static/js/time-zones.js, coachapp/formats/)."""

import re

import pytest
from django.urls import reverse
from django.utils import formats, translation
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, _watch_csp, assert_accessible, assert_fits_phone, sign_in
from tests.factories import InjuryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_athlete_types_a_city_and_saves_its_time_zone(phone_page, live_server, world, password):
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.goto(live_server.url + reverse("notification_preferences"))
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("UTC")
    expect(zone.locator("optgroup").first).to_have_attribute("label", "Common time zones")
    assert_fits_phone(page)
    assert_accessible(page)

    search = page.get_by_label("Search time zones by city or country")
    search.fill("oslo")
    expect(zone).to_have_value("Europe/Oslo")
    expect(page.locator("#id_time_zone_search_status")).to_have_text(
        "1 time zone matches in the list below; selected: Oslo, Norway (Europe/Oslo)."
    )
    search.fill("sao paulo")  # typed without the accent
    expect(zone).to_have_value("America/Sao_Paulo")
    search.fill("nowhere at all")
    expect(page.locator("#id_time_zone_search_status")).to_contain_text("No time zone matches")
    expect(zone).to_have_value("America/Sao_Paulo")  # the choice stays in the list
    search.fill("norway")
    search.press("Enter")  # searches; does not save
    expect(zone).to_be_focused()
    assert_fits_phone(page)
    assert_accessible(page)

    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("Saved")
    world.athlete_user.refresh_from_db()
    assert world.athlete_user.time_zone == "Europe/Oslo"
    search.fill("")
    expect(page.get_by_label("Your time zone")).to_have_value("Europe/Oslo")


def test_an_american_coach_reads_american_dates(browser, live_server, world, password, monday):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    opened = injury.history.earliest().history_date
    with translation.override("en-us"):
        american = formats.date_format(opened, "DATE_FORMAT")
    context = browser.new_context(locale="en-US", viewport=PHONE["viewport"])
    page = _watch_csp(context.new_page())
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(live_server.url + reverse("injury_history", args=[injury.pk]))
    expect(page.locator("html")).to_have_attribute("lang", "en-us")
    expect(page.locator("main")).to_contain_text(american)
    assert re.match(r"^[A-Z][a-z]{2} \d{1,2}, \d{4}$", american)
    assert_fits_phone(page)
    context.close()
