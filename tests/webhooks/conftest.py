"""A local receiver (http.server on 127.0.0.1, in a thread) and a pinned clock for the webhook tests."""

import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine

from webhooks import services

MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


class Receiver:
    """Answers each POST with the next status in `answers` (then 200), after `delay` seconds,
    and keeps what it got."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.delay = 0.0
        self.hold_first = False  # the first request waits for `release` (a worker to kill meanwhile)
        self.release = threading.Event()
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.requests.append({"headers": dict(self.headers), "body": body})
                    status = receiver.answers.pop(0) if receiver.answers else 200
                if receiver.hold_first and len(receiver.requests) == 1:
                    receiver.release.wait(30)
                time.sleep(receiver.delay)
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def event_ids(self):
        return [request["headers"]["X-Coachapp-Delivery"] for request in self.requests]

    def payloads(self):
        return [json.loads(request["body"]) for request in self.requests]

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local(settings):
    settings.WEBHOOK_ALLOW_LOCALHOST = True
    return settings


@pytest.fixture
def receiver(local):
    receiver = Receiver()
    yield receiver
    receiver.close()


@pytest.fixture
def clock():
    with time_machine.travel(MONDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def enqueued(monkeypatch):
    """What would have gone to the broker, by delivery id."""
    ids = []
    monkeypatch.setattr(services, "enqueue", lambda pks: ids.extend(pks))
    return ids
