"""The clinical pathway end to end in a browser (docs/clinical-rules.md#urgent-pathway): an urgent case sends the
athlete to a doctor and holds their loaded work; a grade 2 moves through its phases by criteria;
an athlete's own urgent report holds their work before any coach has seen it."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from injuries.examples import FORM_ANSWERS, form_answers
from injuries.models import Complaint, Injury
from phone import selectors as phone_words
from programmes import gating
from programmes.models import ScheduledSession
from programmes.services import programme_assign
from tests.browser.conftest import (
    answer_every_question,
    assert_accessible,
    assert_fits_phone,
    settle_htmx,
    sign_in,
    tick,
)
from tests.factories import library_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}
LOADED_WORDS = re.compile(r"nordic|romanian|deadlift|curl|\brdl\b|hinge, partial", re.IGNORECASE)


@pytest.fixture
def browser_context_args(browser_context_args):
    """The coach works at a desk: 1280 × 800 (the athlete's phone has its own context)."""
    return {**browser_context_args, "viewport": DESKTOP}


def _on_the_nordic_programme(world):
    """The Nordic prevention programme from today, on today's weekday and two others."""
    today = timezone.localdate()
    weekdays = sorted({today.weekday(), (today.weekday() + 2) % 7, (today.weekday() + 4) % 7})
    programme_assign(
        template=library_template(), athletes=[world.athlete], start_date=today, weekdays=weekdays,
        assigned_by=world.coach,
    )
    session = ScheduledSession.objects.get(athlete=world.athlete, date=today)
    names = list(session.exercises.values_list("exercise__name", flat=True))
    assert any("Nordic" in name for name in names), names  # today's session is loaded work, before anything
    return session


def _log_complaint(page, live_server, athlete, answers, expected_label):
    page.goto(f"{live_server.url}/athletes/{athlete.pk}/")
    page.get_by_role("link", name="Log a complaint").click()
    expect(page.locator("#triage-preview")).to_contain_text("once every question is answered")
    answer_every_question(page, answers)
    expect(page.locator("#triage-preview")).to_contain_text(expected_label)
    assert_accessible(page)
    page.get_by_role("button", name="Save and triage").click()
    expect(page.get_by_role("status")).to_contain_text("Injury opened in protect")


def _assert_gentle_holds_only(page, reason):
    """Today's session on the athlete's home: isometric holds only, and why."""
    today = page.get_by_role("region", name="Today's session")
    expect(today).to_be_visible()
    names = today.locator(".exercise-list > li strong")
    expect(names.first).to_be_visible()
    shown = names.all_inner_texts()
    assert shown, "today's session lists no exercise"
    assert all(re.search(r"isometric|hold", name, re.IGNORECASE) for name in shown), shown
    assert not any(LOADED_WORDS.search(name) for name in shown), shown
    expect(today.locator(".exercise-list")).not_to_contain_text("Nordic")
    note = today.locator(".gating-note")
    expect(note.get_by_role("heading")).to_have_text(re.compile(r"Why (this session is lighter|only gentle holds)"))
    expect(note).to_contain_text(reason)
    return shown


def _assert_doctor_first(page):
    """"See a doctor" is the first thing on the athlete's home, above today's session."""
    doctor = page.get_by_role("alert").filter(has=page.get_by_role("heading", name="See a doctor"))
    expect(doctor).to_be_visible()
    expect(doctor).to_be_in_viewport()
    expect(page.locator("main h2").first).to_have_text("See a doctor")
    doctor_y = doctor.bounding_box()["y"]
    assert doctor_y < page.get_by_role("heading", name="Today's session").bounding_box()["y"]
    return doctor


# --- a. A grade 3 logged by the coach ----------------------------------------------------------------


def test_coach_logs_a_grade_3_and_the_athlete_is_sent_to_a_doctor_with_holds_only(
    monday, page, phone_page, live_server, world, password
):
    session = _on_the_nordic_programme(world)

    sign_in(page, live_server.url, world.coach.email, password)
    assert page.viewport_size == DESKTOP
    _log_complaint(page, live_server, world.athlete, FORM_ANSWERS["grade_3"], "Grade 3 strain")

    expect(page.locator("dd[data-classification=grade_3]").first).to_be_visible()
    waiting = page.locator("#waiting-for-doctor")
    expect(waiting).to_contain_text("Waiting for a doctor's review")
    # The advice follows the referral: stop and see a doctor.
    advice = re.compile(r"Current advice\s*Stop training now and see a doctor")
    expect(page.get_by_role("region", name="Summary")).to_contain_text(advice)
    expect(page.locator("#next-step")).to_contain_text("A doctor's review is recorded")
    expect(page.locator("#criteria li[data-criterion=doctor_review]")).to_have_attribute("data-met", "false")
    expect(page.locator("#criteria li[data-criterion=doctor_review]")).to_contain_text("no reason can replace it")
    assert_accessible(page)
    injury = Injury.objects.get(athlete=world.athlete)
    assert (injury.classification, injury.referral, injury.phase) == ("grade_3", "urgent", "protect")
    settle_htmx(page)

    # The athlete, on their phone.
    phone = phone_page
    sign_in(phone, live_server.url, world.athlete_user.email, password)
    expect(_assert_doctor_first(phone)).to_contain_text(phone_words.REASON_WAITING_FOR_DOCTOR)
    shown = _assert_gentle_holds_only(phone, gating.REASON_WAITING_FOR_DOCTOR)
    assert_fits_phone(phone)
    assert_accessible(phone)

    # The session itself says the same.
    phone.get_by_role("link", name="Start today's session").click()
    expect(phone).to_have_url(re.compile(rf"/me/sessions/{session.pk}/$"))
    headings = phone.locator("section.exercise h2").all_inner_texts()
    assert headings == shown, (headings, shown)
    expect(phone.locator("main")).not_to_contain_text("Nordic curl")
    expect(phone.locator(".gating-note")).to_contain_text(gating.REASON_WAITING_FOR_DOCTOR)
    assert_fits_phone(phone)
    assert_accessible(phone)
    settle_htmx(phone)


# --- b. A grade 2 through every phase, by its criteria ---------------------------------------------

STEPS = [
    ("rehab", "rehab", ["walks_pain_free", "rest_pain_low"], []),
    ("return_to_training", "return to training", ["walk_jog_pain_free", "isometric_pain_free", "no_pain_on_touch"], []),
    (
        "cleared",
        "cleared",
        ["flexibility_matches", "strength_within_10pct", "sprint_pain_free", "athlete_confident", "doctor_clearance"],
        # already ticked on the way to return to training, and asked again to clear
        ["walk_jog_pain_free", "no_pain_on_touch", "isometric_pain_free"],
    ),
]


def _criteria(page):
    """{key: met} of the criteria the phase section shows for the next step."""
    rows = page.locator("#criteria li[data-criterion]")
    return {
        rows.nth(i).get_attribute("data-criterion"): rows.nth(i).get_attribute("data-met") == "true"
        for i in range(rows.count())
    }


def test_coach_takes_a_grade_2_through_every_phase_by_its_criteria(page, live_server, world, password):
    sign_in(page, live_server.url, world.coach.email, password)
    _log_complaint(page, live_server, world.athlete, FORM_ANSWERS["grade_2"], "Grade 2 strain")
    expect(page.locator("dd[data-classification=grade_2]").first).to_be_visible()
    expect(page.locator("#waiting-for-doctor")).to_have_count(0)  # recommended, not urgent
    injury = Injury.objects.get(athlete=world.athlete)
    assert (injury.classification, injury.referral) == ("grade_2", "recommended")

    labels, current = {}, "protect"
    for to_phase, words, missing, met in STEPS:
        # The missing criteria are shown before anything is asked of the coach.
        phase_select = page.get_by_label("Move to phase")
        expect(phase_select).to_have_value(to_phase)  # the next phase is proposed
        expect(page.locator("#criteria h3")).to_have_text(f"To move on to {words}")
        for key in missing:
            row = page.locator(f"#criteria li[data-criterion={key}]")
            expect(row).to_have_attribute("data-met", "false")
            expect(row).to_contain_text("(missing)")
            labels[key] = row.inner_text().replace("✗", "").replace("(missing)", "").strip()
        assert _criteria(page) == {**{key: False for key in missing}, **{key: True for key in met}}
        expect(page.locator("#next-step")).to_contain_text("Still missing: " + "; ".join(labels[k] for k in missing))
        assert_accessible(page)

        # Moving on without them is refused, at the top of the page, naming what is missing.
        page.get_by_role("button", name="Change phase").click()
        refusal = page.locator("#phase-refused")
        expect(refusal).to_have_attribute("role", "alert")
        expect(refusal).to_be_in_viewport()
        expect(refusal).to_contain_text("The phase was not changed. Not met yet: " + "; ".join(labels[k] for k in missing))
        assert refusal.bounding_box()["y"] < page.get_by_role("heading", name="Summary").bounding_box()["y"]
        assert_accessible(page)
        if to_phase == "rehab":
            # "Move on without the criteria" needs a written reason.
            page.get_by_label("Move on without the criteria").check()
            page.get_by_role("button", name="Change phase").click()
            expect(page.locator("#phase-refused")).to_contain_text("Write why you are moving on without:")
            page.get_by_label("Move on without the criteria").uncheck()
        injury.refresh_from_db()
        assert injury.phase == current

        # Tick each criterion on the checklist (htmx: each swap lands before the next tap).
        for key in missing:
            tick(page, labels[key])
            expect(page.locator(f"#criteria li[data-criterion={key}]")).to_have_attribute("data-met", "true")
        expect(page.locator("#criteria li[data-met=false]")).to_have_count(0)
        expect(page.locator("#next-step")).to_contain_text("Every criterion is met.")
        settle_htmx(page)

        page.get_by_label("Move to phase").select_option(to_phase)
        page.get_by_role("button", name="Change phase").click()
        expect(page.get_by_role("status")).to_contain_text(f"Moved to {words}")
        expect(page.locator("#phase-refused")).to_have_count(0)
        assert_accessible(page)
        current = to_phase

    summary = page.get_by_role("region", name="Summary")
    expect(summary).to_contain_text(re.compile(r"Phase\s*Cleared since"))
    expect(summary).to_contain_text("Cleared on")
    expect(page.locator("#criteria")).to_have_count(0)  # nothing left to move on to
    injury.refresh_from_db()
    assert injury.phase == "cleared" and injury.cleared_on == timezone.localdate()
    changes = list(injury.phase_changes.order_by("pk").values_list("to_phase", "checklist_overridden"))
    assert changes == [("protect", False), ("rehab", False), ("return_to_training", False), ("cleared", False)]
    settle_htmx(page)


# --- c. The athlete's own urgent report ------------------------------------------------------------


def test_athlete_sends_an_urgent_report_and_their_home_holds_their_work_at_once(
    monday, phone_page, live_server, world, password
):
    session = _on_the_nordic_programme(world)
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    expect(page.get_by_role("heading", name="See a doctor")).to_have_count(0)
    expect(page.get_by_role("region", name="Today's session").locator(".exercise-list")).to_contain_text("Nordic curl")
    assert_fits_phone(page)

    page.get_by_role("link", name="Report a hamstring problem").click()
    answer_every_question(page, form_answers("grade_1", numbness="True"))
    assert_fits_phone(page)
    assert_accessible(page)
    page.get_by_role("button", name="Send to my coach").click()
    expect(page.get_by_role("heading", name="Sent to your coach")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Contact a doctor now")
    assert_fits_phone(page)
    assert_accessible(page)
    complaint = Complaint.objects.get(athlete=world.athlete)
    assert (complaint.status, complaint.referral) == ("pending", "urgent")

    # No coach has seen it yet: the home already says "see a doctor" and holds the loaded work.
    page.get_by_role("link", name="Back to my sessions").click()
    _assert_doctor_first(page)
    expect(page.locator(".see-doctor")).to_contain_text(phone_words.REASON_URGENT_REPORT)
    shown = _assert_gentle_holds_only(page, gating.REASON_URGENT_REPORT)
    assert_fits_phone(page)
    assert_accessible(page)

    page.get_by_role("link", name="Start today's session").click()
    expect(page).to_have_url(re.compile(rf"/me/sessions/{session.pk}/$"))
    assert page.locator("section.exercise h2").all_inner_texts() == shown
    expect(page.locator(".gating-note")).to_contain_text(gating.REASON_URGENT_REPORT)
    assert_fits_phone(page)
    assert_accessible(page)
    assert Complaint.objects.get().status == "pending"
    settle_htmx(page)
