"""In-process timings of writes (no HTTP): issue 5's programme assignment, issue 7's reminder sweep.

Each returns a bench.json object of its own (no "rps": readers pick pages out by that key):

    {"name": "assign_40_athletes_10_weeks", "seconds": 0.41, "queries": 403, "sessions": 1160,
     "target_seconds": 1.0, "pass": true, ...extras}
    {"name": "reminder_sweep", "seconds": 0.35, "queries_small": 3, "queries_large": 3,
     "due": 1000, "pending": 100000, "target_seconds": 1.0, "pass": true, ...extras}

The sweep enqueues through the real broker: run.py points REDIS_URL at a database of its own
(BENCH_REDIS_URL, default redis://127.0.0.1:6379/15), and broker() empties the queue and removes
every key the bench made there, whatever happens.
"""

import contextlib
import time
from datetime import timedelta

from bench.load import BenchError

ASSIGN_TARGET_SECONDS = 1.0  # issue 5: "well under a second"
ASSIGN_ATHLETES = 40
SWEEP_TARGET_SECONDS = 1.0  # issue 7


def _timed(fn, runs: int, reset=None) -> list[dict]:
    """fn() `runs` times, each with its queries captured; reset() after each run."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            value = fn()
            seconds = time.perf_counter() - t0
        results.append({"seconds": seconds, "queries": len(captured.captured_queries), "value": value,
                        "sql": [q["sql"] for q in captured.captured_queries]})
        if reset:
            reset()
    return results


# --- issue 5: assigning a programme to a team ----------------------------------------------------


def assign_timing(world, runs: int = 3) -> dict:
    """programme_assign() of the library's prevention template to a fresh team of 40 athletes
    (one in ten with an account, so that their session reminders are scheduled too), from next
    Monday on Mondays, Wednesdays and Fridays; best of `runs`, what it made deleted in between.

    The team is the bench coach's only while measured: it is deleted afterwards, so that the
    pages measured later see the World as seeded.
    """
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from athletes.models import Athlete, Team, User
    from programmes.library import PREVENTION_NAME
    from programmes.models import Assignment, LadderPosition, ProgrammeTemplate, ScheduledSession
    from programmes.services import programme_assign
    from reminders.models import Reminder

    template = ProgrammeTemplate.objects.get(name=PREVENTION_NAME, owner__isnull=True)
    today = timezone.localdate()
    start = today + timedelta(days=7 - today.weekday())  # next Monday
    with transaction.atomic():
        team = Team.objects.create(name="Bench assignment team", sport="Football")
        team.coaches.add(world.coach)
        unusable = make_password(None)
        users = User.objects.bulk_create(
            [
                User(email=f"assign.{n}@bench.example", first_name="Assign", last_name=f"Athlete {n}",
                     role=User.Role.ATHLETE, password=unusable)
                for n in range(0, ASSIGN_ATHLETES, 10)
            ]
        )
        by_number = {int(u.email.split(".")[1].split("@")[0]): u for u in users}
        Athlete.objects.bulk_create(
            [
                Athlete(team=team, first_name="Assign", last_name=f"Athlete {n:02d}", sport="Football",
                        user=by_number.get(n), email=f"assign.{n}@bench.example")
                for n in range(ASSIGN_ATHLETES)
            ]
        )

    def assign():
        athletes = list(team.athletes.active())  # as the assign form gives them
        return programme_assign(
            template=template, athletes=athletes, start_date=start, weekdays=[0, 2, 4], assigned_by=world.coach
        )

    def undo():
        Assignment.objects.filter(athlete__team=team).delete()  # sessions, exercises, reminders
        LadderPosition.objects.filter(athlete__team=team).delete()
        Reminder.objects.filter(athlete__team=team).delete()

    expected_sessions = None
    try:
        results = []
        for _ in range(runs):
            [result] = _timed(assign, 1)
            made = result["value"]
            stored = ScheduledSession.objects.filter(athlete__team=team).count()
            reminders = Reminder.objects.filter(athlete__team=team, kind="session_today").count()
            if made != stored or not made:
                raise BenchError(f"programme_assign made {made} sessions, {stored} stored")
            if expected_sessions is not None and made != expected_sessions:
                raise BenchError(f"programme_assign made {made} sessions, {expected_sessions} the time before")
            expected_sessions = made
            result["reminders"] = reminders
            results.append(result)
            undo()
    finally:
        undo()
        Athlete.objects.filter(team=team).delete()
        User.objects.filter(pk__in=[u.pk for u in users]).delete()
        team.delete()
    best = min(results, key=lambda r: r["seconds"])
    return {
        "name": "assign_40_athletes_10_weeks",
        "seconds": round(best["seconds"], 4),
        "queries": best["queries"],
        "sessions": best["value"],
        "target_seconds": ASSIGN_TARGET_SECONDS,
        "pass": best["seconds"] <= ASSIGN_TARGET_SECONDS,
        # extras
        "athletes": ASSIGN_ATHLETES,
        "athletes_with_accounts": len(users),
        "template": PREVENTION_NAME,
        "template_sessions": template.sessions.count(),
        "session_reminders": best["reminders"],
        "runs_seconds": [round(r["seconds"], 4) for r in results],
        "queries_per_athlete": round(best["queries"] / ASSIGN_ATHLETES, 1),
        "sql": best["sql"],  # popped by run.py into bench/var/, not written to bench.json
    }


# --- issue 7: the reminder sweep ------------------------------------------------------------------


@contextlib.contextmanager
def broker():
    """The Celery app on the bench's own Redis database; on the way out, the queue is purged and
    every key the bench created in that database is deleted (keys that were there stay)."""
    import redis
    from django.conf import settings

    from coachapp.celery import app

    url = app.conf.broker_url
    if not url.startswith("redis://") or url != settings.REDIS_URL:
        raise BenchError(f"the reminder sweep needs the Redis broker; the Celery app uses {url!r}")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError as error:
        raise BenchError(f"Redis at {url} does not answer: {error}") from error
    before = set(client.keys("*"))
    try:
        yield app
    finally:
        with contextlib.suppress(Exception):
            app.control.purge()
        made = [key for key in client.keys("*") if key not in before]
        if made:
            client.delete(*made)
        client.close()


def reminder_sweep(world, runs: int) -> dict:
    """One dispatch_due_now() (claim the due reminders, enqueue a send_reminder task for each
    through the broker), `runs` times, the claimed rows put back to pending in between.

    Checks each run: exactly the due reminders claimed, as many messages on the queue (purged
    after each run, so nothing is ever delivered).
    """
    from django.utils import timezone

    from reminders.models import Reminder
    from reminders.services import dispatch_due_now

    pending = Reminder.objects.filter(status=Reminder.Status.PENDING)
    due_ids = list(pending.filter(due_at__lte=timezone.now()).values_list("pk", flat=True))
    total = pending.count()
    if len(due_ids) != world.reminders_due or total != world.reminders_pending:
        raise BenchError(
            f"reminder sweep: {len(due_ids)} due of {total} pending, expected {world.reminders_due} of {world.reminders_pending}"
        )
    with broker() as app:
        app.control.purge()
        results = []
        for _ in range(runs):
            [result] = _timed(dispatch_due_now, 1)
            queued = app.control.purge()
            Reminder.objects.filter(pk__in=due_ids).update(
                status=Reminder.Status.PENDING, claimed_at=None, claim_token="", attempts=0
            )
            if result["value"] != len(due_ids) or queued != len(due_ids):
                raise BenchError(
                    f"reminder sweep claimed {result['value']} and queued {queued} of {len(due_ids)} due reminders"
                )
            result["queued"] = queued
            results.append(result)
    best = min(results, key=lambda r: r["seconds"])
    return {**best, "runs_seconds": [round(r["seconds"], 4) for r in results], "due": len(due_ids), "pending": total,
            "plan": due_rows_plan()}


def due_rows_plan() -> dict:
    """EXPLAIN ANALYZE of the sweep's due-rows query (services.due_rows) as the sweep runs it: the
    index it uses (None: a sequential scan) and its execution time; the plan text goes to
    bench/var/explain-reminder_sweep-<size>.txt (run.py)."""
    import re

    from django.utils import timezone

    from reminders.services import due_rows

    text = due_rows(timezone.now()).explain(analyze=True, buffers=True)
    index = re.search(r"(?:Index (?:Only )?Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)", text)
    took = re.search(r"Execution Time: ([\d.]+) ms", text)
    return {"index": index.group(1) if index else None, "ms": float(took.group(1)) if took else 0.0, "text": text}


def sweep_result(small: dict, large: dict, broker_url: str) -> dict:
    from reminders.queue import PUBLISH_CHUNK

    seconds = large["seconds"]
    queries_ok = large["queries"] == small["queries"]
    return {
        "name": "reminder_sweep",
        "seconds": round(seconds, 4),
        "queries_small": small["queries"],
        "queries_large": large["queries"],
        "due": large["due"],
        "pending": large["pending"],
        "target_seconds": SWEEP_TARGET_SECONDS,
        "pass": seconds <= SWEEP_TARGET_SECONDS and queries_ok,
        # extras
        "seconds_pass": seconds <= SWEEP_TARGET_SECONDS,
        "queries_pass": queries_ok,
        "pending_small": small["pending"],
        "due_small": small["due"],
        "seconds_small": round(small["seconds"], 4),
        "runs_seconds": large["runs_seconds"],
        "queued": large["queued"],
        "broker": broker_url,
        "plan_index": large["plan"]["index"],
        "plan_ms": large["plan"]["ms"],
        "plan_index_small": small["plan"]["index"],
        "publish_chunk": PUBLISH_CHUNK,
        "publish_round_trips": -(-large["due"] // PUBLISH_CHUNK),  # one pipeline per chunk (reminders/queue.py)
    }
