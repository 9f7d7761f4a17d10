"""What a web request may ask of the broker: a couple of seconds at most, never a retry loop.

A hung Redis (the process alive, nothing answering) is worse than a stopped one: without socket
timeouts every call waits until gunicorn kills the worker. Workers and beat use Celery's own
connections (timeouts in settings, REDIS_TIMEOUT_SECONDS); a request and /health/ use a
connection of their own whose timeouts are set here (BROKER_REQUEST_TIMEOUT_SECONDS), so no
other setting can make a page wait longer. After a request finds the broker failing, the
requests of that process leave it alone for REMINDER_BROKER_BACKOFF_SECONDS: their reminders
stay pending and the sweep sends them.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor, wait

from celery import current_app
from django.conf import settings

logger = logging.getLogger(__name__)

_quiet_until = 0.0  # time.monotonic() before which this process's requests skip the broker
_helpers: ThreadPoolExecutor | None = None


def request_connection():
    """A fresh connection for one request's publishes: one attempt, short socket timeouts."""
    seconds = settings.BROKER_REQUEST_TIMEOUT_SECONDS
    return current_app.connection_for_write(
        connect_timeout=seconds,
        transport_options={
            "socket_connect_timeout": seconds,
            "socket_timeout": seconds,
            "retry_on_timeout": False,
            "max_retries": 0,
        },
    )


def backing_off() -> bool:
    return time.monotonic() < _quiet_until


def failed(error: BaseException) -> None:
    global _quiet_until
    _quiet_until = time.monotonic() + settings.REMINDER_BROKER_BACKOFF_SECONDS
    logger.warning(
        "broker did not take a request's reminders (%s); they stay pending for the sweep, and this "
        "process stops trying for %ss", error, settings.REMINDER_BROKER_BACKOFF_SECONDS,
    )


def reset() -> None:
    """Forget a past failure (tests)."""
    global _quiet_until
    _quiet_until = 0.0


def ping() -> None:
    """A real round trip to the broker every time (a pooled connection can look alive when it is not)."""
    with request_connection() as connection:
        connection.ensure_connection(max_retries=0)
        client = getattr(connection.default_channel, "client", None)
        if client is not None:  # Redis
            client.ping()


def queue_depth() -> int:
    """Messages waiting in the default queue (every priority)."""
    with request_connection() as connection:
        connection.ensure_connection(max_retries=0)
        return connection.default_channel.queue_declare(queue=current_app.conf.task_default_queue).message_count


def within(seconds: float, **calls) -> dict:
    """Run the calls together in helper threads and wait `seconds` at most.

    Each name maps to the call's result, to the exception it raised, or to a TimeoutError if it had
    not answered in time (it goes on in its thread until its own timeouts end it). For checks that
    must answer in time whatever a server does.
    """
    global _helpers
    if _helpers is None:
        _helpers = ThreadPoolExecutor(max_workers=8, thread_name_prefix="deadline")
    futures = {name: _helpers.submit(call) for name, call in calls.items()}
    wait(futures.values(), timeout=seconds)
    answers = {}
    for name, future in futures.items():
        if not future.done():
            answers[name] = TimeoutError(f"no answer within {seconds}s")
        elif future.exception() is not None:
            answers[name] = future.exception()
        else:
            answers[name] = future.result()
    return answers
