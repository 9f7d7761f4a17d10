"""Web Push, one of a reminder's channels: sent through the same claimed, logged delivery as email,
to a local stand-in for the push service (tests/reminders/push_standin.py)."""

import smtplib
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid

from reminders import push, services
from reminders.models import ChannelPreference, Notification, PushSend, PushSubscription, Reminder, SentLog


def _due(world, n=1, kind="missed_sessions", recipient=None):
    now = timezone.now()
    return Reminder.objects.bulk_create(
        Reminder(kind=kind, recipient=recipient or world.coach, occurrence=f"push:{kind}:{i}", athlete=world.athlete,
                 due_at=now - timedelta(minutes=1))
        for i in range(n)
    )


def _subscribe(user, device):
    return services.push_subscription_save(
        user=user, user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36", **device.fields()
    )


# --- Sending -----------------------------------------------------------------------------------


def test_a_due_reminder_is_pushed_once_to_each_device_with_its_words_and_link(world, push_keys, push_service, mailoutbox):
    phone, laptop = push_service.device("phone"), push_service.device("laptop")
    _subscribe(world.coach, phone)
    _subscribe(world.coach, laptop)
    (reminder,) = _due(world)
    assert services.deliver(reminder.pk) == "sent"
    assert services.deliver(reminder.pk) == "already sent"

    (request,) = push_service.requests_for("phone")
    assert len(push_service.requests_for("laptop")) == 1
    shown = phone.read(request.body)
    notification = Notification.objects.get(reminder=reminder)
    assert shown == {"title": notification.title, "body": notification.body, "url": notification.url, "tag": f"reminder-{reminder.pk}"}
    assert request.headers["Topic"] == f"reminder-{reminder.pk}" and request.headers["Content-Encoding"] == "aes128gcm"
    # Signed with the server's VAPID key, for this push service's origin.
    scheme, _, token = request.headers["Authorization"].partition(" ")
    assert scheme == "vapid" and f"k={push_keys}" in token
    assert Vapid.verify(request.headers["Authorization"])  # the signature matches the key named in it
    assert len(mailoutbox) == 1  # email too: today's default
    log = SentLog.objects.get(reminder=reminder)
    assert (log.emailed, log.pushed) == (True, 2)
    assert set(PushSend.objects.values_list("status", flat=True)) == {"sent"}
    assert all(s.last_success_at for s in PushSubscription.objects.all())


def test_a_push_service_error_is_retried_for_that_device_only_and_the_email_goes_once(world, push_keys, push_service, mailoutbox):
    phone, laptop = push_service.device("phone"), push_service.device("laptop")
    _subscribe(world.coach, phone)
    _subscribe(world.coach, laptop)
    push_service.answer("phone", 500)
    (reminder,) = _due(world)

    with pytest.raises(services.PushUnavailable):
        services.deliver(reminder.pk)
    assert len(mailoutbox) == 1 and Notification.objects.filter(reminder=reminder).count() == 1  # not held back
    reminder.refresh_from_db()
    assert reminder.status == "claimed" and reminder.emailed_at  # the claim renewed for the retry
    assert not SentLog.objects.exists()

    assert services.deliver(reminder.pk) == "sent"  # the task's retry
    assert [r.answered for r in push_service.requests_for("phone")] == [500, 201]
    assert len(push_service.requests_for("laptop")) == 1  # reached the first time: not pushed again
    assert len(mailoutbox) == 1 and Notification.objects.filter(reminder=reminder).count() == 1
    assert SentLog.objects.get(reminder=reminder).pushed == 2


def test_no_answer_from_the_push_service_is_retried_too(world, push_keys, push_service, mailoutbox, settings):
    dead = push_service.device("dead")
    dead.endpoint = "http://127.0.0.1:9/push/dead"  # nothing listens on the discard port
    _subscribe(world.coach, dead)
    (reminder,) = _due(world)
    with pytest.raises(services.PushUnavailable):
        services.deliver(reminder.pk)
    assert len(mailoutbox) == 1
    assert PushSend.objects.get(reminder=reminder).status == "retry"


def test_a_device_that_keeps_failing_is_given_up_and_the_reminder_completes(world, push_keys, push_service, mailoutbox, settings):
    settings.WEBPUSH_MAX_ATTEMPTS = 3
    _subscribe(world.coach, push_service.device("phone"))
    push_service.answer("phone", 503, 503, 503, 503)
    (reminder,) = _due(world)
    for _ in range(2):
        with pytest.raises(services.PushUnavailable):
            services.deliver(reminder.pk)
    assert services.deliver(reminder.pk) == "sent"
    assert len(push_service.requests_for("phone")) == 3 and len(mailoutbox) == 1
    send = PushSend.objects.get(reminder=reminder)
    assert (send.status, send.attempts) == ("failed", 3) and "503" in send.last_error
    assert SentLog.objects.get(reminder=reminder).pushed == 0


@pytest.mark.parametrize("gone", [404, 410])
def test_an_expired_subscription_is_deleted_and_the_other_channels_go_out(world, push_keys, push_service, mailoutbox, gone):
    _subscribe(world.coach, push_service.device("old"))
    _subscribe(world.coach, push_service.device("new"))
    push_service.answer("old", gone)
    first, second = _due(world, 2)
    assert services.deliver(first.pk) == "sent"
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [push_service.device("new").endpoint]
    services.deliver(second.pk)
    assert len(push_service.requests_for("old")) == 1  # never tried again
    assert len(push_service.requests_for("new")) == 2 and len(mailoutbox) == 2
    assert SentLog.objects.get(reminder=first).pushed == 1


def test_a_refused_push_is_not_retried(world, push_keys, push_service, mailoutbox):
    _subscribe(world.coach, push_service.device("phone"))
    push_service.answer("phone", 403)  # e.g. signed with another key: trying again cannot help
    (reminder,) = _due(world)
    assert services.deliver(reminder.pk) == "sent"
    assert PushSend.objects.get(reminder=reminder).status == "failed" and len(mailoutbox) == 1


def test_a_mail_server_error_never_holds_back_the_push_and_the_retry_never_pushes_again(world, push_keys, push_service, mailoutbox):
    _subscribe(world.coach, push_service.device("phone"))
    (reminder,) = _due(world)
    with mock.patch.object(services, "send_email", side_effect=smtplib.SMTPServerDisconnected("down")):
        with pytest.raises(smtplib.SMTPServerDisconnected):
            services.deliver(reminder.pk)
    assert len(push_service.requests_for("phone")) == 1 and not mailoutbox
    assert services.deliver(reminder.pk) == "sent"
    assert len(push_service.requests_for("phone")) == 1 and len(mailoutbox) == 1
    assert SentLog.objects.get(reminder=reminder).emailed


def test_a_worker_lost_mid_push_resends_with_the_same_tag_and_topic(world, push_keys, push_service, mailoutbox):
    phone = push_service.device("phone")
    _subscribe(world.coach, phone)
    (reminder,) = _due(world)
    services.deliver(reminder.pk)
    # As if the worker had died after the push service took the push but before it was recorded.
    SentLog.objects.all().delete()
    PushSend.objects.update(status="sending")
    Reminder.objects.filter(pk=reminder.pk).update(status="sending", claimed_at=timezone.now() - timedelta(hours=1))
    assert services.requeue_stale_claims(timezone.now()) == 1
    assert services.deliver(reminder.pk) == "sent"
    first, again = push_service.requests_for("phone")
    assert phone.read(first.body)["tag"] == phone.read(again.body)["tag"]  # the device replaces, never shows two
    assert first.headers["Topic"] == again.headers["Topic"]
    assert len(mailoutbox) == 1  # the email had gone already (emailed_at): not resent


def test_push_is_off_without_keys_whatever_is_subscribed(world, push_service, mailoutbox, settings):
    assert not push.enabled()
    settings.WEBPUSH_ALLOW_LOCALHOST = True
    _subscribe(world.coach, push_service.device("phone"))
    (reminder,) = _due(world)
    assert services.deliver(reminder.pk) == "sent"
    assert push_service.count() == 0 and len(mailoutbox) == 1 and not PushSend.objects.exists()


def test_each_kind_goes_to_the_channels_chosen_for_it(world, push_keys, push_service, mailoutbox):
    _subscribe(world.coach, push_service.device("phone"))
    ChannelPreference.objects.create(user=world.coach, kind="missed_sessions", email=False, push=True)
    ChannelPreference.objects.create(user=world.coach, kind="webhook_off", email=True, push=False)
    pushed_only, emailed_only = _due(world)[0], _due(world, kind="webhook_off")[0]
    services.deliver(pushed_only.pk)
    services.deliver(emailed_only.pk)
    (request,) = push_service.requests_for("phone")
    assert request.headers["Topic"] == f"reminder-{pushed_only.pk}"
    assert [m.subject for m in mailoutbox] == ["A webhook was switched off"]
    assert Notification.objects.count() == 2  # in-app always


def test_pain_alerts_are_pushed_as_urgent(world, push_keys, push_service, mailoutbox):
    _subscribe(world.coach, push_service.device("phone"))
    (alert,) = _due(world, kind="pain_alert")
    services.deliver(alert.pk)
    assert push_service.requests_for("phone")[0].headers["Urgency"] == "high"


@pytest.mark.django_db(transaction=True)
def test_through_the_worker_a_push_service_error_is_retried_until_it_works(world, push_keys, push_service, mailoutbox):
    from celery.contrib.testing.worker import start_worker

    from coachapp.celery import app

    _subscribe(world.coach, push_service.device("phone"))
    push_service.answer("phone", 500)
    (reminder,) = _due(world)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        services.dispatch_due_now()
        deadline = time.monotonic() + 40
        while not SentLog.objects.filter(reminder=reminder).exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert [r.answered for r in push_service.requests_for("phone")] == [500, 201]
    assert len(mailoutbox) == 1 and SentLog.objects.get(reminder=reminder).pushed == 1


# --- Turning push on and off, and choosing channels ----------------------------------------------


def test_turning_push_on_saves_this_device_and_off_deletes_it(client, world, push_keys, push_service):
    client.force_login(world.athlete_user)
    device = push_service.device("phone")
    response = client.post(reverse("push_subscribe"), device.fields(), HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Safari/604.1")
    assert response.status_code == 200 and response.json() == {"device": "Safari on iPhone"}
    saved = PushSubscription.objects.get()
    assert (saved.user, saved.p256dh, saved.auth) == (world.athlete_user, device.p256dh, device.auth)
    # The same device again (signed in as someone else now): moved, not doubled.
    client.force_login(world.other_athlete_user)
    client.post(reverse("push_subscribe"), device.fields())
    assert PushSubscription.objects.get().user == world.other_athlete_user
    # Nobody turns off another person's device.
    client.force_login(world.athlete_user)
    client.post(reverse("push_unsubscribe"), {"endpoint": device.endpoint}, HTTP_ACCEPT="application/json")
    assert PushSubscription.objects.count() == 1
    client.force_login(world.other_athlete_user)
    response = client.post(reverse("push_unsubscribe"), {"endpoint": device.endpoint}, HTTP_ACCEPT="application/json")
    assert response.json() == {"removed": 1} and not PushSubscription.objects.exists()


@pytest.mark.parametrize("endpoint, problem", [
    ("https://push.example.net/abc", "not one coachapp sends to"),
    ("http://fcm.googleapis.com/fcm/send/abc", "not a secure push service"),
    ("https://10.0.0.1/push", "not one coachapp sends to"),
    ("not a url", "Enter a valid URL"),
])
def test_an_unknown_or_unsafe_push_service_is_refused_with_a_reason(client, world, push_keys, endpoint, problem, settings):
    settings.WEBPUSH_ALLOW_LOCALHOST = False
    client.force_login(world.coach)
    response = client.post(reverse("push_subscribe"), {"endpoint": endpoint, "p256dh": "BAbc", "auth": "xyz"})
    assert response.status_code == 400 and problem in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_known_push_service_is_accepted(client, world, settings):
    settings.WEBPUSH_ALLOW_LOCALHOST = False
    client.force_login(world.coach)
    response = client.post(reverse("push_subscribe"), {
        "endpoint": "https://fcm.googleapis.com/fcm/send/abc:def", "p256dh": "BAbc_-", "auth": "xyz",
    })
    assert response.status_code == 200


def test_bad_keys_are_refused(client, world, push_keys):
    client.force_login(world.coach)
    response = client.post(reverse("push_subscribe"), {"endpoint": "http://127.0.0.1:1/push/x", "p256dh": "<script>", "auth": "x"})
    assert response.status_code == 400 and "key is not valid" in response.json()["error"]


def test_a_person_keeps_their_most_recent_devices(world, push_keys, push_service, settings):
    settings.WEBPUSH_MAX_DEVICES = 2
    for name in ("one", "two", "three"):
        _subscribe(world.coach, push_service.device(name))
    assert sorted(s.endpoint.rsplit("/", 1)[1] for s in PushSubscription.objects.all()) == ["three", "two"]


def test_the_settings_page_offers_push_per_kind_and_saves_each_channel(client, world, push_keys, push_service):
    _subscribe(world.coach, push_service.device("phone"))
    client.force_login(world.coach)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "A webhook was switched off" in page
    assert "Push notifications on this device" in page and f'data-push-key="{push_keys}"' in page
    assert "Chrome on Android" in page  # the device listed, with a way to turn it off
    assert 'name="push_pain_alert"' in page and 'name="email_pain_alert"' in page
    client.post(reverse("notification_preferences"), {
        "time_zone": "UTC", "email_missed_sessions": "on", "push_return_near": "on", "push_pain_alert": "on",
    })
    chosen = {p.kind: (p.email, p.push) for p in ChannelPreference.objects.filter(user=world.coach)}
    assert chosen["missed_sessions"] == (True, False)
    assert chosen["return_near"] == (False, True)
    assert chosen["pain_alert"] == (True, True)  # email locked on for coaches: never saved off


def test_without_keys_the_settings_page_offers_no_push(client, world):
    client.force_login(world.athlete_user)
    page = client.get(reverse("notification_preferences")).content.decode()
    assert "push" not in page.lower().replace("data-push", "")
    assert "Session today" in page and 'name="email_session_today"' in page


def test_a_device_listed_on_the_page_can_be_turned_off_without_javascript(client, world, push_keys, push_service):
    device = push_service.device("phone")
    _subscribe(world.coach, device)
    client.force_login(world.coach)
    response = client.post(reverse("push_unsubscribe"), {"endpoint": device.endpoint}, follow=True)
    assert "Push notifications are off for that device." in response.content.decode()
    assert not PushSubscription.objects.exists()


def test_the_service_worker_shows_pushes_and_opens_their_link(client):
    script = client.get(reverse("service_worker")).content.decode()
    assert 'addEventListener("push"' in script and 'addEventListener("notificationclick"' in script
    assert "{%" not in script


def test_make_run_makes_a_key_pair_once_and_keeps_it(tmp_path, settings):
    target = tmp_path / "webpush-keys.env"
    call_command("webpush_keys", ensure=str(target))
    first = target.read_text()
    call_command("webpush_keys", ensure=str(target))
    assert target.read_text() == first and (target.stat().st_mode & 0o077) == 0
    values = dict(line.split("=", 1) for line in first.splitlines() if "=" in line and not line.startswith("#"))
    vapid = Vapid.from_string(values["WEBPUSH_VAPID_PRIVATE_KEY"])
    header = vapid.sign({"sub": "mailto:a@b.test", "aud": "https://x.test"})["Authorization"]
    assert f"k={values['WEBPUSH_VAPID_PUBLIC_KEY']}" in header and Vapid.verify(header)


def test_the_device_label_is_in_plain_words():
    assert push.device_label("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0") == "Edge on Windows"
    assert push.device_label("Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0") == "Firefox on Android"
    assert push.device_label("") == "A browser"
