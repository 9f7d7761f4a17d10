import os
import subprocess
import sys
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from coachapp.celery import app
from reminders.models import Heartbeat
from reminders.tasks import send_reminder, sweep
from tests.conftest import IN_CI


def test_make_test_runs_against_real_redis():
    if IN_CI or os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_beat_schedules_the_sweeps_and_writes_its_own_heartbeat():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["reminders-sweep"]["task"] == "reminders.tasks.sweep"
    assert schedule["reminders-sweep-urgent"]["task"] == "reminders.tasks.sweep_urgent"
    assert schedule["reminders-sweep-urgent"]["schedule"] + settings.REMINDER_URGENT_STALE_CLAIM_SECONDS <= 60
    assert app.conf.beat_scheduler == "coachapp.celery:HeartbeatScheduler"
    assert app.conf.task_serializer == "json" and app.conf.task_time_limit


def test_every_scheduled_task_is_registered_under_its_name():
    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
    missed = settings.CELERY_BEAT_SCHEDULE["programmes-missed-sessions"]
    assert missed == {"task": "programmes.tasks.detect_missed_sessions", "schedule": 60.0 * 60}


def test_a_web_process_knows_the_send_task_by_name_before_any_worker_imports_it():
    """The services hand sends over by name (reminders/queue.py); RemindersConfig.ready registers it."""
    code = "import django; django.setup(); from coachapp.celery import app; print('reminders.tasks.send_reminder' in app.tasks)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "coachapp.settings", "DEBUG": "true"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60).stdout
    assert out.strip().splitlines()[-1] == "True"


def test_an_urgent_send_ends_before_its_claim_lapses():
    # Otherwise a slow send would be taken for a lost one and started a second time.
    assert send_reminder.time_limit < settings.REMINDER_URGENT_STALE_CLAIM_SECONDS
    assert settings.REMINDER_SMTP_TIMEOUT < send_reminder.soft_time_limit


def test_with_redis_every_socket_has_a_short_timeout_and_nothing_retries_a_timeout():
    """The settings as a web process, worker and beat load them with REDIS_URL set."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CELERY_BROKER_TRANSPORT_OPTIONS, s.CELERY_REDIS_SOCKET_TIMEOUT, "
        "s.CELERY_REDIS_SOCKET_CONNECT_TIMEOUT, s.CELERY_BROKER_CONNECTION_TIMEOUT, s.BROKER_REQUEST_TIMEOUT_SECONDS]))"
    )
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:1/0", "DJANGO_SETTINGS_MODULE": "coachapp.settings", "DEBUG": "true"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=60).stdout
    import json

    options, result_timeout, result_connect, connection_timeout, request_timeout = json.loads(out.strip().splitlines()[-1])
    assert 1 < options["socket_timeout"] <= 2 and 0 < options["socket_connect_timeout"] <= 2
    assert options["retry_on_timeout"] is False and options["max_retries"] == 0
    assert result_timeout <= 2 and result_connect <= 2 and connection_timeout <= 2
    assert request_timeout <= 2


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_through_the_broker_and_writes_its_heartbeat():
    """The minute sweep, sent through the broker, run by a worker: the sweep's heartbeat row says
    it ran, and the worker writes its own."""
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        sweep.delay()
        deadline = time.monotonic() + 20
        while not Heartbeat.objects.filter(name="sweep").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
    assert Heartbeat.objects.get(name="sweep").detail == {"requeued": 0, "dispatched": 0}
    assert Heartbeat.objects.filter(name__startswith="worker:").exists()
