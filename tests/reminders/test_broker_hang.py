"""A hung Redis (SIGSTOP: sockets open, nothing answers) must cost pages seconds, never a 500.

The bounds are generous on purpose: a page answers in under 3 s because the broker's timeouts are
2 s; that is the behaviour under test, not the machine's speed.
"""

import threading
import time
from datetime import timedelta

import pytest
import requests
from django.test import Client
from django.utils import timezone

from coachapp.celery import app
from programmes import services as programme_services
from reminders import broker
from reminders.models import Heartbeat, Reminder, SentLog
from tests.factories import AthleteFactory, AthleteUserFactory, assigned_session, seed_reference_data
from tests.reminders.processes import app_env, free_port, wait_until

PAGE_WITHIN = 3.0  # seconds: the broker timeout (2 s) and the page itself
PAUSE = 10.0  # seconds the broker hangs (production saw minutes; the behaviour is the same)
DELIVERED_WITHIN = 60.0  # seconds after the broker is back, for every alert raised while it hung


def test_a_hung_broker_costs_a_pain_alert_one_timeout_and_the_next_nothing(world, monkeypatch, private_redis, django_capture_on_commit_callbacks):
    monkeypatch.setattr(app.conf, "broker_url", private_redis.url)
    connections = []
    real_connection = broker.request_connection
    monkeypatch.setattr(broker, "request_connection", lambda: connections.append(1) or real_connection())
    sessions = [assigned_session(a, world.coach) for a in (world.athlete, world.other_athlete)]
    private_redis.pause()
    try:
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            programme_services.session_complete(session=sessions[0], worst_pain=8, sharp_pain=False)
        seconds = time.monotonic() - started
        with django_capture_on_commit_callbacks(execute=True):
            programme_services.session_complete(session=sessions[1], worst_pain=8, sharp_pain=False)
    finally:
        private_redis.resume()
    assert seconds < PAGE_WITHIN
    assert len(connections) == 1  # the second request left the hung broker alone
    assert set(Reminder.objects.filter(kind="pain_alert").values_list("status", flat=True)) == {"pending"}


class Browser:
    """A signed-in person's cookies, used against gunicorn with requests."""

    def __init__(self, user, base):
        client = Client()
        client.force_login(user)
        self.base = base
        self.http = requests.Session()
        self.http.cookies.update({name: morsel.value for name, morsel in client.cookies.items()})

    def get(self, path):
        started = time.monotonic()
        response = self.http.get(self.base + path, allow_redirects=False, timeout=60)
        return path, response.status_code, time.monotonic() - started, response

    def post(self, path, data):
        started = time.monotonic()
        response = self.http.post(
            self.base + path, data, allow_redirects=False, timeout=60,
            headers={"X-CSRFToken": self.http.cookies.get("csrftoken", ""), "Referer": self.base + path},
        )
        return path, response.status_code, time.monotonic() - started, response


@pytest.fixture
def site(private_redis, processes, served_var):
    """gunicorn (2 sync workers), a Celery worker and beat, all on the private Redis."""
    seed_reference_data()  # an earlier transactional test may have emptied the library
    port = free_port()
    processes.env = app_env(private_redis, served_var, REMINDER_HEARTBEAT_SECONDS=1)
    processes.beat()
    processes.worker()
    processes.gunicorn(port)
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            return requests.get(base + "/health/", timeout=5).status_code == 200
        except requests.RequestException:
            return False

    try:
        wait_until(up, 30, 0.2, "gunicorn")
        wait_until(lambda: Heartbeat.objects.filter(name__startswith="worker:").exists()
                   and Heartbeat.objects.filter(name="beat").exists(), 30, 0.2, "worker and beat")
    except AssertionError:
        print(processes.log("gunicorn"), processes.log("worker"), processes.log("beat"))
        raise
    return base


@pytest.mark.django_db(transaction=True)
def test_with_redis_hung_pages_answer_health_says_503_and_every_alert_goes_out_after(world, site, processes, private_redis):
    phones = []
    for i in range(6):
        athlete = world.athlete if i == 0 else AthleteFactory(team=world.team, user=AthleteUserFactory())
        session = assigned_session(athlete, world.coach)
        phone = Browser(athlete.user, site)
        assert phone.get(f"/me/sessions/{session.pk}/")[1] == 200  # a page with a form: the CSRF cookie
        phones.append((phone, session))
    coaches = [Browser(world.coach, site), Browser(world.coach, site)]
    coach_pages = ["/", "/board/", "/athletes/", f"/athletes/{world.athlete.pk}/", "/complaints/", "/notifications/"]
    finish = {"worst_pain": "8", "sharp_pain": "False"}

    # Before: an alert goes straight from the request to the worker.
    phone, session = phones[0]
    assert phone.post(f"/me/sessions/{session.pk}/finish/", finish)[1] == 302
    wait_until(lambda: SentLog.objects.filter(reminder__session=session).exists(), 20, 0.2, "the first alert")

    results, health_during = [], []
    stop = threading.Event()

    def coach_loop(coach):
        while not stop.is_set():
            for path in coach_pages:
                results.append(coach.get(path))
                time.sleep(0.2)

    def phone_run(phone, session, after):
        time.sleep(after)
        results.append(phone.post(f"/me/sessions/{session.pk}/finish/", finish))
        results.append(phone.get("/me/"))

    def health_loop():
        while not stop.is_set():
            health_during.append(coaches[0].get("/health/"))
            time.sleep(1.0)

    private_redis.pause()
    paused_at = time.monotonic()
    threads = [threading.Thread(target=coach_loop, args=(coach,)) for coach in coaches]
    threads += [threading.Thread(target=phone_run, args=(*phones[i], 1.5 * i)) for i in range(1, len(phones))]
    threads.append(threading.Thread(target=health_loop))
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, PAUSE - (time.monotonic() - paused_at)))
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    resumed = timezone.now()
    private_redis.resume()

    try:
        health_after = wait_until(lambda: (r := coaches[0].get("/health/")) and r[1] == 200 and r, 15, 0.5, "/health/ 200")
        alerts = Reminder.objects.filter(kind="pain_alert", session__in=[s for _, s in phones[1:]])
        assert alerts.count() == len(phones) - 1  # every session saved with its alert
        wait_until(lambda: SentLog.objects.filter(reminder__in=alerts).count() == alerts.count(),
                   DELIVERED_WITHIN + 5, 0.5, "every alert delivered")
    except AssertionError:
        print(processes.log("gunicorn")[-3000:], processes.log("worker"), processes.log("beat"))
        raise
    finally:
        stop.set()

    slow_or_failed = [(path, status, round(seconds, 2)) for path, status, seconds, _ in results if status >= 500 or seconds >= PAGE_WITHIN]
    assert not slow_or_failed
    assert {status for path, status, *_ in results if "/finish/" not in path} == {200}  # real pages, not redirects
    assert sum(1 for path, status, *_ in results if "/finish/" in path and status == 302) == len(phones) - 1
    assert len(results) > 20  # the coaches kept loading pages all along
    assert len(health_during) >= 3
    assert all(status == 503 and seconds < PAGE_WITHIN for _, status, seconds, _ in health_during)
    assert {r.json()["checks"]["broker"] for *_, r in health_during} <= {"timeout", "error"}
    assert health_after[2] < PAGE_WITHIN
    latest = max(SentLog.objects.filter(reminder__in=alerts).values_list("sent_at", flat=True))
    assert latest - resumed < timedelta(seconds=DELIVERED_WITHIN)
    print(f"{len(results)} requests while Redis hung, slowest {max(s for _, _, s, _ in results):.2f}s; "
          f"health {[round(s, 2) for _, _, s, _ in health_during]}; last alert {(latest - resumed).total_seconds():.1f}s after resuming")
