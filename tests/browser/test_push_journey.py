"""An athlete turns push notifications on for their phone from the settings page, and a due reminder
reaches it once (static/js/push.js, templates/pwa/sw_push.js, reminders/push.py).

The browser's real PushManager.subscribe() is STUBBED here: headless Chromium has no push service
it can reach from this machine (a real subscribe asks Google's servers for an endpoint and fails
offline). The stub, injected before the page's scripts, returns a subscription whose endpoint is the
local push stand-in (tests/reminders/push_standin.py) and whose keys are a real P-256 pair held by
the test, so the server's encrypted, VAPID-signed push can be received and decrypted here as the
phone would. Everything else is real: the permission prompt (granted by the context), the service
worker's registration, the page's script posting to the server, the server's send, and the
service worker's push handler (given a push through the DevTools protocol) showing the notification.
"""

import base64
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from reminders import push, services
from reminders.models import PushSubscription, Reminder
from tests.browser.conftest import PHONE, _watch_csp, assert_accessible, assert_fits_phone, sign_in
from tests.factories import InjuryFactory
from tests.reminders.push_standin import PushService

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STUB = """
(() => {
  // The real subscribe() cannot reach a push service from a headless test browser: see the module
  // docstring. The subscription lives in localStorage so that it survives a reload, as a real one does.
  const device = %(device)s;
  const saved = () => localStorage.getItem("test-push-subscription") === "on";
  const subscription = () => ({
    endpoint: device.endpoint,
    expirationTime: null,
    toJSON: () => ({ endpoint: device.endpoint, expirationTime: null, keys: { p256dh: device.p256dh, auth: device.auth } }),
    unsubscribe: () => { localStorage.removeItem("test-push-subscription"); return Promise.resolve(true); },
  });
  PushManager.prototype.subscribe = function (options) {
    const key = new Uint8Array(options.applicationServerKey);
    localStorage.setItem("test-push-key", btoa(String.fromCharCode.apply(null, key)));
    localStorage.setItem("test-push-visible", String(options.userVisibleOnly));
    localStorage.setItem("test-push-subscription", "on");
    return Promise.resolve(subscription());
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(saved() ? subscription() : null);
  };
})();
"""


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()


def test_an_athlete_turns_push_on_and_a_due_reminder_reaches_the_phone_once(browser, live_server, world, password, push_service, settings):
    public_key, settings.WEBPUSH_VAPID_PRIVATE_KEY = push.generate_keys()
    settings.WEBPUSH_VAPID_PUBLIC_KEY = public_key
    settings.WEBPUSH_ALLOW_LOCALHOST = True  # the stand-in's http://127.0.0.1 endpoint
    device = push_service.device("athlete-phone")
    context = browser.new_context(**PHONE)
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(STUB % {"device": json.dumps(device.fields())})
    page = _watch_csp(context.new_page())
    try:
        sign_in(page, live_server.url, world.athlete_user.email, password)
        page.goto(live_server.url + reverse("notification_preferences"))
        status = page.locator("[data-push-status]")
        expect(status).to_have_text("Push notifications are off for this device.")
        expect(page.get_by_role("group", name="Session today").get_by_label("By push notification")).to_be_checked()
        assert_fits_phone(page)
        assert_accessible(page)

        page.get_by_role("button", name="Turn on push for this device").click()
        expect(status).to_have_text("Push notifications are on for this device.")
        expect(page.get_by_role("button", name="Turn off push for this device")).to_be_visible()
        # Subscribed with the server's public key, for notifications the person sees.
        sent_key = base64.b64decode(page.evaluate("localStorage.getItem('test-push-key')"))
        assert sent_key == base64.urlsafe_b64decode(public_key + "=" * (-len(public_key) % 4))
        assert page.evaluate("localStorage.getItem('test-push-visible')") == "true"
        saved = PushSubscription.objects.get()
        assert (saved.user, saved.endpoint, saved.p256dh) == (world.athlete_user, device.endpoint, device.p256dh)

        # A due reminder: one push to the phone, encrypted for it, with the reminder's words and link.
        injury = InjuryFactory(complaint__athlete=world.athlete)
        reminder = Reminder.objects.filter(injury=injury, kind="return_near", recipient=world.athlete_user).first()
        Reminder.objects.filter(pk=reminder.pk).update(due_at=timezone.now())
        assert services.deliver(reminder.pk) == "sent"
        assert services.deliver(reminder.pk) == "already sent"
        (request,) = push_service.requests_for("athlete-phone")
        shown = device.read(request.body)
        assert shown["tag"] == f"reminder-{reminder.pk}" and shown["url"] == reverse("athlete_home")

        # The service worker shows it: the push handed to it through the DevTools protocol.
        cdp = context.new_cdp_session(page)
        registrations = []
        cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"]))
        cdp.send("ServiceWorker.enable")
        for _ in range(100):  # the events arrive on the protocol's own pace
            if any(not r.get("isDeleted") for r in registrations):
                break
            page.wait_for_timeout(100)
        registration_id = next(r["registrationId"] for r in registrations if not r.get("isDeleted"))
        cdp.send("ServiceWorker.deliverPushMessage", {
            "origin": live_server.url, "registrationId": registration_id, "data": json.dumps(shown),
        })
        # Read in the same poll that first sees them: headless Chromium may close a shown
        # notification again before a second call could look (seen once under load).
        notes = page.wait_for_function(
            "() => navigator.serviceWorker.ready.then((r) => r.getNotifications())"
            ".then((n) => n.length > 0 && n.map((x) => ({title: x.title, body: x.body, tag: x.tag, url: x.data.url})))",
            polling=200, timeout=10000,
        ).json_value()
        assert notes == [{"title": shown["title"], "body": shown["body"], "tag": shown["tag"], "url": shown["url"]}]

        # Still on after a reload; then off: the server forgets this device.
        page.reload()
        expect(status).to_have_text("Push notifications are on for this device.")
        assert_fits_phone(page)
        page.get_by_role("button", name="Turn off push for this device").click()
        expect(status).to_have_text("Push notifications are off for this device.")
        assert not PushSubscription.objects.exists()
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
