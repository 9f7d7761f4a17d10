"""A coach imports the team's GPS export on a phone, without a line of JavaScript doing the work:
upload, match the columns, save the mapping, import; and a bad file's problems by line. Each step
fits a 390 px screen and passes axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from monitoring.models import GpsMapping, GpsRow
from tests.browser.conftest import assert_accessible, assert_fits_phone, sign_in
from tests.factories import AthleteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _export(tmp_path, rows) -> str:
    path = tmp_path / "our-export.csv"
    path.write_text("athlete,day,mins,dist_m,hsr_m,top_speed_kmh\n" + "".join(rows))
    return str(path)


def test_a_coach_maps_an_export_on_a_phone_and_a_bad_file_lists_its_problems(phone_page, live_server, world, password, tmp_path):
    AthleteFactory(team=world.team, first_name="Zoë", last_name="Müller", email="zoe@example.com")
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    page = phone_page
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/teams/{world.team.pk}/gps/import/")
    assert_fits_phone(page)
    assert_accessible(page)

    page.get_by_label("CSV file").set_input_files(_export(tmp_path, [f"Zoe Muller,{day},75,6000,480,33.1\n"]))
    page.get_by_label("How to read its columns").select_option(label="Map the columns myself")
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Match the file's columns")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_label("Date (required)").select_option("day")
    page.get_by_label("Duration (required)").select_option("mins")
    page.get_by_label("Total distance (m) (required)").select_option("dist_m")
    page.get_by_label("High-speed running distance (m) (required)").select_option("hsr_m")
    page.get_by_label("Maximal velocity:", exact=True).select_option("top_speed_kmh")
    page.get_by_label("Speed unit of the maximal velocity").select_option("km/h")
    page.get_by_label("Save this mapping as").fill("Our export")
    page.get_by_role("button", name="Import", exact=True).click()
    page.wait_for_load_state()
    assert GpsRow.objects.count() == 1 and GpsMapping.objects.get().name == "Our export"

    # Next time the saved mapping is chosen already: a bad file, every problem by line.
    page.goto(f"{live_server.url}/teams/{world.team.pk}/gps/import/")
    bad = [f"Nobody With A Very Long Name Indeed,{day},75,6000,480,33.1\n", f"Zoe Muller,{day},75,400,480,33.1\n"]
    page.get_by_label("CSV file").set_input_files(_export(tmp_path, bad))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    expect(page.get_by_text("The file has 2 problems")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    assert GpsRow.objects.count() == 1
