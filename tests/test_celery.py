import os

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from coachapp.celery import app
from coachapp.tasks import heartbeat
from tests.conftest import IN_CI


def test_make_test_runs_against_real_redis():
    if IN_CI or os.environ.get("REDIS_URL"):
        assert settings.CELERY_BROKER_URL.startswith("redis://")


def test_beat_schedules_the_heartbeat():
    assert settings.CELERY_BEAT_SCHEDULE["reminders-sweep"]["task"] == "reminders.tasks.sweep"
    assert app.conf.task_serializer == "json" and app.conf.task_time_limit


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_a_task_through_the_broker():
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = heartbeat.delay()
        assert result.get(timeout=20)
