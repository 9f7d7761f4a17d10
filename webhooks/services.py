"""Webhooks: registering endpoints, recording events as delivery rows, and delivering them.

Events are recorded inside the transaction that changed the injury (the receiver of
``injuries.events.athlete_changed``, connected in ``WebhooksConfig.ready``), each delivery a row;
the rows are handed to Celery as the transaction commits. Delivery is at least once and never
doubled by our side at a time: a worker claims the row (locked, skip_locked) and marks it sending
before it POSTs; a worker lost mid-send leaves a claim the sweep takes back after
WEBHOOK_STALE_CLAIM_SECONDS, and the receiver deduplicates the resend on X-Coachapp-Delivery, the
event id, which never changes (README, "Webhooks"). Failed sends are retried after
WEBHOOK_RETRY_MINUTES; after WEBHOOK_FAILURE_LIMIT failures in a row, or a delivery out of tries,
the endpoint is switched off and the team's coaches are told.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlsplit

from celery import current_app
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from athletes.models import Athlete
from reminders import services as engine
from reminders.models import Kind

from . import facts
from .models import Attempt, Delivery, Endpoint, EventType, WebhookEvent

logger = logging.getLogger(__name__)

DELIVER_TASK = "webhooks.tasks.deliver"
SWEEP_BATCH = 500
Status = Delivery.Status
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


class WebhookError(Exception):
    """A refused change; the message says why, in plain words."""


# --- Endpoints --------------------------------------------------------------------------------


def url_problem(url: str) -> str:
    """Why this address cannot receive webhooks, or "" when it can."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    local = host in LOOPBACK_NAMES
    if parts.username or parts.password:
        return "Leave the user name and password out of the address."
    if not host:
        return "Enter the full address, starting with https://."
    if parts.scheme == "http" and local and settings.WEBHOOK_ALLOW_LOCALHOST:
        return ""
    if parts.scheme != "https":
        return "The address must start with https:// so that what is sent stays private."
    if local and not settings.WEBHOOK_ALLOW_LOCALHOST:
        return "The address must be reachable on the internet, not this computer."
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return ""
    if not address.is_global and not (address.is_loopback and settings.WEBHOOK_ALLOW_LOCALHOST):
        return "The address must be reachable on the internet, not a private network."
    return ""


def endpoint_create(*, team, url: str, events, created_by) -> tuple[Endpoint, str]:
    """Add an endpoint; returns it and its secret (shown to the coach once)."""
    problem = url_problem(url)
    if problem:
        raise WebhookError(problem)
    chosen = [event for event in EventType.values if event in set(events)]
    if not chosen:
        raise WebhookError("Choose at least one event to send.")
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = Endpoint.objects.create(team=team, url=url, events=chosen, secret=secret, created_by=created_by)
    return endpoint, secret


def endpoint_switch(*, endpoint: Endpoint, on: bool) -> None:
    """Switch an endpoint on (its count of failures starts again) or off (what waits is not sent)."""
    with transaction.atomic():
        if on:
            Endpoint.objects.filter(pk=endpoint.pk).update(active=True, consecutive_failures=0, switched_off_reason="")
        else:
            Endpoint.objects.filter(pk=endpoint.pk).update(active=False, switched_off_reason="Switched off by a coach.")
            _cancel_waiting(endpoint)


def endpoint_delete(*, endpoint: Endpoint) -> None:
    endpoint.delete()


def _cancel_waiting(endpoint) -> int:
    return Delivery.objects.filter(endpoint=endpoint, status__in=[Status.PENDING, Status.RETRYING]).update(
        status=Status.CANCELLED, next_attempt_at=None
    )


# --- Recording events -------------------------------------------------------------------------


def _grace(now):
    # A new row is handed over as its transaction commits; the sweep only picks it up if that failed.
    return now + timedelta(seconds=settings.WEBHOOK_STALE_CLAIM_SECONDS)


def event_build(*, fact, athlete, now) -> WebhookEvent:
    """The (unsaved) event of a fact about the athlete, with the payload every attempt sends."""
    record = WebhookEvent(type=fact.type, key=fact.key, team_id=athlete.team_id, athlete_id=athlete.pk, created_at=now)
    record.payload = {
        "id": str(record.id),
        "type": fact.type,
        "created_at": now.isoformat(),
        "team": {"id": athlete.team_id},
        "athlete": {"id": athlete.pk},
        "data": fact.data,
    }
    return record


def events_record(*, event: str, athlete_id: int, entered_phase: str = "") -> list[int]:
    """Record what this injuries event means for the athlete's team's endpoints; returns the new
    deliveries' ids, handed to the workers as the transaction commits."""
    # One query when the team has no webhook, which is the common case.
    endpoints = list(Endpoint.objects.filter(team__athletes__pk=athlete_id, active=True))
    if not endpoints:
        return []
    athlete = Athlete.objects.get(pk=athlete_id)
    now = timezone.now()
    ids = []
    for fact in facts.facts_for(event, athlete, entered_phase):
        wanted = [endpoint for endpoint in endpoints if fact.type in endpoint.events]
        if not wanted or WebhookEvent.objects.filter(key=fact.key).exists():
            continue
        record = event_build(fact=fact, athlete=athlete, now=now)
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:  # the same fact recorded at the same moment elsewhere
            continue
        deliveries = Delivery.objects.bulk_create(
            [Delivery(event=record, endpoint=endpoint, next_attempt_at=_grace(now)) for endpoint in wanted]
        )
        ids += [delivery.pk for delivery in deliveries]
    if ids:
        transaction.on_commit(lambda: enqueue(ids), robust=True)
    return ids


def on_athlete_changed(sender, athlete_id, entered_phase="", **kwargs) -> None:
    """The receiver of injuries.events.athlete_changed. A failure here never undoes the injury's
    write: it runs in a savepoint and is logged."""
    try:
        with transaction.atomic():
            events_record(event=sender, athlete_id=athlete_id, entered_phase=entered_phase or "")
    except Exception:
        logger.exception("webhooks: could not record the events of %s for athlete %s", sender, athlete_id)


def enqueue(ids) -> None:
    """Hand deliveries to the workers by task name; one the broker does not take waits for the sweep."""
    for pk in ids:
        current_app.tasks[DELIVER_TASK].apply_async((pk,), retry=False)


# --- Delivering -------------------------------------------------------------------------------


def body_of(event: WebhookEvent) -> bytes:
    """The same bytes for every attempt of an event."""
    return json.dumps(event.payload, sort_keys=True, separators=(",", ":")).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "timestamp.body" with the endpoint's secret, as the receiver computes it."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers_for(delivery: Delivery, body: bytes, now) -> dict:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json",
        "User-Agent": "coachapp-webhooks/1",
        "X-Coachapp-Event": delivery.event.type,
        "X-Coachapp-Delivery": str(delivery.event_id),
        "X-Coachapp-Timestamp": timestamp,
        "X-Coachapp-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not a hop: the body never goes to an address nobody registered."""

    def redirect_request(self, *args, **kwargs):
        return None


def _resolve(url: str) -> tuple[list[str], str]:
    """The host's addresses as the name resolves now, and "" when every one may be sent to; or no
    address and why not: private, link-local and (unless allowed) loopback addresses are refused."""
    parts = urlsplit(url)
    try:
        infos = socket.getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (OSError, UnicodeError) as error:
        return [], f"could not resolve the host: {error}"
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%")[0])
        if not address.is_global and not (address.is_loopback and settings.WEBHOOK_ALLOW_LOCALHOST):
            return [], f"the host resolves to a private address ({address})"
        if info[4][0] not in addresses:
            addresses.append(info[4][0])
    if not addresses:
        return [], "could not resolve the host: no address"
    return addresses, ""


def _pinned(connection_class, hostname: str, addresses: list[str]):
    """connection_class connecting to the addresses that were checked, never to a second lookup of
    the name (which could answer a private address by then: DNS rebinding). The Host header, the
    TLS server name and the certificate check still use the hostname, as http.client does."""

    class Pinned(connection_class):
        def __init__(self, host, *args, **kwargs):
            super().__init__(host, *args, **kwargs)
            # Through a proxy, http.client connects to the proxy, which looks the name up itself.
            if self.host.lower().strip("[]") == hostname:
                self._create_connection = self._connect_checked

        def _connect_checked(self, target, timeout, source_address):
            error = None
            for address in addresses:
                try:
                    return socket.create_connection((address, target[1]), timeout, source_address)
                except OSError as failed:
                    error = failed
            raise error

    return Pinned


class _PinnedHTTP(urllib.request.HTTPHandler):
    def __init__(self, hostname, addresses):
        super().__init__()
        self.connection_class = _pinned(http.client.HTTPConnection, hostname, addresses)

    def http_open(self, req):
        return self.do_open(self.connection_class, req)


class _PinnedHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, hostname, addresses):
        super().__init__()
        self.connection_class = _pinned(http.client.HTTPSConnection, hostname, addresses)

    def https_open(self, req):
        return self.do_open(self.connection_class, req, context=self._context)


def post(url: str, body: bytes, headers: dict) -> tuple[int | None, str]:
    """POST the body: (the status code, or None, and the error, or "").

    The name is looked up once: its addresses are checked, and the request connects to those
    very addresses (README, "Webhooks")."""
    problem = url_problem(url)
    if problem:
        return None, problem
    addresses, problem = _resolve(url)
    if problem:
        return None, problem
    hostname = (urlsplit(url).hostname or "").lower()
    handlers = [_NoRedirects(), _PinnedHTTP(hostname, addresses), _PinnedHTTPS(hostname, addresses)]
    if hostname in LOOPBACK_NAMES:
        handlers.append(urllib.request.ProxyHandler({}))  # a local receiver is never behind the proxy
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:  # noqa: S310 (https, or local when allowed)
            response.read(1024)
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"answered {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, str(reason)[:300] or error.__class__.__name__


def _claim(delivery_id: int, now) -> Delivery | str:
    """Lock the row (skipping it if another worker holds it) and mark it sending, in its own commit."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint", "event")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "gone or being claimed"
        if delivery.status in (Status.DELIVERED, Status.FAILED, Status.CANCELLED):
            return delivery.status
        stale = now - timedelta(seconds=settings.WEBHOOK_STALE_CLAIM_SECONDS)
        if delivery.status == Status.SENDING and delivery.claimed_at and delivery.claimed_at >= stale:
            return "being sent"
        if delivery.status == Status.RETRYING and delivery.next_attempt_at and delivery.next_attempt_at > now:
            return "not due"
        if not delivery.endpoint.active:
            Delivery.objects.filter(pk=delivery.pk).update(status=Status.CANCELLED, next_attempt_at=None)
            return Status.CANCELLED
        delivery.status, delivery.claimed_at, delivery.attempts = Status.SENDING, now, delivery.attempts + 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
    return delivery


def deliver(delivery_id: int) -> str:
    """Send one delivery once; idempotent (a delivered, failed, cancelled or in-flight row is left
    alone). Returns what happened."""
    now = timezone.now()
    delivery = _claim(delivery_id, now)
    if isinstance(delivery, str):
        return delivery
    body = body_of(delivery.event)
    started = time.monotonic()
    code, error = post(delivery.endpoint.url, body, headers_for(delivery, body, now))
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(delivery, code, error, duration_ms)


def _record(delivery: Delivery, code, error: str, duration_ms: int) -> str:
    now = timezone.now()
    ok = code is not None and 200 <= code < 300
    with transaction.atomic():
        Attempt.objects.create(delivery=delivery, at=now, status_code=code, duration_ms=duration_ms, error=error[:300])
        # Only the claim that sent it may settle the row (a lapsed claim taken back is someone else's).
        mine = Delivery.objects.filter(pk=delivery.pk, status=Status.SENDING, claimed_at=delivery.claimed_at)
        endpoint = Endpoint.objects.filter(pk=delivery.endpoint_id)
        if ok:
            mine.update(status=Status.DELIVERED, delivered_at=now, last_status_code=code, last_error="", next_attempt_at=None)
            endpoint.update(consecutive_failures=0)
            return "delivered"
        delays = settings.WEBHOOK_RETRY_MINUTES
        out_of_tries = delivery.attempts > len(delays)
        if out_of_tries:
            mine.update(status=Status.FAILED, last_status_code=code, last_error=error[:300], next_attempt_at=None)
        else:
            mine.update(
                status=Status.RETRYING, last_status_code=code, last_error=error[:300],
                next_attempt_at=now + timedelta(minutes=delays[delivery.attempts - 1]),
            )
        endpoint.update(consecutive_failures=F("consecutive_failures") + 1)
        failures = endpoint.values_list("consecutive_failures", flat=True).first() or 0
        if failures >= settings.WEBHOOK_FAILURE_LIMIT or out_of_tries:
            endpoint_switch_off(endpoint=delivery.endpoint, failures=failures, athlete_id=delivery.event.athlete_id)
    logger.info("webhook delivery %s failed (attempt %d): %s", delivery.pk, delivery.attempts, error)
    return "failed" if out_of_tries else "will retry"


def endpoint_switch_off(*, endpoint: Endpoint, failures: int, athlete_id: int) -> bool:
    """Switch off after repeated failure and tell the team's coaches (and whoever added it), once."""
    reason = f"Switched off after {failures} failed deliveries in a row."
    if not Endpoint.objects.filter(pk=endpoint.pk, active=True).update(active=False, switched_off_reason=reason):
        return False
    _cancel_waiting(endpoint)
    team = endpoint.team
    people = list(team.coaches.all())
    if endpoint.created_by_id and endpoint.created_by not in people:
        people.append(endpoint.created_by)
    athlete = Athlete.objects.get(pk=athlete_id)
    engine.schedule_now(Kind.WEBHOOK_OFF, people, f"webhook:{endpoint.pk}:off:{timezone.now():%Y%m%dT%H%M%S}", athlete)
    logger.warning("webhook endpoint %s switched off: %s", endpoint.pk, reason)
    return True


def delivery_replay(*, delivery: Delivery) -> None:
    """Send a delivery again, with the same event id (the receiver deduplicates on it)."""
    if not Endpoint.objects.filter(pk=delivery.endpoint_id, active=True).exists():
        raise WebhookError("Switch the webhook on before sending again.")
    now = timezone.now()
    with transaction.atomic():
        replayed = Delivery.objects.filter(pk=delivery.pk).exclude(status=Status.SENDING).update(
            status=Status.PENDING, attempts=0, claimed_at=None, next_attempt_at=_grace(now), last_error=""
        )
        if not replayed:
            raise WebhookError("It is being sent right now.")
        transaction.on_commit(lambda: enqueue([delivery.pk]), robust=True)


# --- The sweep --------------------------------------------------------------------------------


def sweep() -> dict:
    """Take back the claims of lost workers, then hand over every delivery that is due."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.WEBHOOK_STALE_CLAIM_SECONDS)
    requeued = Delivery.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.RETRYING, next_attempt_at=now, claimed_at=None,
        last_error="worker lost while sending; sent again with the same event id",
    )
    due = list(
        Delivery.objects.filter(status__in=[Status.PENDING, Status.RETRYING], next_attempt_at__lte=now)
        .order_by("next_attempt_at").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    try:
        enqueue(due)
    except Exception:
        logger.exception("the webhook sweep could not reach the broker")
    return {"requeued": requeued, "due": len(due)}


# --- Clean-up ---------------------------------------------------------------------------------

# Settled deliveries: nothing more will be sent unless a coach replays one. Pending, retrying and
# sending rows are never removed, whatever their age.
SETTLED = [Status.DELIVERED, Status.FAILED, Status.CANCELLED]
CLEANUP_BATCH = 1000


def deliveries_cleanup() -> int:
    """Delete the settled deliveries (and their attempt logs) untouched for WEBHOOK_KEEP_DAYS:
    made before then and with no attempt since. Returns how many went.

    Events stay: their keys keep an old fact from being announced again. Each batch locks its
    rows (skipping any a replay holds) and is deleted in its own short transaction, so a replay
    either waits and finds the row gone, or commits first and the row is no longer settled."""
    cutoff = timezone.now() - timedelta(days=settings.WEBHOOK_KEEP_DAYS)
    old = Delivery.objects.filter(status__in=SETTLED, created_at__lt=cutoff).exclude(attempt_log__at__gte=cutoff)
    deleted = 0
    while True:
        with transaction.atomic():
            batch = list(
                old.select_for_update(skip_locked=True, of=("self",)).order_by("pk").values_list("pk", flat=True)[:CLEANUP_BATCH]
            )
            if not batch:
                return deleted
            Attempt.objects.filter(delivery_id__in=batch).delete()
            deleted += Delivery.objects.filter(pk__in=batch).delete()[1].get(Delivery._meta.label, 0)
