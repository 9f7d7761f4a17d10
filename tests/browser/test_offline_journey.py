"""An athlete trains a whole session without signal on a 390 × 844 phone: the session page opened
online is kept by the service worker; offline, every set and the finish with pain are queued in
IndexedDB and the page says what waits; a reload without signal comes from the phone's copy; back
online, each write arrives once, the queue empties and the coach has the pain alert. Signing out
leaves no page copy and no queue behind (docs/architecture.md#the-phone-offline)."""

import time

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from phone.models import ClientWrite
from programmes.models import ProgressionDecision, ScheduledSession, SetLog
from reminders.models import Reminder
from tests.browser.conftest import QUEUE_SIZE, assert_accessible, assert_fits_phone, sign_in
from tests.factories import ProgrammeTemplateFactory, assigned_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_KEPT = "() => caches.open('coachapp-pages').then(cache => cache.match(location.href)).then(Boolean)"


def _worker_offline(route):
    """A request of the service worker's own, while the phone has no signal. Playwright's offline
    switch does not reach them in Chromium (its issue 2311); tests/browser/conftest.py turns their
    network events on, so that this route sees them and cuts them off."""
    if route.request.service_worker:
        route.abort("internetdisconnected")
    else:
        route.continue_()


def _signal(context, on: bool):
    if on:
        context.unroute("**/*", _worker_offline)
        context.set_offline(False)
    else:
        context.set_offline(True)
        context.route("**/*", _worker_offline)


def _queue_size(page):
    """The queue's size; None while the page is loading again (it reloads once it has sent)."""
    try:
        return page.evaluate(QUEUE_SIZE)
    except PlaywrightError as error:
        if "Execution context was destroyed" in str(error):
            return None
        raise


def _until(check, seconds=15):
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the phone's queue did not arrive in time"
        time.sleep(0.2)


def test_a_whole_session_logged_without_signal_arrives_once_when_it_returns(phone_page, live_server, world, password):
    session = assigned_session(world.athlete, world.coach, template=ProgrammeTemplateFactory(owner=world.coach))
    page, context = phone_page, phone_page.context
    sign_in(page, live_server.url, world.athlete_user.email, password)
    url = f"{live_server.url}/me/sessions/{session.pk}/"
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now through the service worker, which keeps the athlete's page
    page.wait_for_function(PAGE_KEPT)

    _signal(context, on=False)
    buttons = page.locator(".set-button")
    assert buttons.count() == 6  # two exercises, three sets each
    for index in range(6):
        buttons.nth(index).click()
        expect(buttons.nth(index)).to_have_attribute("aria-pressed", "true")
    status = page.locator("#offline-status")
    expect(status).to_contain_text("6 sets waiting to send")
    expect(page.locator(".set").first.locator(".set-state")).to_contain_text("kept on this phone")
    page.locator(".question").filter(has_text="Worst pain").get_by_text("7", exact=True).click()
    page.locator(".question").filter(has_text="sharp").get_by_text("No", exact=True).click()
    page.get_by_role("button", name="Finish session").click()
    expect(status).to_contain_text("6 sets and finishing the session waiting to send")
    expect(page.locator("form[data-offline='finish']")).to_contain_text("Finished on this phone: waiting to send")
    assert page.evaluate(QUEUE_SIZE) == 7
    assert not SetLog.objects.exists() and ScheduledSession.objects.get(pk=session.pk).completed_at is None
    assert_fits_phone(page)
    assert_accessible(page)

    # Reloaded without signal: the phone's copy, with what waits marked on it.
    response = page.reload()
    assert response.from_service_worker and response.headers.get("x-coachapp-saved-at")
    expect(status).to_contain_text("No signal. This page is the copy saved on this phone")
    expect(status).to_contain_text("6 sets and finishing the session waiting to send")
    expect(page.locator(".set-button").nth(5)).to_have_attribute("aria-pressed", "true")
    assert_accessible(page)

    # The signal returns: sent in order, once each; the page reloads with the server's state.
    _signal(context, on=True)
    _until(lambda: ScheduledSession.objects.get(pk=session.pk).completed_at is not None)
    page.wait_for_load_state("networkidle")
    _until(lambda: _queue_size(page) == 0)
    logs = SetLog.objects.filter(prescribed__session=session)
    assert logs.count() == 6
    assert len({(log.prescribed_id, log.set_number) for log in logs}) == 6
    session.refresh_from_db()
    assert (session.worst_pain, session.sharp_pain) == (7, False)
    assert ClientWrite.objects.filter(outcome="applied").count() == 7
    assert ProgressionDecision.objects.filter(session=session, alert_coach=True).exists()
    assert Reminder.objects.filter(kind="pain_alert", session=session, recipient=world.coach).count() == 1

    # Signing out: no page copy and no queue left on the phone.
    page.goto(url)
    page.wait_for_function(PAGE_KEPT)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/**")
    page.wait_for_load_state("networkidle")
    assert "coachapp-pages" not in page.evaluate("caches.keys()")
    assert page.evaluate(QUEUE_SIZE) == 0


def test_a_set_queued_before_the_coach_moved_the_session_is_refused_with_the_reason(phone_page, live_server, world, password):
    from datetime import timedelta

    from django.utils import timezone

    from programmes import services

    session = assigned_session(world.athlete, world.coach, template=ProgrammeTemplateFactory(owner=world.coach))
    page, context = phone_page, phone_page.context
    sign_in(page, live_server.url, world.athlete_user.email, password)
    page.goto(f"{live_server.url}/me/sessions/{session.pk}/")
    _signal(context, on=False)
    page.locator(".set-button").first.click()
    expect(page.locator("#offline-status")).to_contain_text("1 set waiting to send")
    services.session_move(session=session, to=timezone.localdate() + timedelta(days=2))
    _signal(context, on=True)
    _until(lambda: ClientWrite.objects.filter(outcome="refused").exists())
    page.wait_for_load_state("networkidle")
    expect(page.locator("#offline-status")).to_contain_text("not saved. Your coach moved this session to")
    assert not SetLog.objects.exists()
    assert page.evaluate(QUEUE_SIZE) == 0
    assert_accessible(page)
