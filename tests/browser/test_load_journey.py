"""Load and wellness on a phone (issue 20): the athlete logs a session's effort and the morning
check with taps. The coach's side of the journey follows here later."""

import pytest
from playwright.sync_api import expect

from monitoring.models import SessionRpe, Wellness
from tests.browser.conftest import assert_accessible, assert_fits_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tap(page, question: str, answer: str):
    """Tap one answer of one question, as a thumb does: on its words."""
    row = page.locator(".question").filter(has_text=question)
    row.get_by_text(answer, exact=True).click()
    expect(row.get_by_role("radio", name=answer, exact=True)).to_be_checked()


def effort(page, number: int):
    """Tap the effort button of this number (its words follow the number)."""
    page.locator(".effort-scale").get_by_text(str(number), exact=True).click()
    expect(page.locator(f"input[name='rpe'][value='{number}']")).to_be_checked()


def test_athlete_logs_effort_and_wellness_on_a_phone(phone_page, live_server, world, password):
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    cards = page.get_by_role("navigation", name="Daily logs")
    expect(cards.get_by_role("link", name="Morning check (5 taps)")).to_be_visible()
    expect(cards).not_to_contain_text("Done today")

    # About 30 minutes after training: how hard, how long.
    cards.get_by_role("link", name="How hard was training?").click()
    expect(page.get_by_role("heading", name="How hard was training?", level=1)).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    expect(page.get_by_role("radio", name="Training")).to_be_checked()
    effort(page, 6)
    tap(page, "How many minutes?", "75 min")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Saved")).to_be_visible()
    saved = page.locator(".effort-saved")
    expect(saved).to_contain_text("effort 6 × 75 min = load 450")
    expect(saved).to_contain_text("This week so far: load 450")
    expect(page.locator(".effort-list")).to_contain_text("effort 6 · 75 min · load 450")
    assert_accessible(page)
    assert_fits_phone(page)
    row = SessionRpe.objects.get()
    assert (row.athlete, row.kind, row.rpe, row.minutes, row.hamstring_pain) == (world.athlete, "training", 6, 75, None)

    # Logged again: it is corrected, and the page says so.
    effort(page, 7)
    expect(page.get_by_role("radio", name="7 Very hard")).to_be_checked()
    tap(page, "How many minutes?", "75 min")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Updated")).to_be_visible()
    expect(page.locator(".effort-saved")).to_contain_text("load 525")
    assert SessionRpe.objects.get().rpe == 7

    # The morning check: one tap a row, then Save.
    page.get_by_role("link", name="Back to my sessions").first.click()
    page.get_by_role("navigation", name="Daily logs").get_by_role("link", name="Morning check (5 taps)").click()
    expect(page.get_by_role("heading", name="Morning check", level=1)).to_be_visible()
    assert_accessible(page)
    assert_fits_phone(page)
    tap(page, "Last night's sleep", "Good")
    tap(page, "General soreness", "2")
    tap(page, "Left hamstring tightness", "1")
    tap(page, "Right hamstring tightness", "0")
    tap(page, "Mood", "Very good")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Thanks — your coach can see this.")).to_be_visible()
    expect(page.locator(".question").filter(has_text="Mood").get_by_role("radio", name="Very good")).to_be_checked()
    assert_accessible(page)
    assert_fits_phone(page)
    check = Wellness.objects.get()
    assert (check.sleep, check.soreness, check.tightness_left, check.tightness_right, check.mood) == (4, 2, 1, 0, 5)

    page.get_by_role("link", name="Back to my sessions").first.click()
    expect(page.get_by_role("navigation", name="Daily logs")).to_contain_text("Done today")
