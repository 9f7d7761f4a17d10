"""The coach's desktop pages, at a desk (1280 × 800) and on a phone (390 × 844): the home page's
reports and availability, the roster's injury status, the athlete page's training and injury
strip, and the injury page's summary and jump links. None scrolls sideways at 390 px, axe finds
nothing serious, and the timelines' labels never overlap nor leave their card."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from injuries import services as injury_services
from programmes.services import programme_assign
from tests.browser.conftest import PHONE, assert_accessible, assert_fits_phone, sign_in
from tests.factories import ComplaintFactory, InjuryFactory, library_template, move_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
LONG_REASON = "Scan-confirmed-partial-tear-of-the-biceps-femoris-long-head-without-any-spaces-at-all " * 2

# Every label of a timeline against the card it sits in: none outside, none overlapping another.
LABELS_FIT = """(selector) => {
  const problems = [];
  for (const svg of document.querySelectorAll(selector)) {
    const card = svg.closest('.card').getBoundingClientRect();
    const boxes = Array.from(svg.querySelectorAll('text.tl-tick'))
      .filter((text) => getComputedStyle(text).display !== 'none')
      .map((text) => ({label: text.textContent, box: text.getBoundingClientRect()}));
    for (const {label, box} of boxes) {
      if (box.left < card.left || box.right > card.right) problems.push(`${label} leaves the card`);
    }
    boxes.sort((a, b) => a.box.left - b.box.left);
    for (let i = 1; i < boxes.length; i++) {
      if (boxes[i].box.left < boxes[i - 1].box.right) problems.push(`${boxes[i - 1].label} overlaps ${boxes[i].label}`);
    }
    if (!boxes.length) problems.push('no label shown');
  }
  return problems;
}"""


@pytest.fixture
def squad(monday, world):
    """On a known Monday (tests/browser/conftest.py): an athlete with an old, cleared injury and a current grade 2 in rehab (its classification
    changed once, with a long reason; notes), on the Nordic programme; a teammate waiting for a
    doctor; and two reports waiting, one urgent."""
    today = timezone.localdate()
    with time_machine.travel(timezone.now() - timedelta(days=240), tick=False):
        old = InjuryFactory(complaint__athlete=world.athlete)
        move_on(old, "rehab", world.coach)
    with time_machine.travel(timezone.now() - timedelta(days=200), tick=False):
        move_on(old, "return_to_training", world.coach)
        move_on(old, "cleared", world.coach)
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        injury = InjuryFactory(complaint__athlete=world.athlete)  # a grade 1, then changed to a grade 2
        injury_services.injury_override_classification(
            injury=injury, overridden_by=world.coach, classification="grade_2", reason=LONG_REASON
        )
    with time_machine.travel(timezone.now() - timedelta(days=8), tick=False):
        injury.refresh_from_db()
        move_on(injury, "rehab", world.coach)
    injury.refresh_from_db()
    injury.notes = "Physio on Thursdays. " + "Long-unbroken-physio-note-" * 6
    injury.save()
    programme_assign(
        template=library_template(), athletes=[world.athlete], start_date=today, weekdays=[0, 2, 4],
        assigned_by=world.coach,
    )
    urgent = InjuryFactory(complaint__athlete=world.other_athlete, complaint__answers={"numbness": True})
    ComplaintFactory(athlete=world.athlete, pending=True)
    ComplaintFactory(athlete=world.other_athlete, pending=True, answers={"walking_difficulty_ongoing": True})
    return {"injury": injury, "urgent": urgent}


def _open(page, url):
    page.goto(url)
    page.wait_for_load_state()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_coach_pages_fit_and_say_what_matters_first(browser, live_server, world, password, squad, size):
    context = browser.new_context(**(PHONE if size == "phone" else DESKTOP))
    page = context.new_page()
    sign_in(page, live_server.url, world.coach.email, password)
    fits = assert_fits_phone if size == "phone" else (lambda page: None)
    injury = squad["injury"]

    # Home: how many reports wait and how many are urgent, and who is available.
    waiting = page.locator("#reports-waiting")
    expect(waiting).to_contain_text("2 athlete reports waiting, 1 urgent")
    expect(waiting.locator(".urgent-count")).to_have_text("1 urgent")
    summary = page.get_by_role("region", name="Availability")
    expect(summary).to_contain_text("0 available")
    expect(summary).to_contain_text("2 unavailable")
    fits(page)
    assert_accessible(page)
    waiting.get_by_role("link").click()
    expect(page).to_have_url(f"{live_server.url}/complaints/")

    # Roster: each athlete's injury status in words.
    _open(page, f"{live_server.url}/athletes/")

    row = page.get_by_role("row").filter(has_text=f"{world.athlete.last_name}, {world.athlete.first_name}")
    expect(row).to_contain_text("Grade 2 strain — rehab")
    other = f"{world.other_athlete.last_name}, {world.other_athlete.first_name}"
    expect(page.get_by_role("row").filter(has_text=other)).to_contain_text(
        "Grade 1 strain — protect, waiting for a doctor"
    )
    fits(page)
    assert_accessible(page)

    # The athlete page: programme, phase and next session; the injury strip's labels fit.
    _open(page, f"{live_server.url}/athletes/{world.athlete.pk}/")
    programme = page.get_by_role("region", name="Programme")
    expect(programme.get_by_role("link", name="Nordic prevention, 10 weeks")).to_be_visible()
    # The injury is in rehab, but the athlete's report (a possible strain) waits for the coach:
    # their sessions have gentle holds only until it is reviewed, and the page says why.
    expect(programme).to_contain_text("Protect: gentle holds only")
    expect(programme.get_by_role("link", name=f"A report from {world.athlete.first_name} is waiting for you")).to_be_visible()
    expect(programme).to_contain_text("Next session")
    strip = page.get_by_role("img", name="Injury history")
    expect(strip).to_be_visible()
    assert page.evaluate(LABELS_FIT, ".strip-svg") == []
    fits(page)
    assert_accessible(page)  # no link inside the image any more (nested-interactive)

    # The injury page: the summary first, the jump links land, the folds open where they lead.
    _open(page, f"{live_server.url}/injuries/{injury.pk}/")
    summary = page.get_by_role("region", name="Summary")
    expect(summary).to_be_in_viewport()
    next_step = page.locator("#next-step")
    expect(next_step).to_contain_text("Next step: return to training.")
    expect(next_step).to_contain_text("What to do now: Tick each criterion on the checklist")
    expect(next_step).to_contain_text("Then, before the athlete can be cleared, still missing: Flexibility")
    assert next_step.bounding_box()["y"] < 844  # visible without scrolling, even on a phone
    assert page.evaluate(LABELS_FIT, ".timeline-svg:not(.strip-svg)") == []
    fits(page)
    assert_accessible(page)

    jump = summary.get_by_role("navigation", name="On this page")
    warnings = page.locator("#watch-for details.fold")
    expect(warnings).not_to_have_attribute("open", "")
    jump.get_by_role("link", name="Watch for").click()
    expect(page).to_have_url(f"{live_server.url}/injuries/{injury.pk}/#watch-for")
    expect(page.get_by_role("heading", name="See a doctor if…")).to_be_in_viewport()
    jump.get_by_role("link", name="Checklist").click()
    expect(page.get_by_role("heading", name="Checklist", exact=True)).to_be_in_viewport()
    jump.get_by_role("link", name="Triage").click()
    expect(page.locator("#triage details.fold")).to_have_attribute("open", "")
    expect(page.get_by_role("heading", name="Triage as it ran (original)")).to_be_in_viewport()
    fits(page)
    assert_accessible(page)  # with the folds open
    context.close()


# A freshly opened grade 2 measured 5,570 px at a desk and 9,880 px on a phone before the summary
# and the folds; the limits leave room for fonts, not for the page to grow back.
MAX_HEIGHT = {"desktop": 3800, "phone": 7600}


def test_the_injury_page_is_much_shorter_at_first_sight(browser, live_server, world, password, monday):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})  # a grade 2
    for size, options in {"desktop": DESKTOP, "phone": PHONE}.items():
        context = browser.new_context(**options)
        page = context.new_page()
        sign_in(page, live_server.url, world.coach.email, password)
        _open(page, f"{live_server.url}/injuries/{injury.pk}/")
        expect(page.locator("#next-step")).to_be_in_viewport()
        for section in ("watch-for", "triage", "notes"):
            expect(page.locator(f"#{section} details.fold")).not_to_have_attribute("open", "")
        height = page.evaluate("document.documentElement.scrollHeight")
        assert height <= MAX_HEIGHT[size], (size, height)
        context.close()
