"""Idempotency keys are remembered for API_IDEMPOTENCY_KEEP_HOURS, then the hourly beat task
forgets them: the same key sent later is a new request."""

from datetime import UTC, datetime, timedelta

import time_machine
from django.conf import settings
from django.urls import reverse

from api.models import IdempotencyKey
from api.tasks import idempotency_keys_expire
from testing.models import TestResult

START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def _record(client, world, key, day="2026-03-02"):
    body = {"athlete": world.athlete.pk, "test": "nordic", "tested_on": day, "left": "300", "right": "310"}
    return client.post(reverse("api:test-result-list"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_keys_older_than_the_setting_are_forgotten_and_younger_ones_kept(api, world, settings):
    settings.API_IDEMPOTENCY_KEEP_HOURS = 24
    client = api(world.coach, write=True)
    with time_machine.travel(START, tick=False):
        assert _record(client, world, "old").status_code == 201
    with time_machine.travel(START + timedelta(hours=20), tick=False):
        assert _record(client, world, "young", day="2026-03-03").status_code == 201
    with time_machine.travel(START + timedelta(hours=23, minutes=59), tick=False):
        assert idempotency_keys_expire() == 0  # nothing is a day old yet
    with time_machine.travel(START + timedelta(hours=24, minutes=1), tick=False):
        assert idempotency_keys_expire() == 1
        assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"young"}
        assert idempotency_keys_expire() == 0  # idempotent
        # The young key still replays; the forgotten one is a new request (refused: the result exists).
        assert _record(client, world, "young", day="2026-03-03")["Idempotent-Replayed"] == "true"
        again = _record(client, world, "old")
        assert again.status_code == 400 and "Idempotent-Replayed" not in again
    assert TestResult.objects.count() == 2


def test_the_expiry_runs_hourly_from_beat():
    from coachapp.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["api-idempotency-expire"]
    assert entry == {"task": "api.tasks.idempotency_keys_expire", "schedule": 60.0 * 60}
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
