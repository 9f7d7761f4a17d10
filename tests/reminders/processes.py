"""Real processes for the fault tests: a private Redis on a port of its own (paused with SIGSTOP
to hang it), gunicorn, a Celery worker and beat on the test database, and an SMTP sink.

Only what these helpers started is ever stopped, by process group id. The Redis on 6379 that
others use is never touched.
"""

import email
import json
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def require(program: str) -> str:
    path = shutil.which(program)
    if not path:
        if IN_CI:
            pytest.fail(f"{program} is missing (CI must run the fault tests)")
        pytest.skip(f"{program} is missing")
    return path


def require_server_database() -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if IN_CI:
            pytest.fail("the fault tests need PostgreSQL (DATABASE_URL)")
        pytest.skip("the fault tests' worker processes need a server database")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class PrivateRedis:
    """redis-server on a free port, no persistence; pause() hangs it (open sockets, no answers)."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = subprocess.Popen(
            [require("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.paused = False
        wait_until(self.answers, 10, what=f"redis on {self.port}")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def pause(self) -> None:
        os.kill(self.process.pid, signal.SIGSTOP)
        self.paused = True

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)
        self.paused = False

    def stop(self) -> None:
        if self.paused:
            self.resume()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    redis = PrivateRedis(tmp_path)
    yield redis
    redis.stop()


def database_url() -> str:
    """The test database (pytest-django's), for processes of our own."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def served_var(tmp_path_factory):
    """A var/ folder with collected static files: gunicorn runs with production settings (DEBUG off)."""
    folder = tmp_path_factory.mktemp("var")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, check=True, timeout=120,
        env={**os.environ, "COACHAPP_VAR_DIR": str(folder), "DEBUG": "false", "SECRET_KEY": "collectstatic"},
    )
    return folder


class Processes:
    """Subprocesses in sessions of their own (a worker's pool children die with it), logs kept."""

    def __init__(self, folder: Path, env: dict):
        self.folder = folder
        self.env = env
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], **env) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")
        process = subprocess.Popen(
            argv, cwd=ROOT, env={**self.env, **env}, start_new_session=True, stdout=log, stderr=subprocess.STDOUT,
        )
        log.close()
        self.running[name] = process
        return process

    def worker(self, name: str = "worker", **env) -> subprocess.Popen:
        return self.start(name, [
            sys.executable, "-m", "celery", "-A", "coachapp", "worker", "--concurrency", "2", "--loglevel", "INFO",
            "--without-mingle", "--without-gossip", "--hostname", f"{name}@faults",
        ], **env)

    def beat(self, **env) -> subprocess.Popen:
        return self.start("beat", [
            sys.executable, "-m", "celery", "-A", "coachapp", "beat", "--loglevel", "INFO",
            "--schedule", str(self.folder / "beat-schedule"),
        ], **env)

    def gunicorn(self, port: int, **env) -> subprocess.Popen:
        # Sync workers, two of them, as in the issue: a request stuck on the broker holds one.
        return self.start("gunicorn", [
            str(BIN / "gunicorn"), "coachapp.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
            "--timeout", "30", "--no-control-socket", "--access-logfile", "-",
        ], **env)

    def signal(self, name: str, sig: int) -> None:
        process = self.running[name]
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass

    def kill(self, name: str) -> None:
        self.signal(name, signal.SIGKILL)
        self.running.pop(name).wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.running):
            process = self.running.pop(name)
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                    process.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass
            try:
                os.killpg(process.pid, signal.SIGKILL)  # pool children left behind, if any
            except ProcessLookupError:
                pass
            process.wait(timeout=10)

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""


def app_env(redis: PrivateRedis, var: Path, *, email_url: str = "dummymail://", **faster) -> dict:
    """The environment of our gunicorn, worker and beat: production settings on the test database
    and the private Redis; `faster` overrides settings by name (tests/reminders/fault_settings.py)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.reminders.fault_settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": redis.url,
        "DEBUG": "false",
        "SECRET_KEY": settings.SECRET_KEY,  # the test's sessions must be valid in gunicorn
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "COACHAPP_VAR_DIR": str(var),
        "EMAIL_URL": email_url,
        "LOG_LEVEL": "INFO",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update({f"FAULT_{name}": json.dumps(value) for name, value in faster.items()})
    return env


@pytest.fixture
def processes(transactional_db, tmp_path):
    """Started after the database and stopped before its flush (fixtures end in reverse order)."""
    require_server_database()
    running = Processes(tmp_path, env=dict(os.environ))
    yield running
    running.stop_all()


# --- An SMTP server that keeps what it is sent, and can hold its answer to a message --------------


class SmtpSink:
    """Enough of SMTP for Django's backend. Every message is kept as soon as its data ends, before
    the 250 answer: a sender killed while waiting for that answer has delivered it (as a real mail
    server would), which is how a duplicate arises. hold() makes it stop answering."""

    def __init__(self, delay: float = 0.0, hold_after: int | None = None):
        self.messages: list[email.message.Message] = []
        self.delay = delay
        self.hold_after = hold_after  # hold() by itself once this many messages are in
        self.holding = 0  # connections waiting for their 250 while held
        self.released = threading.Event()
        self.released.set()
        self.lock = threading.Lock()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self):
                self.reply("220 sink ESMTP")
                while line := self.rfile.readline():
                    verb = line.decode(errors="replace").strip().split(" ")[0].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 sink")
                    elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 go ahead")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        with sink.lock:
                            sink.messages.append(email.message_from_bytes(b"".join(data)))
                            if sink.hold_after is not None and len(sink.messages) > sink.hold_after:
                                sink.hold_after = None
                                sink.released.clear()
                            sink.holding += not sink.released.is_set()
                        sink.released.wait(30)
                        time.sleep(sink.delay)
                        try:
                            self.reply("250 OK queued")
                        except OSError:  # the sender died waiting
                            return
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not implemented")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"smtp://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def hold(self) -> None:
        self.released.clear()

    def release(self) -> None:
        self.released.set()

    def message_ids(self) -> list[str]:
        with self.lock:
            return [message["Message-ID"] for message in self.messages]

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
