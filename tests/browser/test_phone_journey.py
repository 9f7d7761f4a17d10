import pytest
from playwright.sync_api import expect

from programmes.models import ProgressionDecision, SetLog
from tests.browser.conftest import QUEUE_SIZE, assert_accessible, sign_in
from tests.factories import ProgrammeTemplateFactory, assigned_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_athlete_logs_a_session_set_by_set_and_the_coach_sees_the_alert(phone_page, browser, live_server, world, password):
    session = assigned_session(world.athlete, world.coach, template=ProgrammeTemplateFactory(owner=world.coach))
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    expect(page.get_by_role("heading", name="Today's session")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Start today's session").click()
    assert_accessible(page)

    buttons = page.locator(".set-button")
    total = buttons.count()
    assert total == 6  # two exercises, three sets each
    for index in range(total):
        buttons.nth(index).click()
        expect(buttons.nth(index)).to_have_attribute("aria-pressed", "true")
    assert SetLog.objects.filter(prescribed__session=session).count() == 6
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.locator(".question").filter(has_text="Worst pain").get_by_text("6", exact=True).click()
    page.locator(".question").filter(has_text="sharp").get_by_text("No", exact=True).click()
    page.get_by_role("button", name="Finish session").click()
    expect(page.get_by_role("status").first).to_contain_text("Your coach has been told")
    assert ProgressionDecision.objects.filter(session=session, decision="regress", alert_coach=True).exists()

    coach = browser.new_context().new_page()
    sign_in(coach, live_server.url, world.coach.email, password)
    alerts = coach.get_by_role("region", name="Needs your attention")
    expect(alerts).to_contain_text(world.athlete.full_name)
    expect(alerts.get_by_role("link", name="Re-triage").first).to_be_visible()
    coach.context.close()


def test_a_set_tapped_offline_waits_on_the_phone_and_is_sent_once_when_the_signal_returns(phone_page, live_server, world, password):
    """The queue (docs/architecture.md#the-phone-offline): a set tapped without signal is kept on the
    phone and shown as waiting, not as lost; back online it is sent by itself, once."""
    session = assigned_session(world.athlete, world.coach, template=ProgrammeTemplateFactory(owner=world.coach))
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.goto(f"{live_server.url}/me/sessions/{session.pk}/")
    first = page.locator(".set").first
    status = page.locator("#offline-status")
    expect(status).to_be_hidden()

    page.context.set_offline(True)
    first.locator(".set-button").click()
    expect(first.locator(".set-button")).to_have_attribute("aria-pressed", "true")
    expect(first.locator(".set-state")).to_have_text("Not saved yet: kept on this phone and sent when the signal returns.")
    expect(status).to_contain_text("1 set waiting to send.")
    assert page.evaluate(QUEUE_SIZE) == 1
    assert not SetLog.objects.exists()

    # Back online: the page sends what waits without a tap, then loads the session again.
    with page.expect_navigation():
        page.context.set_offline(False)
    expect(status).to_be_hidden()  # nothing waits
    expect(page.locator(".set").first.locator(".set-button")).to_have_attribute("aria-pressed", "true")
    assert page.evaluate(QUEUE_SIZE) == 0
    page.wait_for_load_state("networkidle")
    assert SetLog.objects.filter(prescribed__session=session).count() == 1
    assert SetLog.objects.filter(set_number=1, prescribed__session=session).count() == 1


def test_every_athlete_page_passes_axe(phone_page, live_server, world, password):
    session = assigned_session(world.athlete, world.coach)
    page = phone_page
    sign_in(page, live_server.url, world.athlete_user.email, password)
    for path in ["/me/", f"/me/sessions/{session.pk}/", "/me/history/", "/me/calendar/", "/me/report/"]:
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page)
    page.goto(f"{live_server.url}/me/calendar/")
    page.get_by_role("button", name="Create my calendar link").click()
    assert "/calendar/" in page.get_by_label("Your calendar link").input_value()
    assert_accessible(page)
