import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in, tick
from tests.factories import InjuryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each step forward asks (injuries/pathway.py STEP_CRITERIA), as the checklist words them.
TO_REHAB = ["Walks normally without pain", "Pain at rest is 2/10 or less"]
TO_RETURN = ["Walks and jogs without pain", "Holds a strong isometric contraction without pain",
             "No pain when the muscle is pressed"]
TO_CLEARED = ["Flexibility like the other side", "Strength within about 10% of the other side",
              "Sprints at full speed without pain", "The athlete feels confident", "A doctor has cleared the athlete"]


def _change_phase(page, to_phase):
    page.get_by_label("Move to phase").select_option(to_phase)
    page.get_by_role("button", name="Change phase").click()


def test_coach_takes_a_grade_2_injury_from_protect_to_cleared_and_the_board_follows(page, live_server, world, password):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})
    row = f"tr[data-athlete='{world.athlete.pk}']"
    sign_in(page, live_server.url, world.coach.email, password)
    page.get_by_role("link", name="Availability", exact=True).first.click()
    expect(page.locator(row)).to_contain_text("Unavailable")
    assert_accessible(page)

    page.goto(f"{live_server.url}/injuries/{injury.pk}/")
    expect(page.get_by_role("img", name="Recovery timeline")).to_be_visible()
    # Phases move on by their criteria now: tick what each step asks, then move.
    for step, words, criteria in [("rehab", "rehab", TO_REHAB), ("return_to_training", "return to training", TO_RETURN)]:
        for label in criteria:
            tick(page, label)
        _change_phase(page, step)
        expect(page.get_by_role("status")).to_contain_text(f"Moved to {words}")
    page.goto(f"{live_server.url}/board/?team={world.team.pk}")
    expect(page.locator(row)).to_contain_text("Modified training")

    page.goto(f"{live_server.url}/injuries/{injury.pk}/")
    _change_phase(page, "cleared")
    refusal = page.locator("#phase-refused")
    expect(refusal).to_have_attribute("role", "alert")
    expect(refusal).to_contain_text("The phase was not changed. Not met yet:")
    for label in TO_CLEARED:
        expect(refusal).to_contain_text(label)

    checklist = page.locator("#checklist")
    open_items = checklist.locator("button[aria-pressed=false]")
    for remaining in range(open_items.count(), 0, -1):
        open_items.first.click()  # htmx swaps the checklist after each tick
        expect(open_items).to_have_count(remaining - 1)
    expect(page.locator("#criteria li[data-met=false]")).to_have_count(0)
    assert_accessible(page)
    _change_phase(page, "cleared")
    expect(page.get_by_role("status")).to_contain_text("Moved to cleared")

    page.goto(f"{live_server.url}/board/?team={world.team.pk}")
    expect(page.locator(row)).to_contain_text("Available")
    expect(page.locator(row)).to_contain_text("recurrence risk")
