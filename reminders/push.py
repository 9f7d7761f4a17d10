"""Web Push: one of a reminder's channels, beside the in-app list and email.

services.deliver decides who gets what and keeps the sends' log (PushSend, one row per reminder
and device); this module only speaks to the push services: it encrypts and signs each push with
pywebpush (VAPID keys from the settings) and says how the push service answered
(docs/architecture.md#reminder-channels).
"""

import base64
import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

# The push service's answers that mean "this subscription is no more": the row is deleted.
GONE = {404, 410}


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "gone" (delete the subscription), "retry" (5xx, 429, no answer), "failed" (refused)
    detail: str = ""


def enabled() -> bool:
    """Push is off unless both VAPID keys are set (README, "Push notifications")."""
    return bool(settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY)


def generate_keys() -> tuple[str, str]:
    """A new VAPID pair as (public, private), base64url without padding, as the settings want them."""
    vapid = Vapid()
    vapid.generate_keys()  # P-256
    point = vapid.public_key.public_numbers()
    public = b"\x04" + point.x.to_bytes(32, "big") + point.y.to_bytes(32, "big")  # uncompressed (X9.62)
    private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
    return _b64(public), _b64(private)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def payload(reminder, message: dict) -> dict:
    """What the service worker shows (templates/pwa/sw_push.js). The tag is the same for every
    send of one reminder: a repeat after a worker lost mid-send replaces the first notification
    on the device instead of showing a second one."""
    return {
        "title": message["title"][:120],
        "body": message["body"][:500],
        "url": message["url"],
        "tag": topic(reminder),
    }


def topic(reminder) -> str:
    """The Topic header (RFC 8030 §5.4): a push still waiting at the push service for an offline
    phone is replaced by a later one with the same topic, never queued beside it."""
    return f"reminder-{reminder.pk}"


def send(subscription, data: dict, *, topic: str, urgent: bool = False) -> Outcome:
    """One push to one device; never raises for what the push service or the network does."""
    try:
        response = webpush(
            subscription_info=subscription.info(),
            data=json.dumps(data),
            vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
            vapid_claims={"sub": settings.WEBPUSH_CONTACT},  # a fresh dict: pywebpush adds aud and exp to it
            timeout=settings.WEBPUSH_TIMEOUT_SECONDS,
            ttl=settings.WEBPUSH_TTL_SECONDS,
            headers={"Topic": topic, "Urgency": "high" if urgent else "normal"},
        )
    except WebPushException as error:
        code = error.response.status_code if error.response is not None else None
        if code in GONE:
            return Outcome("gone", f"the push service answered {code}: the subscription has expired")
        if code is None or code == 429 or code >= 500:
            return Outcome("retry", str(error).splitlines()[0][:300])
        return Outcome("failed", str(error).splitlines()[0][:300])
    except (OSError, ValueError) as error:
        # No answer (refused, timed out, reset; requests' errors are OSErrors): the push service
        # may be down; try again.
        return Outcome("retry", f"{error.__class__.__name__}: {error}"[:300])
    return Outcome("sent", str(response.status_code))


def endpoint_problem(endpoint: str) -> str:
    """Why a browser's endpoint is refused, or "" when it may be used.

    The worker posts to it, so only the push services we know (WEBPUSH_SERVICE_HOSTS, https) are
    accepted; http://127.0.0.1 and localhost only where WEBPUSH_ALLOW_LOCALHOST is on.
    """
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if settings.WEBPUSH_ALLOW_LOCALHOST and parts.scheme in ("http", "https") and host in ("127.0.0.1", "localhost"):
        return ""
    if parts.scheme != "https" or not host:
        return "The browser gave an address that is not a secure push service."
    if not any(host == known or host.endswith("." + known) for known in settings.WEBPUSH_SERVICE_HOSTS):
        return "This browser's push service is not one coachapp sends to."
    return ""


_BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser", "Samsung Internet"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari")]
_SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
            ("Mac OS X", "Mac"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]


def device_label(user_agent: str) -> str:
    """ "Chrome on Android": enough for a person to tell their devices apart on the settings page."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "A browser")
    system = next((name for mark, name in _SYSTEMS if re.search(re.escape(mark), user_agent)), "")
    return f"{browser} on {system}" if system else browser
