"""Writes a phone sends again from its offline queue: each key applied once; what no longer applies
refused with a reason and nothing half-written; a pain answer never lost
(docs/architecture.md#the-phone-offline)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from phone import services as phone_services
from phone.models import ClientWrite
from programmes import services
from programmes.models import SetLog
from reminders.models import Kind, Notification, Reminder
from tests.factories import InjuryFactory, assigned_session

JSON = {"Accept": "application/json"}
REPLAY = {**JSON, "X-Coachapp-Replay": "1"}


def _page_version(client, session) -> str:
    body = client.get(reverse("session_detail", args=[session.pk])).content.decode()
    return re.search(r'id="session-version" name="version" value="([^"]+)"', body).group(1)


def _tap(client, item, number, key, version, **data):
    return client.post(reverse("set_log", args=[item.pk, number]), {"version": version, **data},
                       headers={**REPLAY, "Idempotency-Key": key})


def _finish(client, session, key, version, pain=3, sharp="False"):
    return client.post(reverse("session_finish", args=[session.pk]),
                       {"worst_pain": str(pain), "sharp_pain": sharp, "version": version, "client_key": key}, headers=REPLAY)


def _pain_alerts(session):
    return Reminder.objects.filter(kind=Kind.PAIN_ALERT, session=session)


def test_a_set_sent_again_with_its_key_is_saved_once_and_a_later_change_with_another_key_applies(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item = session.exercises.order_by("order").first()
    version = _page_version(athlete_client, session)
    assert _tap(athlete_client, item, 1, "k-1", version).json() == {"saved": True, "message": "Saved"}
    assert _tap(athlete_client, item, 1, "k-1", version).status_code == 200  # the response was lost: sent again
    assert _tap(athlete_client, item, 1, "k-2", version, reps="5").status_code == 200  # a change, after
    assert _tap(athlete_client, item, 1, "k-1", version).status_code == 200  # the first, late, changes nothing
    log = SetLog.objects.get()
    assert (log.set_number, log.reps) == (1, 5)
    assert ClientWrite.objects.filter(user=world.athlete_user, outcome="applied").count() == 2


def test_one_key_with_other_answers_is_refused(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item = session.exercises.order_by("order").first()
    version = _page_version(athlete_client, session)
    _tap(athlete_client, item, 1, "same", version, reps="5")
    response = _tap(athlete_client, item, 1, "same", version, reps="7")
    assert response.status_code == 409 and "other answers" in response.json()["message"]
    assert SetLog.objects.get().reps == 5


def test_a_finish_sent_twice_with_its_key_finishes_once_and_alerts_once(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    version = _page_version(athlete_client, session)
    first = _finish(athlete_client, session, "fin-1", version, pain=7)
    again = _finish(athlete_client, session, "fin-1", version, pain=7)
    assert first.status_code == again.status_code == 200
    assert first.json()["next"] == reverse("athlete_home")
    # The answer sent again says what the first said: the coach was told about the pain.
    assert first.json()["message"] == again.json()["message"] == phone_services.FINISHED_COACH_TOLD
    session.refresh_from_db()
    assert session.worst_pain == 7
    assert _pain_alerts(session).count() == world.team.coaches.count() == 1
    assert ClientWrite.objects.get().outcome == "applied"


def test_sets_sent_after_the_session_was_finished_elsewhere_are_refused_with_the_reason(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item = session.exercises.order_by("order").first()
    version = _page_version(athlete_client, session)
    services.session_complete(session=session, worst_pain=2, sharp_pain=False)  # on another device
    response = _tap(athlete_client, item, 1, "late-set", version)
    assert response.status_code == 409
    assert "already finished" in response.json()["message"]
    assert not SetLog.objects.exists()
    assert ClientWrite.objects.get().outcome == "refused"


def test_a_set_queued_before_the_coach_moved_the_session_is_refused_and_nothing_is_written(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item = session.exercises.order_by("order").first()
    version = _page_version(athlete_client, session)
    services.session_move(session=session, to=timezone.localdate() + timedelta(days=2))
    response = _tap(athlete_client, item, 1, "moved-set", version)
    assert response.status_code == 409
    assert "Your coach moved this session to Friday" in response.json()["message"]
    assert not SetLog.objects.exists()


def test_a_set_on_a_session_the_coach_changed_is_refused_online_too(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item, other = session.exercises.order_by("order")[:2]
    version = _page_version(athlete_client, session)
    other.withheld_reason = "Not while the leg settles."
    other.save(update_fields=["withheld_reason"])
    body = athlete_client.post(reverse("set_log", args=[item.pk, 1]), {"version": version},
                               headers={"HX-Request": "true"}).content.decode()
    assert "Your coach changed this session" in body and not SetLog.objects.exists()


def test_a_finish_after_a_finish_elsewhere_keeps_both_answers_and_tells_the_coach(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    version = _page_version(athlete_client, session)
    services.session_complete(session=session, worst_pain=2, sharp_pain=False)
    response = _finish(athlete_client, session, "late-finish", version, pain=7, sharp="True")
    assert response.status_code == 409
    message = response.json()["message"]
    assert "already finished (pain 2 of 10)" in message and "pain 7 of 10, sharp" in message and "coach has been told" in message
    session.refresh_from_db()
    kept = ClientWrite.objects.get(key="late-finish")
    assert (session.worst_pain, kept.outcome, kept.worst_pain, kept.sharp_pain) == (2, "kept", 7, True)
    alert = _pain_alerts(session).get()
    assert alert.recipient == world.coach and alert.occurrence == f"session:{session.pk}:kept:{kept.pk}"
    # Sent again: the same answer, no second alert.
    assert _finish(athlete_client, session, "late-finish", version, pain=7, sharp="True").json()["message"] == message
    assert _pain_alerts(session).count() == 1


def test_a_finish_on_a_moved_session_is_refused_keeps_the_pain_and_tells_the_coach(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    version = _page_version(athlete_client, session)
    services.session_move(session=session, to=timezone.localdate() + timedelta(days=2))
    response = _finish(athlete_client, session, "moved-finish", version, pain=4)
    assert response.status_code == 409 and "moved this session" in response.json()["message"]
    session.refresh_from_db()
    assert session.completed_at is None and session.worst_pain is None
    assert ClientWrite.objects.get().worst_pain == 4 and _pain_alerts(session).count() == 1


def test_the_same_finish_twice_without_a_key_is_no_alert(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    for _ in range(2):  # a double tap on a page without the phone's script
        athlete_client.post(reverse("session_finish", args=[session.pk]), {"worst_pain": "1", "sharp_pain": "False"})
    assert not ClientWrite.objects.exists() and not _pain_alerts(session).exists()


def test_a_second_different_morning_check_in_is_kept_and_the_coach_told(client, world):
    session = assigned_session(world.athlete, world.coach)
    services.session_complete(session=session, worst_pain=2, sharp_pain=False)
    client.force_login(world.athlete_user)
    url = reverse("session_morning", args=[session.pk])
    first = client.post(url, {"feeling": "same", "pain": "2", "client_key": "m-1"}, headers=REPLAY)
    assert first.status_code == 200
    assert client.post(url, {"feeling": "same", "pain": "2", "client_key": "m-1"}, headers=REPLAY).status_code == 200
    second = client.post(url, {"feeling": "worse", "pain": "6", "client_key": "m-2"}, headers=REPLAY)
    assert second.status_code == 409 and "kept" in second.json()["message"]
    session.refresh_from_db()
    assert (session.next_morning, session.next_morning_pain) == ("same", 2)
    assert ClientWrite.objects.get(key="m-2").morning_pain == 6
    assert _pain_alerts(session).filter(occurrence__contains=":kept:").count() == 1


def test_a_replay_leaves_no_message_for_the_next_page_and_a_direct_send_does(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    url = reverse("session_finish", args=[session.pk])
    assert athlete_client.post(url, {"worst_pain": "1", "client_key": "a"}, headers=REPLAY).status_code == 400
    assert "Choose your worst pain" not in athlete_client.get(reverse("athlete_home")).content.decode()
    athlete_client.post(url, {"worst_pain": "1", "sharp_pain": "False", "client_key": "b"}, headers=JSON)
    assert "Session saved" in athlete_client.get(reverse("athlete_home")).content.decode()


@pytest.mark.parametrize("key", ["x" * 65, "has space", "é"])
def test_a_key_that_cannot_be_read_is_refused_and_saves_nothing(athlete_client, world, key):
    session = assigned_session(world.athlete, world.coach)
    item = session.exercises.order_by("order").first()
    response = athlete_client.post(reverse("set_log", args=[item.pk, 1]), {"client_key": key}, headers={"HX-Request": "true"})
    assert response.status_code == 400 and not SetLog.objects.exists()


def test_only_the_athletes_own_upcoming_pages_are_marked_for_the_phone_to_keep(athlete_client, client, world):
    session = assigned_session(world.athlete, world.coach)
    response = athlete_client.get(reverse("session_detail", args=[session.pk]))
    assert response["X-Coachapp-Offline"] == "athlete" and response["X-Coachapp-User"] == str(world.athlete_user.pk)
    assert athlete_client.get(reverse("athlete_home"))["X-Coachapp-Offline"] == "athlete"
    far = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=10))
    assert "X-Coachapp-Offline" not in athlete_client.get(reverse("session_detail", args=[far.pk]))
    client.force_login(world.coach)
    assert "X-Coachapp-Offline" not in client.get(reverse("athlete_programme", args=[world.athlete.pk]))
    assert "X-Coachapp-Offline" not in client.get(reverse("home"))


def test_signing_out_tells_the_browser_to_forget_the_pages_and_the_queue(athlete_client):
    response = athlete_client.post(reverse("logout"))
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_the_coach_sees_a_notification_for_a_kept_answer(athlete_client, world):
    from reminders import services as reminder_services

    session = assigned_session(world.athlete, world.coach)
    version = _page_version(athlete_client, session)
    services.session_complete(session=session, worst_pain=1, sharp_pain=False)
    _finish(athlete_client, session, "k", version, pain=8)
    reminder_services.deliver(_pain_alerts(session).get().pk)
    notification = Notification.objects.get(user=world.coach, kind=Kind.PAIN_ALERT)
    # The alert leads to where the kept answer is shown: the athlete's page, not the calendar.
    assert notification.url == reverse("athlete_detail", args=[world.athlete.pk]) + "#kept-heading"
    athlete_client.force_login(world.coach)
    page = athlete_client.get(notification.url).content.decode()
    assert 'id="kept-heading"' in page and "Also reported from the phone" in page and "8 of 10" in page


def test_an_ordinary_session_pain_alert_still_leads_to_the_programme(world):
    from programmes.reminders import pain_alert
    from reminders import services as reminder_services

    session = assigned_session(world.athlete, world.coach)
    pain_alert(world.athlete, f"session:{session.pk}:pain", session=session)
    reminder_services.deliver(_pain_alerts(session).get().pk)
    notification = Notification.objects.get(user=world.coach, kind=Kind.PAIN_ALERT)
    assert notification.url == reverse("athlete_programme", args=[world.athlete.pk])


def test_the_service_worker_keeps_only_marked_pages_and_forgets_them_at_sign_in_and_out(client, db):
    worker = client.get(reverse("service_worker")).content.decode()
    assert 'response.headers.get("X-Coachapp-Offline") === "athlete"' in worker
    for name in ("login", "login_code", "admin_login", "logout"):
        assert f'"{reverse(name)}"' in worker.split("const SIGNING_IN_OR_OUT = [")[1].split("];")[0]
    assert "importScripts(" in worker and "/static/js/offline.js" in worker


@pytest.mark.calendar  # sessions from today on: pinned, and run again on each weekday copy
def test_a_set_queued_before_a_regating_that_changed_nothing_is_saved(athlete_client, world):
    """The nightly re-gating, or a checklist tick, that leaves the session as it was keeps its rows
    and ids: the phone's copy is still the session, and its queued set goes in."""
    session = assigned_session(world.athlete, world.coach)
    item = session.exercises.order_by("order").first()
    version = _page_version(athlete_client, session)
    assert services.programme_regate(athlete=world.athlete) > 0
    assert _page_version(athlete_client, session) == version
    assert _tap(athlete_client, item, 1, "after-regate", version).json() == {"saved": True, "message": "Saved"}
    assert SetLog.objects.filter(prescribed=item).count() == 1


@pytest.mark.calendar  # sessions from today on: pinned, and run again on each weekday copy
def test_a_set_queued_before_an_injury_held_the_session_is_refused_and_nothing_is_written(athlete_client, world):
    """An injury opened since the phone saved the page: the session's exercises are not what the
    copy showed, and the queued set is refused with the reason (never logged on a forbidden row)."""
    session = assigned_session(world.athlete, world.coach)
    item = session.exercises.exclude(exercise__isometric=True).order_by("order").first()
    version = _page_version(athlete_client, session)
    InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})
    response = _tap(athlete_client, item, 1, "after-injury", version)
    assert response.status_code in {404, 409}
    assert not SetLog.objects.exists()
