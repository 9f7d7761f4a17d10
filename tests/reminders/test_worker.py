"""Reminders through a real Celery worker and the real broker (Redis under `make test`)."""

import smtplib
import threading
import time
from datetime import timedelta
from unittest import mock

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection
from django.utils import timezone

from coachapp.celery import app
from reminders import services
from reminders.models import Reminder, SentLog

pytestmark = pytest.mark.django_db(transaction=True)


def _due(world, n):
    return Reminder.objects.bulk_create(
        Reminder(kind="missed_sessions", recipient=world.coach, occurrence=f"w:{i}", athlete=world.athlete,
                 due_at=timezone.now() - timedelta(seconds=5))
        for i in range(n)
    )


def _wait_sent(count, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if SentLog.objects.count() >= count:
            return
        time.sleep(0.2)


def _sweep_in_a_thread():
    try:
        services.dispatch_due_now()
    finally:
        connection.close()  # the thread's own; left open, it would keep the test database from being dropped


def test_due_reminders_are_sent_once_even_when_two_sweeps_run_at_once(world, mailoutbox):
    reminders = _due(world, 40)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        sweeps = [threading.Thread(target=_sweep_in_a_thread) for _ in range(2)]
        for sweep in sweeps:
            sweep.start()
        for sweep in sweeps:
            sweep.join()
        _wait_sent(len(reminders))
        time.sleep(1)  # anything sent twice would show up now
    assert SentLog.objects.count() == len(reminders)
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mailoutbox) == len(reminders)


def test_a_failing_mail_server_is_retried_until_it_works(world, mailoutbox):
    (reminder,) = _due(world, 1)
    real_send = services.send_email
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("mail server down")
        return real_send(*args, **kwargs)

    with mock.patch.object(services, "send_email", side_effect=flaky):
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            services.dispatch_due_now()
            _wait_sent(1, timeout=40)
    assert len(calls) == 2
    assert SentLog.objects.filter(reminder=reminder).count() == 1 and len(mailoutbox) == 1
    assert Reminder.objects.get(pk=reminder.pk).email_attempts == 2
