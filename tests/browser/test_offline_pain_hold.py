"""Safety first, without signal: an athlete who finishes a session with pain that may move their
plan down, while the phone has no signal, is not shown the next saved session as trainable. The
phone says why and holds its sets until the answer has reached the server, whose rules then set
the plan (docs/architecture.md#the-phone-offline)."""

import pytest
from playwright.sync_api import expect

from programmes.models import ProgressionDecision
from tests.browser.conftest import assert_accessible, assert_fits_phone, sign_in
from tests.browser.test_offline_journey import PAGE_KEPT, _queue_size, _signal, _until
from tests.factories import ProgrammeTemplateFactory, assigned_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _two_sessions(coach):
    from programmes.models import Exercise, TemplateEntry, TemplateSession

    template = ProgrammeTemplateFactory(owner=coach)
    second = TemplateSession.objects.create(template=template, week=1, order=2, title="Strength again")
    TemplateEntry.objects.create(session=second, order=1, exercise=Exercise.objects.get(key="rdl_dumbbell"))
    return template


def test_pain_waiting_on_the_phone_holds_the_next_saved_session(phone_page, live_server, world, password):
    today = assigned_session(world.athlete, world.coach, template=_two_sessions(world.coach))
    tomorrow = today.assignment.sessions.filter(date__gt=today.date).order_by("date").first()
    page, context = phone_page, phone_page.context
    sign_in(page, live_server.url, world.athlete_user.email, password)
    today_url, tomorrow_url = (f"{live_server.url}/me/sessions/{s.pk}/" for s in (today, tomorrow))
    page.goto(today_url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # through the service worker, which keeps the athlete's pages
    page.wait_for_function(PAGE_KEPT)
    page.goto(tomorrow_url)
    page.wait_for_function(PAGE_KEPT)

    _signal(context, on=False)
    page.goto(today_url)
    page.locator(".question").filter(has_text="Worst pain").get_by_text("7", exact=True).click()
    page.locator(".question").filter(has_text="sharp").get_by_text("No", exact=True).click()
    page.get_by_role("button", name="Finish session").click()
    expect(page.locator("#offline-status")).to_contain_text("finishing the session waiting to send")

    # Tomorrow's saved copy: held, with the reason.
    page.goto(tomorrow_url)
    hold = page.locator("[data-offline-hold]")
    expect(hold).to_contain_text("You reported pain of 7 out of 10")
    expect(hold).to_contain_text("Do not start another session until this phone has signal")
    buttons = page.locator(".set-button")
    assert buttons.count() > 0
    for index in range(buttons.count()):
        expect(buttons.nth(index)).to_be_disabled()
    assert_fits_phone(page)
    assert_accessible(page)

    # The signal returns: the answer arrives, the server's rules move the plan, the hold lifts.
    with page.expect_navigation():  # sent, then the page loads the server's state
        _signal(context, on=True)
    assert ProgressionDecision.objects.filter(session=today, alert_coach=True).exists()
    page.goto(tomorrow_url)
    _until(lambda: _queue_size(page) == 0)
    expect(page.locator("[data-offline-hold]")).to_be_hidden()
