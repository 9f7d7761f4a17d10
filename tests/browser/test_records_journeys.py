"""The records a coach keeps and the help an athlete reads, each walked through at a desk (1280 × 800)
and on a phone (390 × 844): an injury's "every change" history in words, the team's injury export
(a CSV with words, then codes, for the last 12 months; a bad range gives the form back with a
message), "How to do it" on the athlete's session with no dead player, the calendar link copied and
subscribed to, and the exercise library's phases in words. On every page: nothing scrolls sideways
on the phone, axe finds nothing serious, and the console shows no error."""

import csv
import re
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from injuries.export import CODE_COLUMNS, COLUMNS
from injuries.forms import year_before
from injuries.models import CLASSIFICATION_CHOICES, REFERRAL_CHOICES, Injury, Phase
from programmes.models import Exercise
from programmes.services import calendar_token_regenerate
from tests.browser.conftest import LOCALE, PHONE, _watch_csp, assert_accessible, assert_fits_phone, settle_htmx, sign_in
from tests.factories import InjuryFactory, assigned_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": PHONE, "desktop": {"viewport": {"width": 1280, "height": 800}, "locale": LOCALE}}

# Every stored code a page could leak: choice values with an underscore, and the injury's field names.
CODES = sorted(
    {str(value) for value, _label in [*CLASSIFICATION_CHOICES, *REFERRAL_CHOICES, *Phase.choices] if "_" in str(value)}
    | {f.name for f in Injury._meta.fields if "_" in f.name}
)
CODE_PATTERN = re.compile(r"\b(" + "|".join(map(re.escape, CODES)) + r")\b", re.IGNORECASE)


@dataclass
class Screen:
    page: Page
    phone: bool
    errors: list[str] = field(default_factory=list)

    def check(self):
        """What every page of every journey must hold."""
        settle_htmx(self.page)
        if self.phone:
            assert_fits_phone(self.page)
        else:
            assert self.page.evaluate("window.innerWidth") == SIZES["desktop"]["viewport"]["width"]
        assert_accessible(self.page)
        assert not self.errors, self.errors


@pytest.fixture(params=["phone", "desktop"])
def screen(request, browser, live_server):
    context = browser.new_context(**SIZES[request.param])
    page = _watch_csp(context.new_page())
    shown = Screen(page=page, phone=request.param == "phone")
    page.on("console", lambda message: shown.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: shown.errors.append(str(error)))
    yield shown
    try:
        page.wait_for_load_state("networkidle", timeout=5000)
    finally:
        context.close()


def _no_codes(text: str):
    found = sorted({match.group(0) for match in CODE_PATTERN.finditer(text)})
    assert not found, f"internal codes on the page: {found}"


# --- 1. The injury's "every change" history ----------------------------------------------------------


def test_the_history_of_an_injury_a_coach_changed_reads_in_words(monday, screen, live_server, world, password):
    page = screen.page
    injury = InjuryFactory(complaint__athlete=world.athlete)  # a grade 1 strain, protected
    assert (injury.classification, injury.phase) == ("grade_1", "protect")
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/injuries/{injury.pk}/")
    screen.check()

    phase = page.locator("#phase-control")
    phase.get_by_label("Move to phase").select_option(label="Rehab")
    phase.get_by_label("Move on without the criteria").check()
    phase.get_by_label("Reason or note").fill("Walking without pain; seen by the physio today.")
    phase.get_by_role("button", name="Change phase").click()
    page.wait_for_load_state()
    expect(page.locator("#phase-control .phase-log")).to_contain_text("Protect → Rehab")

    classification = page.locator("#classification")
    classification.get_by_label("New classification").select_option(label="Grade 2 strain (moderate, partial tear)")
    classification.get_by_label("Why you are changing it").fill("The scan shows a partial tear of the long head.")
    classification.get_by_role("button", name="Change classification").click()
    page.wait_for_load_state()
    injury.refresh_from_db()
    assert (injury.classification, injury.phase) == ("grade_2", "rehab")
    screen.check()

    page.get_by_role("link", name="Every change to this injury").click()
    expect(page.get_by_role("heading", name=f"Every change to {world.athlete.full_name}'s injury")).to_be_visible()
    record = page.locator("section", has=page.get_by_role("heading", name="The record"))
    text = record.inner_text()
    for words in (
        "Classification: Grade 1 strain (mild) → Grade 2 strain (moderate, partial tear)",
        "Phase: Protect → Rehab",
        "Expected back from:",
        "Expected back by:",
        str(world.coach),
    ):
        assert words in text, f"{words!r} missing from the history:\n{text}"
    # Dates in the reader's words ("3 Dec 2026"), never ISO or raw.
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    _no_codes(page.locator("main").inner_text())
    screen.check()


# --- 2. The team's CSV export -------------------------------------------------------------------------


def test_the_team_export_downloads_a_csv_of_the_last_12_months_and_a_bad_range_says_why(
    monday, screen, live_server, world, password
):
    page = screen.page
    recent = InjuryFactory(complaint__athlete=world.athlete)
    with time_machine.travel(timezone.now() - timedelta(days=400), tick=False):
        InjuryFactory(complaint__athlete=world.other_athlete)  # older than 12 months: not in the file
    today = timezone.localdate()
    url = f"{live_server.url}/teams/{world.team.pk}/injuries/export/"
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(url)
    expect(page.get_by_role("heading", name=f"Export {world.team.name}'s injuries")).to_be_visible()
    screen.check()

    page.get_by_label("Injuries that began from").fill("")
    page.get_by_label("until").fill("")
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download CSV").click()
    download = downloading.value
    assert download.suggested_filename == f"injuries-team-{world.team.pk}-{year_before(today)}-{today}.csv"
    with open(download.path(), newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    header, *body = rows
    words, codes = header[: len(COLUMNS)], header[len(COLUMNS):]
    assert words[:2] == ["Athlete", "Team"] and "Classification" in words and "Phase" in words
    assert all("_" not in name for name in words), words  # plain column names first
    assert codes == [name for name, _value in CODE_COLUMNS] and "classification_code" in codes  # then the codes
    assert len(body) == 1, body  # the injury of 400 days ago is outside the last 12 months
    row = dict(zip(header, body[0], strict=True))
    assert row["Athlete"] == world.athlete.full_name
    assert row["Began on"] == recent.onset_date.isoformat()
    assert row["Classification"] == "Grade 1 strain (mild)" and row["classification_code"] == "grade_1"
    assert row["Phase"] == "Protect" and row["phase_code"] == "protect"
    _no_codes(" ".join(body[0][: len(COLUMNS)]))
    expect(page.get_by_role("heading", name=f"Export {world.team.name}'s injuries")).to_be_visible()  # still here

    # The end before the start: the form again, with the reason, and nothing downloaded.
    later_downloads = []
    page.on("download", lambda download: later_downloads.append(download))
    page.get_by_label("Injuries that began from").fill(today.isoformat())
    page.get_by_label("until").fill((today - timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Download CSV").click()
    page.wait_for_load_state()
    expect(page.get_by_text("The end date (today, if left empty) must not be before the start date.")).to_be_visible()
    expect(page.get_by_role("button", name="Download CSV")).to_be_visible()
    screen.check()
    assert not later_downloads

    # A day that is not a date (typed into the address): a message, not an error page.
    response = page.goto(f"{url}?start=yesterday&end=")
    assert response.status == 200
    expect(page.get_by_role("heading", name=f"Export {world.team.name}'s injuries")).to_be_visible()
    start = page.get_by_label("Injuries that began from")
    expect(start).to_have_attribute("aria-describedby", re.compile(r"\bid_start_error\b"))
    expect(page.locator("#id_start_error")).to_have_text("Enter a valid date.")  # one element: ids are unique
    screen.check()


# --- 3. "How to do it" on the athlete's session ----------------------------------------------------


def test_how_to_do_it_shows_the_steps_and_cues_and_no_dead_player(monday, screen, live_server, world, password, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = screen.page
    session = assigned_session(world.athlete, world.coach)  # the Dumbbell RDL, then the slider curl
    Exercise.objects.filter(key="rdl_dumbbell").update(video="exercise-videos/gone.mp4")  # its file is gone
    rdl = Exercise.objects.get(key="rdl_dumbbell")
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.goto(f"{live_server.url}/me/sessions/{session.pk}/")
    card = page.locator("section.exercise", has=page.get_by_role("heading", name=rdl.name, exact=True))
    how_to = card.locator("details", has=page.get_by_text("How to do it", exact=True))
    expect(how_to.locator(".how-to-steps")).to_be_hidden()
    how_to.get_by_text("How to do it", exact=True).click()
    steps = how_to.get_by_role("list").first
    expect(steps).to_be_visible()
    expect(steps.get_by_role("listitem")).to_have_text(rdl.step_list)
    assert steps.evaluate("(list) => list.tagName") == "OL"  # numbered
    expect(how_to.locator(".how-to-cues")).to_have_text(f"Cues: {rdl.cues}")
    assert rdl.cues
    expect(page.locator("video")).to_have_count(0)
    assert "gone.mp4" not in page.content()
    screen.check()


# --- 4. The calendar link ------------------------------------------------------------------------------


def test_the_athlete_copies_the_calendar_link_and_subscribes(monday, screen, live_server, world, password):
    page = screen.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    token = calendar_token_regenerate(athlete=world.athlete)
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.goto(f"{live_server.url}/me/calendar/")
    feed = page.get_by_label("Your calendar link").input_value()
    assert feed.startswith(live_server.url) and feed.endswith(f"/calendar/{token}.ics")
    subscribe = page.get_by_role("link", name="Subscribe in my calendar app")
    expect(subscribe).to_be_visible()
    expect(subscribe).to_have_attribute("href", "webcal://" + feed.split("://", 1)[1])
    copy = page.get_by_role("button", name="Copy link")
    expect(copy).to_be_visible()
    copy.click()
    expect(page.locator("#feed-url-status")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == feed
    screen.check()


# --- 5. The coach's exercise library -------------------------------------------------------------------


def test_the_exercise_library_names_its_phases_in_words(monday, screen, live_server, world, password):
    page = screen.page
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/programmes/exercises/")
    expect(page.get_by_role("heading", name="Exercise library", exact=True)).to_be_visible()
    allowed = page.locator("dl.facts dt:text-is('Allowed in') + dd").all_inner_texts()
    assert len(allowed) == Exercise.objects.count()
    phase_words = re.compile(r"^(No phase yet|[A-Z][a-z ,]+)$")
    for words in allowed:
        assert phase_words.match(words), words
        assert ".." not in words and "week" not in words.lower(), words
    assert any("return to training" in words.lower() for words in allowed), allowed
    text = page.locator("main").inner_text()
    assert ".." not in text and "…" not in text  # no truncated "week.." anywhere
    _no_codes(text)
    screen.check()

    page.get_by_role("link", name="Nordic", exact=True).click()
    expect(page.get_by_role("link", name="Nordic", exact=True)).to_have_attribute("aria-current", "page")
    _no_codes(page.locator("main").inner_text())
    screen.check()
