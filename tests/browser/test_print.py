"""The injury, programme and session pages on paper (a doctor or physio gets a printout): the
print stylesheet (the end of static/css/app.css) hides the navigation and every control, prints
black on white, and opens everything folded away, while the content stays."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import assigned_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What does nothing on paper. A toggle (aria-pressed: a checklist item, a logged set) says what it
# records, so it prints, as text.
CONTROLS = "nav, button:not([aria-pressed]), a.button, input:not([type=hidden]), select, textarea"

SHOWN = "(selector) => [...document.querySelectorAll(selector)].filter(e => e.checkVisibility()).map(e => e.outerHTML.slice(0, 150))"
# A <details> that is shown but whose content is not: folded away on paper.
FOLDED = """() => [...document.querySelectorAll('main details')].filter(d => d.checkVisibility())
  .filter(d => ![...d.children].some(c => c.tagName !== 'SUMMARY' && c.checkVisibility()))
  .map(d => d.outerHTML.slice(0, 150))"""


def _injury(world):
    """An injury from the athlete's own report, confirmed by the coach: its page has the athlete's
    answers folded away in a <details>, and a checklist of toggles."""
    from injuries.services import complaint_confirm, complaint_report
    from tests.factories import typed_answers

    report = complaint_report(athlete=world.athlete, reported_by=world.athlete_user, answers=typed_answers())
    injury = complaint_confirm(complaint=report, confirmed_by=world.coach, answers=typed_answers())
    return f"/injuries/{injury.pk}/", world.coach


def _athlete_programme(world):
    assigned_session(world.athlete, world.coach)
    return f"/athletes/{world.athlete.pk}/programme/", world.coach


def _template(world):
    from tests.factories import library_template

    return f"/programmes/templates/{library_template().pk}/", world.coach


def _session(world):
    return f"/me/sessions/{assigned_session(world.athlete, world.coach).pk}/", world.athlete_user


PAGES = {"injury": _injury, "athlete programme": _athlete_programme, "programme": _template, "session": _session}


@pytest.mark.parametrize("kind", list(PAGES))
def test_a_page_on_paper_is_its_content_black_on_white(kind, page, live_server, world, password):
    url, user = PAGES[kind](world)
    sign_in(page, live_server.url, user.email, password)
    page.goto(live_server.url + url)
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()  # on screen, to begin with
    assert page.evaluate(SHOWN, CONTROLS), "the page has controls on screen"
    if kind in {"injury", "session"}:
        assert page.evaluate(FOLDED), "something is folded away on screen"

    page.emulate_media(media="print")

    assert page.evaluate(SHOWN, CONTROLS) == [], "controls print"
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    assert len(page.evaluate(SHOWN, "main section, main .card, main table, main li")) >= 2, "the content does not print"
    assert page.evaluate(FOLDED) == [], "folded away on paper"
    assert page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]") == [
        "rgb(0, 0, 0)", "rgb(255, 255, 255)"
    ]
    if kind == "injury":
        toggles = page.locator("button[aria-pressed]")
        expect(toggles.first).to_be_visible()  # the checklist prints, as text
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.emulate_media(media="screen")
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
