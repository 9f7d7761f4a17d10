"""A coach imports a NordBord export on a phone: the review fits 390 px, a name is chosen, then it imports."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from testing.models import TestResult
from tests.browser.conftest import assert_accessible, assert_fits_phone, sign_in
from tests.factories import AthleteFactory, seed_test_types

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLE = Path(__file__).parent.parent / "testing" / "samples" / "nordbord.csv"


def test_coach_reviews_a_nordbord_export_chooses_a_name_and_imports_it(phone_page, live_server, world, password):
    seed_test_types()  # live_server tests empty the database, migrations' seed data included
    for first, last, email in [("Zoë", "Müller", "zoe@example.com"), ("Sam", "Taylor", "sam@example.com"),
                               ("Alex", "Morgan", "alex.morgan@example.com"), ("Jonathan", "Smith", "jon@example.com")]:
        AthleteFactory(team=world.team, first_name=first, last_name=last, email=email)
    page = phone_page
    with time_machine.travel(datetime(2026, 4, 2, 12, 0, tzinfo=UTC), tick=True):
        sign_in(page, live_server.url, world.coach.email, password)
        page.goto(f"{live_server.url}/teams/{world.team.pk}/tests/import/")
        assert_fits_phone(page)
        page.get_by_label("File format").select_option(label="VALD NordBord export")
        page.locator("#id_file").set_input_files(str(SAMPLE))
        page.get_by_role("button", name="Check the file").click()

        expect(page.get_by_role("heading", name="Nothing is saved yet")).to_be_visible()
        expect(page.locator("main")).to_contain_text("yes, the best of 3")
        assert_fits_phone(page)
        assert_accessible(page)
        page.get_by_label("“Jon Smyth” (line 7)").select_option(label="Jonathan Smith")
        page.get_by_role("button", name="Import").click()

        expect(page.get_by_role("status")).to_contain_text("Imported 4 results for 4 athletes.")
    assert TestResult.objects.count() == 4
