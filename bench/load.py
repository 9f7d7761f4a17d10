"""Serve the app with gunicorn and drive HTTP load at it (standard library only)."""

import os
import socket
import statistics
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


class BenchError(Exception):
    """The bench itself failed (as opposed to a page missing its target)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`with Gunicorn(...) as server:` starts gunicorn, waits until it answers, stops it after."""

    def __init__(self, root: Path, log: Path, workers: int = 2, threads: int = 1, ready_path="/"):
        self.root, self.log, self.workers, self.threads = root, log, workers, threads
        self.ready_path = ready_path
        self.host, self.port = "127.0.0.1", free_port()
        self.proc = None

    def __enter__(self):
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.log.write_text("")
        cmd = [
            str(self.root / ".venv" / "bin" / "gunicorn"),
            "coachapp.wsgi",
            "--bind", f"{self.host}:{self.port}",
            "--workers", str(self.workers),
            "--no-control-socket",
            "--error-logfile", str(self.log),
            "--log-level", "warning",
            "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",
        ]
        if self.threads > 1:
            cmd += ["--worker-class", "gthread", "--threads", str(self.threads)]
        self.proc = subprocess.Popen(
            cmd, cwd=self.root, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        try:
            self._wait_ready(timeout=30)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(f"gunicorn exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                status, body = get(self.host, self.port, self.ready_path, timeout=2)
                if status == 200:
                    return
                last = f"HTTP {status}: {body[:200]!r}"
            except OSError as error:
                last = repr(error)
            time.sleep(0.1)
        raise BenchError(f"gunicorn did not answer {self.ready_path} in {timeout} s ({last}):\n{self.log_tail()}")

    def log_tail(self, lines=30) -> str:
        try:
            return "\n".join(self.log.read_text().splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # the master stops its workers gracefully
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def __exit__(self, *exc):
        self.stop()
        return False


LINGER_RESET = struct.pack("ii", 1, 0)


def request_bytes(host, port, path, headers=None, method="GET", body=b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}:{port}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method != "GET":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def get(host, port, path, headers=None, timeout=10, raw=None):
    """One GET over a fresh connection; returns (status, body).

    A minimal HTTP/1.1 client: `Connection: close`, read to EOF (gunicorn's sync workers close
    every connection anyway). The socket is closed with a reset, so that tens of thousands of
    requests a run leave no TIME_WAIT sockets behind: those would use up the loopback's
    ephemeral ports and slow down every later connect (and so every later window).
    """
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_RESET)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(raw or request_bytes(host, port, path, headers))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    finally:
        sock.close()
    data = b"".join(chunks)
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep or not head.startswith(b"HTTP/1."):
        raise ConnectionError(f"malformed response: {data[:120]!r}")
    status = int(head[9:12])
    if b"\r\ntransfer-encoding: chunked" in head.lower():
        body = dechunk(body)
    return status, body


def dechunk(body: bytes) -> bytes:
    out, rest = [], body
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if not size:
            break
        out.append(rest[:size])
        rest = rest[size + 2 :]
    return b"".join(out)


@dataclass
class Window:
    """What one timed burst of requests at one URL gave."""

    requests: int
    seconds: float
    latencies: list = field(repr=False, default_factory=list)
    errors: list = field(default_factory=list)  # the first few
    failures: int = 0

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else 0.0

    @property
    def p95_ms(self) -> float:
        """The 95th percentile of the request latencies (nearest rank)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))] * 1000


def hammer(
    host, port, path, *, cookie, validate, seconds, concurrency, max_requests=100_000,
    method="GET", headers=None, body=b"",
) -> Window:
    """`concurrency` client threads request `path` for `seconds` (or max_requests in all).

    A GET by default; `method`, extra `headers` and a `body` (already encoded, its
    Content-Type among the headers) for anything else. Every response must be a 200 whose body
    passes validate(body) -> error or None; the first few failures are kept in Window.errors.
    rps counts completed requests over the wall time from the start until the last thread
    finished.
    """
    cookies = {"Cookie": cookie} if cookie else {}  # an API call with a token sends none
    raw = request_bytes(
        host, port, path, {**cookies, "User-Agent": "coachapp-bench", **(headers or {})}, method, body
    )
    lock = threading.Lock()
    done = [0]
    failures = [0]
    latencies, errors = [], []
    start_gate = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def client():
        mine = []
        start_gate.wait()
        while time.perf_counter() < deadline[0]:
            with lock:
                if done[0] >= max_requests:
                    break
                done[0] += 1
            t0 = time.perf_counter()
            try:
                status, body = get(host, port, path, raw=raw)
                problem = None if status == 200 else f"HTTP {status}: {body[:120]!r}"
                problem = problem or validate(body)
            except Exception as error:  # connection refused, reset, timeout
                problem = repr(error)
            mine.append(time.perf_counter() - t0)
            if problem:
                with lock:
                    failures[0] += 1
                    if len(errors) < 5:
                        errors.append(problem)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    deadline[0] = started + seconds
    start_gate.wait()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - started
    return Window(requests=len(latencies), seconds=elapsed, latencies=latencies, errors=errors, failures=failures[0])
