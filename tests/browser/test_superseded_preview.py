"""The coach's triage preview is asked again at every answer (hx-sync "this:replace"): a request
overtaken by a newer one ends quietly, with no console error, and only the newest answer shows."""

import pytest
from playwright.sync_api import expect

from injuries.examples import form_answers
from tests.browser.conftest import answer_every_question, settle_htmx, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Two answers changed in the same instant: the first change's preview is still in flight when the
# second asks again.
TWO_QUICK_ANSWERS = """() => {
  document.querySelector('#q-popping_sensation input[value="True"]').click();
  document.querySelector('#q-swelling input[value="severe"]').click();
}"""


def test_a_superseded_preview_ends_quietly_and_the_newest_shows(page, live_server, world, password):
    errors, previews = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("request", lambda request: previews.append(request.url) if "/complaints/preview/" in request.url else None)
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/athletes/{world.athlete.pk}/complaints/new/")
    answer_every_question(page, form_answers("grade_1", side="right", hours_since_onset="1", pain_score="6",
                                             pain_quality="sharp"))
    preview = page.locator("#triage-preview")
    expect(preview).to_contain_text("Grade 2 strain")
    settle_htmx(page)
    page.evaluate("""() => {
      window.previewSwaps = 0;
      document.body.addEventListener("htmx:afterSwap", () => { window.previewSwaps += 1; });
    }""")
    asked = len(previews)

    page.evaluate(TWO_QUICK_ANSWERS)
    expect(preview).to_contain_text("Grade 3 strain")
    settle_htmx(page)
    assert len(previews) == asked + 2  # both were asked: the first was overtaken, not dropped
    assert page.evaluate("window.previewSwaps") == 1  # the overtaken answer never showed
    assert not errors, errors
