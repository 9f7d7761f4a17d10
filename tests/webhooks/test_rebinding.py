"""DNS rebinding: the name is looked up once when sending, its addresses checked, and the request
connects to those very addresses (with the hostname still in the Host header, the TLS server name
and the certificate check); a name that resolves to a private address by then is refused before
anything leaves."""

import socket
import ssl

import pytest

from webhooks import services

REAL_GETADDRINFO = socket.getaddrinfo


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Sent directly, as without a proxy in the environment (through one, the proxy looks the name up)."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def _answers(monkeypatch, name, *addresses):
    """`name` resolves to each of `addresses` in turn (the last one from then on); other names as usual."""
    asked = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != name:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        asked.append(host)
        address = addresses[min(len(asked), len(addresses)) - 1]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.fixture
def nothing_leaves(monkeypatch):
    """Fails the test on any connection attempt."""
    tried = []

    def create_connection(address, *args, **kwargs):
        tried.append(address)
        raise AssertionError(f"a connection to {address} was attempted")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return tried


@pytest.mark.parametrize("private", ["10.0.0.5", "192.168.1.20", "169.254.169.254", "127.0.0.1", "::1", "fd00::1"])
def test_a_name_that_resolves_to_a_private_address_at_send_time_is_refused_and_nothing_leaves(monkeypatch, nothing_leaves, private):
    _answers(monkeypatch, "hooks.example.com", private)

    code, error = services.post("https://hooks.example.com/in", b"{}", {})

    assert code is None and "private address" in error
    assert nothing_leaves == []


def test_the_request_connects_to_the_address_that_was_checked_not_to_a_second_lookup(monkeypatch):
    # Public when checked, private on any later lookup: the rebinding trick.
    asked = _answers(monkeypatch, "hooks.example.com", "93.184.215.14", "10.0.0.5")
    connected, server_names = [], []
    listener = socket.create_server(("127.0.0.1", 0))  # stands in for the receiver's TCP end
    real_create_connection = socket.create_connection

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        return real_create_connection(listener.getsockname())

    def wrap_socket(self, sock, *args, server_hostname=None, **kwargs):
        server_names.append((server_hostname, self.check_hostname, self.verify_mode))
        sock.close()
        raise ssl.SSLError("the test stops at the handshake")

    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", wrap_socket)

    try:
        code, error = services.post("https://hooks.example.com/in", b"{}", {})
    finally:
        listener.close()

    assert code is None and "handshake" in error
    assert asked == ["hooks.example.com"]  # looked up once
    assert connected == [("93.184.215.14", 443)]  # to the checked address
    # The certificate is still checked against the name.
    assert server_names == [("hooks.example.com", True, ssl.CERT_REQUIRED)]


def test_the_next_checked_address_is_tried_when_the_first_does_not_answer(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.15", port))]

    connected = []

    def create_connection(address, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)

    code, error = services.post("https://hooks.example.com/in", b"{}", {})

    assert code is None and "refused" in error
    assert connected == [("93.184.215.14", 443), ("93.184.215.15", 443)]


def test_one_private_address_among_public_ones_is_refused(monkeypatch, nothing_leaves):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    assert services.post("https://hooks.example.com/in", b"{}", {}) == (None, "the host resolves to a private address (10.1.2.3)")


def test_a_local_receiver_by_name_gets_the_request_at_the_checked_address_with_its_host_header(receiver, monkeypatch):
    # WEBHOOK_ALLOW_LOCALHOST (the receiver fixture): "localhost" is checked as 127.0.0.1, and a
    # later lookup would answer a private address.
    port = receiver.server.server_address[1]
    asked = _answers(monkeypatch, "localhost", "127.0.0.1", "10.0.0.5")

    assert services.post(f"http://localhost:{port}/hooks", b'{"a":1}', {"Content-Type": "application/json"}) == (200, "")

    assert asked == ["localhost"]
    [request] = receiver.requests
    assert request["headers"]["Host"] == f"localhost:{port}" and request["body"] == b'{"a":1}'


def test_a_delivery_to_a_name_rebound_to_a_private_address_is_logged_as_refused(world, local, clock, enqueued, monkeypatch, nothing_leaves, django_capture_on_commit_callbacks):
    from injuries import services as injury_services
    from tests.factories import typed_answers
    from webhooks.models import Attempt, Delivery

    services.endpoint_create(team=world.team, url="https://hooks.example.com/in", events=["injury.opened"], created_by=world.coach)
    with django_capture_on_commit_callbacks(execute=True):
        injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=typed_answers())
    delivery = Delivery.objects.get()
    _answers(monkeypatch, "hooks.example.com", "192.168.0.10")

    assert services.deliver(delivery.pk) == "will retry"

    attempt = Attempt.objects.get(delivery=delivery)
    assert attempt.status_code is None and attempt.error == "the host resolves to a private address (192.168.0.10)"
    assert nothing_leaves == []


pytestmark = pytest.mark.django_db
