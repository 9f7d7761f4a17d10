"""An athlete who lifts in pounds, on a 390 × 844 phone: chooses pounds in settings, logs today's
sets with a load (one typed, the rest tapped), finishes, and reads the history's dated pain line
and weekly volume in pounds. No console error and no Content Security Policy violation on the way
(an empty inline style during the taps was one)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from programmes import loads, services
from programmes.models import Exercise, ProgrammeTemplate, SetLog, TemplateEntry, TemplateSession
from tests.browser.conftest import assert_accessible, assert_fits_phone, settle_htmx, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


LEAVE_EMPTY_STYLES = """() => document.querySelectorAll('.set, .set input').forEach(element => {
  element.style.color = 'red';
  element.style.color = '';
})"""


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def _three_mondays(world):
    """A hinge and a curl on each of three Mondays: two weeks ago, last week, and today.
    The first two were logged in kilograms and finished."""
    today = timezone.localdate()
    template = ProgrammeTemplate.objects.create(name="Mondays", kind="prevention", owner=world.coach)
    for week in (1, 2, 3):
        session = TemplateSession.objects.create(template=template, week=week, order=1, title=f"Week {week}")
        for order, key in enumerate(["rdl_dumbbell", "curl_slider"], start=1):
            TemplateEntry.objects.create(session=session, order=order, exercise=Exercise.objects.get(key=key))
    start = today - timedelta(weeks=2)
    services.programme_assign(template=template, athletes=[world.athlete], start_date=start, weekdays=[0],
                              assigned_by=world.coach)
    sessions = list(world.athlete.scheduled_sessions.order_by("date"))
    assert [s.date for s in sessions] == [start, start + timedelta(weeks=1), today]
    for session, kg, pain in zip(sessions[:2], (20, 25), (4, 2), strict=True):
        with time_machine.travel(timezone.make_aware(datetime.combine(session.date, time(10)))):
            rdl = session.exercises.get(exercise__key="rdl_dumbbell")
            for number in (1, 2, 3):
                services.set_log(prescribed=rdl, set_number=number, reps=8, load_kg=Decimal(kg))
            services.session_complete(session=session, worst_pain=pain, sharp_pain=False)
    return sessions


def test_an_athlete_logs_sets_in_pounds_and_reads_dated_pain_and_weekly_volume(monday, phone_page, live_server, world, password):
    sessions = _three_mondays(world)
    page = phone_page
    errors = _console_errors(page)
    sign_in(page, live_server.url, world.athlete_user.email, password)

    # Settings: weights in pounds.
    page.get_by_role("link", name="My settings: reminders, time zone, weights in kg or lb").click()
    page.get_by_label("Weights in").select_option("lb")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Loads now show in pounds (lb).")
    assert_fits_phone(page)
    assert_accessible(page)

    # Today's session: the first hinge set typed in pounds, the other two tapped.
    page.goto(f"{live_server.url}/me/")
    page.get_by_role("link", name="Start today's session").click()
    # Another script on the phone (a password manager, a translation tool) may leave an empty
    # style attribute on the sets: a swap must not copy it, which the policy would refuse.
    page.evaluate(LEAVE_EMPTY_STYLES)
    hinge = page.locator("section.exercise").filter(has_text="Dumbbell Romanian deadlift")
    first = hinge.locator(".set").nth(0)
    first.get_by_text("Change").click()
    first.get_by_label("Reps done").fill("8")
    load_box = first.get_by_label("Load (lb)")
    assert (load_box.get_attribute("type"), load_box.get_attribute("step"), load_box.get_attribute("inputmode")) == (
        "number", "0.5", "decimal")
    load_box.fill("45")
    first.get_by_role("button", name="Save set 1").click()
    expect(hinge.locator(".set").nth(0).locator(".set-button")).to_contain_text("8 reps · 45 lb")
    for index in (1, 2):
        button = hinge.locator(".set").nth(index).locator(".set-button")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
        expect(button).to_contain_text("45 lb")
    curl = page.locator("section.exercise").filter(has_text="Slider hamstring curl")
    assert curl.locator(".set").count() == 3
    for index in range(3):
        button = curl.locator(".set").nth(index).locator(".set-button")
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")
    settle_htmx(page)
    todays = sessions[2]
    hinge_loads = set(SetLog.objects.filter(prescribed__session=todays, prescribed__exercise__key="rdl_dumbbell")
                      .values_list("load_kg", flat=True))
    assert hinge_loads == {loads.to_kg(Decimal(45), loads.LB)}
    assert_fits_phone(page)
    assert_accessible(page)

    page.locator(".question").filter(has_text="Worst pain").get_by_text("1", exact=True).click()
    page.locator(".question").filter(has_text="sharp").get_by_text("No", exact=True).click()
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").first).to_contain_text("Session saved")

    # History: the pain line with its dates and scale, the weekly volume in pounds.
    page.get_by_role("link", name="My past sessions").click()
    first_day, last_day = (f"{d.day} {d:%b}" for d in (sessions[0].date, todays.date))
    spark = page.locator("figure.spark")
    expect(spark.locator("figcaption")).to_contain_text(f"{first_day} to {last_day}")
    expect(page.get_by_role("img", name=f"from {first_day} to {last_day}")).to_be_visible()
    assert spark.locator("svg text").all_text_contents() == ["10", "0", first_day, last_day]
    spark.get_by_text("Show the pain as a table").click()
    expect(spark.get_by_role("table")).to_contain_text("4/10")

    volumes = [loads.volume_text(Decimal(24 * kg), loads.LB) for kg in (20, 25)]
    volumes.append(loads.volume_text(Decimal(24) * loads.to_kg(Decimal(45), loads.LB), loads.LB))
    assert volumes == ["1,058 lb", "1,323 lb", "1,080 lb"]
    chart = page.get_by_role("img", name="Volume per week: reps × load, in lb")
    expect(chart).to_be_visible()
    assert [t for t in page.locator(".volume-chart text").all_text_contents() if t.endswith(" lb")] == volumes
    weeks = page.locator("figure").filter(has=page.locator(".volume-chart"))
    weeks.get_by_text("Show the weeks as a table").click()
    expect(weeks.get_by_role("table")).to_contain_text("1,080 lb")
    expect(page.get_by_role("cell", name="8 × 45 lb, 8 × 45 lb, 8 × 45 lb")).to_be_visible()
    assert_fits_phone(page)
    assert_accessible(page)

    settle_htmx(page)
    assert not errors, errors
