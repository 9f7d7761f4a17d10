"""A local stand-in for a browser's push service (FCM, Mozilla's, Apple's), and a "browser" to go with it.

pywebpush posts each push to the subscription's endpoint URL, so a subscription whose endpoint is
http://127.0.0.1:<port>/push/<device> reaches this receiver instead of the internet. It keeps every
request, answers with the codes a test scripts per device (201 when nothing is scripted), and can
decrypt a push with the device's private key, as the browser would.
"""

import base64
import json
import os
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Device:
    """What a browser keeps for one subscription: its key pair and auth secret."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64(self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        ))

    @property
    def auth(self) -> str:
        return b64(self.auth_secret)

    def fields(self) -> dict:
        return {"endpoint": self.endpoint, "p256dh": self.p256dh, "auth": self.auth}

    def read(self, body: bytes) -> dict:
        """Decrypt one push (aes128gcm, RFC 8291) as the browser would, and parse its JSON."""
        return json.loads(http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm"))


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    answered: int


class PushService:
    """The receiver: every request kept; answers scripted per device path (e.g. [500, 201]).

    With hold_after=N it stops answering once N pushes are in (each is kept as soon as it has
    arrived, as a real push service would have taken it): a sender killed while waiting for the
    answer has delivered its push, which is how a repeat arises. release() answers them all.
    """

    def __init__(self, hold_after: int | None = None):
        self.received: list[Received] = []
        self.script: dict[str, list[int]] = {}
        self.lock = threading.Lock()
        self.hold_after = hold_after
        self.holding = 0  # requests waiting for their answer while held
        self.released = threading.Event()
        self.released.set()
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with service.lock:
                    answers = service.script.get(self.path, [])
                    code = answers.pop(0) if answers else 201
                    service.received.append(Received(self.path, {k.title(): v for k, v in self.headers.items()}, body, code))
                    if service.hold_after is not None and len(service.received) > service.hold_after:
                        service.hold_after = None
                        service.released.clear()
                    service.holding += not service.released.is_set()
                service.released.wait(30)
                try:
                    self.send_response(code)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:  # the sender died waiting
                    pass

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def device(self, name: str) -> Device:
        return Device(endpoint=f"{self.url}/push/{name}")

    def answer(self, name: str, *codes: int) -> None:
        """The next answers to pushes for this device, in order; then 201."""
        with self.lock:
            self.script[f"/push/{name}"] = list(codes)

    def requests_for(self, name: str) -> list[Received]:
        with self.lock:
            return [r for r in self.received if r.path == f"/push/{name}"]

    def count(self) -> int:
        with self.lock:
            return len(self.received)

    def release(self) -> None:
        self.released.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()
