"""Logging a set and finishing a session through the API: the phone's services, so the same
gating refuses the same things, in the one error shape; and `Idempotency-Key` on the writes
(docs/architecture.md#apps)."""

import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from api.examples import TRIAGE
from api.models import IdempotencyKey
from api.services import token_create
from athletes.models import AccessLog
from injuries.models import Complaint
from programmes import services as programme_services
from programmes.models import SetLog
from rest_framework.test import APIClient
from tests.factories import assigned_session, seed_reference_data

pytestmark = pytest.mark.calendar  # the records' session is dated today


def sets_url(session):
    return reverse("api:session-sets", args=[session.pk])


def finish_url(session):
    return reverse("api:session-finish", args=[session.pk])


def first_exercise(session):
    return session.exercises.order_by("order").first()


def assert_error(response, status, words="", field=None):
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert set(error) == {"status", "code", "message", "fields"} and error["status"] == status
    assert words in error["message"], error
    if field:
        assert field in error["fields"], error


# --- Logging a set ---------------------------------------------------------------------------------


def test_the_athlete_logs_a_set_with_reps_and_load_and_gets_the_session_back(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    response = api(world.athlete_user, write=True).post(
        sets_url(session), {"exercise": exercise.pk, "set_number": 1, "reps": 4, "load_kg": "12.5"}, format="json")
    assert response.status_code == 201, response.content
    log = SetLog.objects.get()
    assert (log.prescribed_id, log.set_number, log.reps, str(log.load_kg)) == (exercise.pk, 1, 4, "12.500")
    logged = next(e for e in response.json()["exercises"] if e["id"] == exercise.pk)["sets_logged"]
    assert [(s["set_number"], s["reps"], s["load_kg"]) for s in logged] == [(1, 4, "12.500")]
    assert AccessLog.objects.filter(action="view_programme", athlete_id=world.athlete.pk).exists()


def test_a_set_without_reps_is_done_as_prescribed_and_null_load_is_no_load(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    response = api(world.coach, write=True).post(
        sets_url(session), {"exercise": exercise.pk, "set_number": 1, "load_kg": None}, format="json")
    assert response.status_code == 201, response.content
    log = SetLog.objects.get()
    assert log.reps == exercise.set_targets()[0] and log.load_kg is None


def test_logging_the_same_set_again_corrects_it(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    client = api(world.athlete_user, write=True)
    for reps in (3, 5):
        assert client.post(sets_url(session), {"exercise": exercise.pk, "set_number": 1, "reps": reps},
                           format="json").status_code == 201
    assert list(SetLog.objects.values_list("reps", flat=True)) == [5]


def test_a_withheld_exercise_is_refused_like_on_the_phone(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    exercise.withheld_reason = "Stopped while the injury settles."
    exercise.save(update_fields=["withheld_reason"])
    response = api(world.athlete_user, write=True).post(
        sets_url(session), {"exercise": exercise.pk, "set_number": 1}, format="json")
    assert_error(response, 400, "stopped for now")
    assert not SetLog.objects.exists()


def test_a_session_of_a_later_day_is_refused(api, world, records):
    later = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=7))
    response = api(world.athlete_user, write=True).post(
        sets_url(later), {"exercise": first_exercise(later).pk, "set_number": 1}, format="json")
    assert_error(response, 400, "it can be logged on that day")
    finish = api(world.athlete_user, write=True).post(finish_url(later), {"worst_pain": 0, "sharp_pain": False}, format="json")
    assert_error(finish, 400, "it can be logged on that day")
    assert not SetLog.objects.exists()
    later.refresh_from_db()
    assert later.completed_at is None


def test_a_finished_session_takes_no_more_sets(api, world, records):
    session = records["session"]
    client = api(world.athlete_user, write=True)
    assert client.post(finish_url(session), {"worst_pain": 0, "sharp_pain": False}, format="json").status_code == 200
    response = client.post(sets_url(session), {"exercise": first_exercise(session).pk, "set_number": 1}, format="json")
    assert_error(response, 400, "finished")
    assert not SetLog.objects.exists()


def test_an_exercise_of_another_session_is_refused_naming_the_field(api, world, records):
    session = records["session"]
    other = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=7))
    response = api(world.athlete_user, write=True).post(
        sets_url(session), {"exercise": first_exercise(other).pk, "set_number": 1}, format="json")
    assert_error(response, 400, field="exercise")
    assert not SetLog.objects.exists()


@pytest.mark.parametrize("body, field", [
    ({"set_number": 1}, "exercise"),
    ({"set_number": 0}, "set_number"),
    ({"set_number": 1, "reps": -1}, "reps"),
    ({"set_number": 1, "reps": "x"}, "reps"),
    ({"set_number": 1, "load_kg": "600"}, "load_kg"),
    ({"set_number": 1, "load_kg": "-1"}, "load_kg"),
    ({"set_number": 1, "load_kg": "1.2345"}, "load_kg"),
    ({"set_number": 1, "note": "a\x00b"}, "note"),
])
def test_a_bad_set_saves_nothing_and_names_the_field(api, world, records, body, field):
    session = records["session"]
    if field != "exercise":
        body = {"exercise": first_exercise(session).pk, **body}
    response = api(world.athlete_user, write=True).post(sets_url(session), body, format="json")
    assert_error(response, 400, field=field)
    assert not SetLog.objects.exists()


def test_a_set_number_beyond_the_prescription_is_refused(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    response = api(world.athlete_user, write=True).post(
        sets_url(session), {"exercise": exercise.pk, "set_number": exercise.sets + 1}, format="json")
    assert_error(response, 400, f"has {exercise.sets} sets")


# --- Finishing ----------------------------------------------------------------------------------


def test_finishing_saves_the_pain_and_a_second_finish_is_refused(api, world, records):
    session = records["session"]
    client = api(world.athlete_user, write=True)
    response = client.post(finish_url(session), {"worst_pain": 2, "sharp_pain": True}, format="json")
    assert response.status_code == 200, response.content
    session.refresh_from_db()
    assert session.completed_at and (session.worst_pain, session.sharp_pain) == (2, True)
    assert response.json()["worst_pain"] == 2 and response.json()["completed_at"]
    assert_error(client.post(finish_url(session), {"worst_pain": 2, "sharp_pain": True}, format="json"), 400, "already finished")


@pytest.mark.parametrize("body, field", [
    ({"sharp_pain": False}, "worst_pain"),
    ({"worst_pain": 11, "sharp_pain": False}, "worst_pain"),
    ({"worst_pain": -1, "sharp_pain": False}, "worst_pain"),
    ({"worst_pain": 3}, "sharp_pain"),
    ({"worst_pain": 3, "sharp_pain": "maybe"}, "sharp_pain"),
])
def test_a_bad_finish_saves_nothing(api, world, records, body, field):
    session = records["session"]
    assert_error(api(world.athlete_user, write=True).post(finish_url(session), body, format="json"), 400, field=field)
    session.refresh_from_db()
    assert session.completed_at is None


# --- Idempotency-Key ------------------------------------------------------------------------------


def test_the_same_key_and_body_answers_the_first_answer_without_writing_again(api, world, records):
    session = records["session"]
    client = api(world.athlete_user, write=True)
    body = {"worst_pain": 1, "sharp_pain": False}
    first = client.post(finish_url(session), body, format="json", HTTP_IDEMPOTENCY_KEY="finish-31")
    again = client.post(finish_url(session), body, format="json", HTTP_IDEMPOTENCY_KEY="finish-31")
    assert first.status_code == again.status_code == 200, again.content  # not "already finished"
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert IdempotencyKey.objects.get().status == 200


def test_a_replayed_set_is_not_logged_again(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    client = api(world.athlete_user, write=True)
    body = {"exercise": exercise.pk, "set_number": 1, "reps": 4}
    first = client.post(sets_url(session), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    logged_at = SetLog.objects.get().logged_at
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        again = client.post(sets_url(session), body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert again.status_code == 201 and again.json() == first.json()
    assert SetLog.objects.get().logged_at == logged_at  # the set was not saved a second time


def test_the_same_key_with_another_body_is_a_422(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    client = api(world.athlete_user, write=True)
    client.post(sets_url(session), {"exercise": exercise.pk, "set_number": 1, "reps": 4}, format="json",
                HTTP_IDEMPOTENCY_KEY="k1")
    other = client.post(sets_url(session), {"exercise": exercise.pk, "set_number": 1, "reps": 5}, format="json",
                        HTTP_IDEMPOTENCY_KEY="k1")
    assert_error(other, 422, "already used with a different request")
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    elsewhere = client.post(finish_url(session), {"worst_pain": 0, "sharp_pain": False}, format="json",
                            HTTP_IDEMPOTENCY_KEY="k1")
    assert_error(elsewhere, 422)
    assert SetLog.objects.get().reps == 4
    session.refresh_from_db()
    assert session.completed_at is None


def test_keys_are_per_user(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    body = {"exercise": exercise.pk, "set_number": 1, "reps": 4}
    assert api(world.athlete_user, write=True).post(sets_url(session), body, format="json", HTTP_IDEMPOTENCY_KEY="k").status_code == 201
    response = api(world.coach, write=True).post(sets_url(session), {**body, "reps": 6}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert SetLog.objects.get().reps == 6 and IdempotencyKey.objects.count() == 2


def test_a_refused_write_keeps_no_key_so_the_corrected_request_may_reuse_it(api, world, records):
    session, exercise = records["session"], first_exercise(records["session"])
    client = api(world.athlete_user, write=True)
    bad = client.post(sets_url(session), {"exercise": exercise.pk, "set_number": 99}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert_error(bad, 400)
    assert not IdempotencyKey.objects.exists()
    good = client.post(sets_url(session), {"exercise": exercise.pk, "set_number": 1}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert good.status_code == 201 and SetLog.objects.count() == 1


def test_a_failed_write_never_keeps_its_key(api, world, records):
    session = records["session"]
    client = api(world.athlete_user, write=True)
    with mock.patch.object(programme_services, "session_complete", side_effect=RuntimeError("crash")):
        with pytest.raises(RuntimeError):
            client.post(finish_url(session), {"worst_pain": 0, "sharp_pain": False}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "x" * 256, "two words", "caf\u00e9"])
def test_a_bad_key_is_refused(api, world, records, key):
    session = records["session"]
    response = api(world.athlete_user, write=True).post(
        finish_url(session), {"worst_pain": 0, "sharp_pain": False}, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert_error(response, 400, field="Idempotency-Key")
    session.refresh_from_db()
    assert session.completed_at is None


def test_a_complaint_sent_twice_with_one_key_is_logged_once(api, world):
    client = api(world.coach, write=True)
    body = {"athlete": world.athlete.pk, "answers": TRIAGE}
    first = client.post(reverse("api:complaint-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    again = client.post(reverse("api:complaint-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="c-1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert Complaint.objects.count() == 1


def test_a_test_result_sent_twice_with_one_key_is_recorded_once(api, world):
    from testing.models import TestResult

    client = api(world.coach, write=True)
    body = {"athlete": world.athlete.pk, "test": "nordic", "tested_on": "2026-03-02", "left": "300", "right": "310"}
    first = client.post(reverse("api:test-result-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = client.post(reverse("api:test-result-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()  # not "already has"
    assert TestResult.objects.count() == 1


# --- The same request twice at once ---------------------------------------------------------------

WEDNESDAY = "2026-03-04 10:00:00+00:00"


def _post_together(token, url, body, key, copies=2):
    """POST the same request from `copies` threads (each its own connection) at once."""
    barrier = threading.Barrier(copies)
    answers = [None] * copies

    def run(index):
        try:
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            barrier.wait()
            response = client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY=key)
            answers[index] = (response.status_code, response.json(), response.get("Idempotent-Replayed"))
        except Exception as error:  # noqa: BLE001 - reported by the test
            answers[index] = ("error", repr(error), None)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


@pytest.mark.django_db(transaction=True)
def test_the_same_set_sent_twice_at_once_writes_one_row(world):
    seed_reference_data()  # an earlier transactional test may have emptied the library
    real_set_log = programme_services.set_log

    def slow_set_log(**kwargs):  # hold the key's row a while: the second request must wait for it
        log = real_set_log(**kwargs)
        time.sleep(0.3)
        return log

    with time_machine.travel(WEDNESDAY, tick=True):
        session = assigned_session(world.athlete, world.coach)
        exercise = first_exercise(session)
        token = token_create(user=world.athlete_user, name="Phone", write=True)[1]
        calls = []
        with mock.patch.object(programme_services, "set_log", side_effect=lambda **kw: calls.append(1) or slow_set_log(**kw)):
            answers = _post_together(token, sets_url(session), {"exercise": exercise.pk, "set_number": 1, "reps": 4}, "same")
    assert [a[0] for a in answers] == [201, 201], answers
    assert answers[0][1] == answers[1][1]  # the second got the first's answer, word for word
    assert sorted(str(a[2]) for a in answers) == ["None", "true"]  # one wrote, one replayed
    assert len(calls) == 1 and SetLog.objects.count() == 1 and IdempotencyKey.objects.count() == 1
