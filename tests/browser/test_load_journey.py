"""Load and wellness on a phone (issue 20): the athlete logs a session's effort and the morning
check with taps; the coach, at a desk, sees the spike in high-speed running and the
recurrence-watch flags those answers raise (docs/load-and-risk.md)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from injuries.models import Injury, Phase
from monitoring.models import GpsRow, MaxVelocity, SessionRpe, Wellness
from tests.browser.conftest import assert_accessible, assert_fits_phone, sign_in
from tests.factories import ComplaintFactory, InjuryFactory

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


def _back_from_a_strain_with_a_spike(world):
    """The athlete cleared from a grade 1 strain 20 days ago (in the recurrence watch); GPS in each
    of the five weeks before this one, the last of them 2.5 times the four before; the left
    hamstring a little tighter yesterday than the day before."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    InjuryFactory(complaint=ComplaintFactory(athlete=world.athlete, reported_by=world.coach))
    Injury.objects.filter(athlete=world.athlete).update(phase=Phase.CLEARED, cleared_on=today - timedelta(days=20),
                                                        classification="grade_1")
    MaxVelocity.objects.create(athlete=world.athlete, velocity=D("9.50"), measured_on=today - timedelta(days=60), source="coach")
    runs = [(weeks, 400) for weeks in (5, 4, 3, 2)] + [(1, 1000)]
    GpsRow.objects.bulk_create(
        GpsRow(athlete=world.athlete, date=monday - timedelta(weeks=weeks) + timedelta(days=1), minutes=70,
               total_distance_m=6000, hsr_m=hsr, max_velocity=D("9.0"))
        for weeks, hsr in runs
    )
    for days, left in ((2, 0), (1, 1)):
        Wellness.objects.create(athlete=world.athlete, date=today - timedelta(days=days), sleep=4, soreness=2,
                                tightness_left=left, tightness_right=0, mood=4)


def test_the_athlete_logs_on_a_phone_and_the_coach_sees_the_spike_and_the_watch_flags(
    monday, phone_page, browser, live_server, world, password
):
    _back_from_a_strain_with_a_spike(world)
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    cards = page.get_by_role("navigation", name="Daily logs")
    cards.get_by_role("link", name="How hard was training?").click()
    effort(page, 6)
    tap(page, "How many minutes?", "75 min")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".effort-saved")).to_contain_text("load 450")
    page.get_by_role("link", name="Back to my sessions").first.click()
    page.get_by_role("navigation", name="Daily logs").get_by_role("link", name="Morning check (5 taps)").click()
    tap(page, "Last night's sleep", "Good")
    tap(page, "General soreness", "2")
    tap(page, "Left hamstring tightness", "2")  # tighter a second morning running
    tap(page, "Right hamstring tightness", "0")
    tap(page, "Mood", "Good")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Thanks — your coach can see this.")).to_be_visible()
    assert_fits_phone(page)

    coach = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(coach, live_server.url, world.coach.email, password)
    coach.get_by_role("link", name="Recurrence watch").first.click()
    card = coach.locator(".team-watch-athlete").filter(has_text=world.athlete.full_name)
    expect(card.get_by_text("High-speed running spike")).to_be_visible()
    expect(card).to_contain_text("2.5×")
    expect(card.get_by_text("Tightness rising")).to_be_visible()
    expect(card).to_contain_text("The left hamstring felt tighter 2 mornings running.")
    expect(card).to_contain_text("Source: Duhig 2016")
    assert_accessible(coach)

    card.get_by_role("link", name=world.athlete.full_name).click()
    expect(coach.get_by_role("heading", name=f"{world.athlete.full_name}: load, exposure and risk")).to_be_visible()
    spike_week = coach.locator("tr.row-warn")
    expect(spike_week).to_have_count(1)
    expect(spike_week).to_contain_text("Spike")
    assert_accessible(coach)

    coach.go_back()
    coach.get_by_role("link", name="Weekly load").first.click()
    expect(coach.locator("tr").filter(has_text=world.athlete.full_name)).to_contain_text("450")
    assert_accessible(coach)
    coach.context.close()
