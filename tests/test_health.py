import signal
import threading
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coachapp.views import system as views
from coachapp.celery import app
from reminders.models import Heartbeat
from tests.reminders.processes import app_env, private_redis, processes, wait_until  # noqa: F401 (fixtures)

# The behaviour under test: a check that does not answer counts as down after ~2 s. The bound is
# generous on purpose; no test here measures the machine's speed.
ANSWERS_WITHIN = 3.0


def _beat(*names, ago=0):
    for name in names:
        Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now() - timedelta(seconds=ago)})


def _health(client, **query):
    started = time.monotonic()
    response = client.get(reverse("health"), query)
    return response, time.monotonic() - started


def test_health_reports_the_database_the_broker_a_worker_and_beat(client, db):
    _beat("worker:w1@host", "beat", "sweep")
    response, _ = _health(client)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "broker": "ok", "worker": "ok", "beat": "ok"}
    assert set(body["seconds_since"]) == {"worker", "beat", "sweep"}
    assert "no-cache" in response["Cache-Control"]


def test_a_stale_worker_or_beat_is_reported_without_taking_the_web_out_of_service(client, db, settings):
    _beat("worker:w1@host")
    _beat("beat", ago=settings.REMINDER_HEARTBEAT_STALE_SECONDS + 5)
    response, _ = _health(client)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"] == {"database": "ok", "broker": "ok", "worker": "ok", "beat": "stale"}
    strict, _ = _health(client, strict="1")
    assert strict.status_code == 503  # for a monitor that should wake someone


def test_never_seen_worker_and_beat_say_so(client, db):
    body = _health(client)[0].json()
    assert (body["checks"]["worker"], body["checks"]["beat"], body["seconds_since"]["beat"]) == ("never", "never", None)


def test_health_is_503_when_the_broker_is_unreachable(client, db, monkeypatch):
    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:1/0")
    response, seconds = _health(client)
    assert response.status_code == 503 and seconds < ANSWERS_WITHIN
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "ok" and response.json()["checks"]["broker"] == "error"


def test_health_answers_503_in_time_while_the_broker_hangs_and_200_once_it_is_back(client, db, monkeypatch, private_redis):
    monkeypatch.setattr(app.conf, "broker_url", private_redis.url)
    assert _health(client)[0].json()["checks"]["broker"] == "ok"
    private_redis.pause()
    try:
        for _ in range(2):  # the second one too: nothing cached, nothing stuck
            response, seconds = _health(client)
            assert response.status_code == 503 and seconds < ANSWERS_WITHIN
            assert response.json()["checks"]["broker"] in {"timeout", "error"}
    finally:
        private_redis.resume()
    response, seconds = _health(client)
    assert response.status_code == 200 and seconds < ANSWERS_WITHIN


def test_health_answers_503_in_time_while_the_database_hangs(client, db, monkeypatch):
    unblock = threading.Event()
    monkeypatch.setattr(views, "_database_ok", lambda: unblock.wait(30))
    try:
        response, seconds = _health(client)
    finally:
        unblock.set()
    assert response.status_code == 503 and seconds < ANSWERS_WITHIN
    assert response.json()["checks"] == {"database": "timeout", "broker": "ok", "worker": "unknown", "beat": "unknown"}


def test_health_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def refused():
        raise OSError("connection refused")

    monkeypatch.setattr(views, "_database_ok", refused)
    response, _ = _health(client)
    assert response.status_code == 503 and response.json()["checks"]["database"] == "error"


def test_health_sees_beat_stop_and_then_the_worker_stop(client, private_redis, processes, settings, tmp_path):
    """Real beat and worker processes on a private Redis write their heartbeats; each is killed."""
    settings.REMINDER_HEARTBEAT_STALE_SECONDS = 3
    processes.env = app_env(private_redis, tmp_path, REMINDER_HEARTBEAT_SECONDS=0.5)
    processes.worker()
    processes.beat()

    def checks():
        return client.get(reverse("health")).json()["checks"]

    try:
        wait_until(lambda: checks()["worker"] == "ok" and checks()["beat"] == "ok", 30, 0.3, "worker and beat heartbeats")
        processes.kill("beat")
        wait_until(lambda: checks()["beat"] == "stale", 15, 0.3, "/health/ to call beat stale")
        response = client.get(reverse("health"))
        assert response.status_code == 200 and response.json()["status"] == "degraded"
        assert response.json()["checks"]["worker"] == "ok"
        assert client.get(reverse("health"), {"strict": "1"}).status_code == 503
        processes.signal("worker", signal.SIGKILL)
        wait_until(lambda: checks()["worker"] == "stale", 15, 0.3, "/health/ to call the worker stale")
    except AssertionError:
        print(processes.log("worker"), processes.log("beat"))
        raise
