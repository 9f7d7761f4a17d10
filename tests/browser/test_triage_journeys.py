import pytest
from playwright.sync_api import expect

from injuries.examples import form_answers
from injuries.models import Complaint, Injury
from tests.browser.conftest import answer_every_question, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, question_id, choice):
    page.locator(f"#q-{question_id}").get_by_text(choice, exact=True).click()


def test_coach_logs_a_tear_and_sees_grade_3_with_an_urgent_referral(page, live_server, world, password):
    sign_in(page, live_server.url, world.coach.email, password)
    page.goto(f"{live_server.url}/athletes/{world.athlete.pk}/")
    page.get_by_role("link", name="Log a complaint").click()
    preview = page.locator("#triage-preview")
    expect(preview).to_contain_text("once every question is answered")

    # Nothing is pre-answered: with every answer in but one, there is still no result.
    answers = form_answers("grade_1", side="right", hours_since_onset="1", pain_score="6", pain_quality="sharp")
    last = answers.pop("numbness")
    answer_every_question(page, answers)
    expect(preview).to_contain_text("Still to answer or correct: Numbness in the lower back, hips or legs")
    expect(preview).not_to_contain_text("Grade")
    answer_every_question(page, {"numbness": last})
    # Every answer is in: the server's triage shows beside the form.
    expect(preview).to_contain_text("Grade 2 strain")
    _answer(page, "popping_sensation", "Yes")
    _answer(page, "swelling", "Severe")
    expect(preview).to_contain_text("Grade 3 strain")
    expect(preview.get_by_role("alert")).to_contain_text("See a doctor now")
    assert_accessible(page)

    page.get_by_role("button", name="Save and triage").click()
    expect(page.get_by_role("heading", name="Triage")).to_be_visible()
    expect(page.locator("dd[data-classification=grade_3]").first).to_be_visible()
    expect(page.get_by_role("alert").first).to_contain_text("See a doctor now")
    expect(page.get_by_text("not a diagnosis").first).to_be_visible()
    assert_accessible(page)
    injury = Injury.objects.get(athlete=world.athlete)
    assert (injury.classification, injury.referral) == ("grade_3", "urgent")

    # The coach overrides; the original stays on the page.
    page.get_by_label("New classification").select_option("grade_2")
    page.get_by_label("Why you are changing it").fill("Scan shows a partial tear only.")
    page.get_by_role("button", name="Change classification").click()
    expect(page.get_by_role("heading", name="Triage as it ran (original)")).to_be_visible()
    expect(page.get_by_role("cell", name="Scan shows a partial tear only.")).to_be_visible()


def test_athlete_reports_on_a_phone_and_it_reaches_the_coach_inbox(phone_page, browser, live_server, world, password):
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.get_by_role("link", name="Report a hamstring problem").click()
    assert_accessible(page)
    # DOMS-like answers with an ongoing walking difficulty (a red flag): every question answered.
    answer_every_question(
        page, form_answers("doms", hours_since_onset="20", pain_score="4", walking_difficulty_ongoing="True")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Send to my coach").click()
    expect(page.get_by_role("heading", name="Sent to your coach")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Contact a doctor now")
    assert_accessible(page)
    assert Complaint.objects.get().status == "pending"

    coach = browser.new_context().new_page()
    sign_in(coach, live_server.url, world.coach.email, password)
    expect(coach.get_by_text("1 athlete report waiting")).to_be_visible()
    coach.get_by_role("link", name="Inbox", exact=True).click()
    row = coach.get_by_role("row").filter(has_text=world.athlete.full_name)
    expect(row).to_contain_text("Urgent: see a doctor now")
    assert_accessible(coach)
    row.get_by_role("link", name="Review").click()
    expect(coach.locator("#triage-preview")).to_contain_text("Walking is still difficult")
    coach.get_by_role("button", name="Confirm and triage").click()
    expect(coach.get_by_role("alert").first).to_contain_text("See a doctor now")
    assert Complaint.objects.get().status == "confirmed"
    coach.context.close()
