"""Sign-in protection helpers and the log of who signed in, out, or failed."""

import ipaddress
import logging
import time

import qrcode
from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.dispatch import receiver
from qrcode.image.svg import SvgPathImage

logger = logging.getLogger("coachapp.auth")
# The account's User.session_epoch when this session signed in; the session timeout middleware
# ends a session whose account has moved on since.
EPOCH_KEY = "session_epoch"


def axes_username(request, credentials) -> str:
    """Emails are case-insensitive here: count failures for the address however it was typed."""
    return (credentials or {}).get("username", "").strip().lower()


def client_address(request) -> str | None:
    """The address of the person at the other end, as settings.PROXY_COUNT says to find it.

    Each of our proxies appends the address it was reached from to X-Forwarded-For, so the
    PROXY_COUNT-th entry from the right was written by the outermost one: the client's. Whatever
    stands to the left of it the client wrote itself, and is never believed. Without proxies
    (or a request that came round them) the connection's own address is the client's.
    """
    remote = request.META.get("REMOTE_ADDR")
    count = settings.PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def _address(request):
    return (client_address(request) or "-") if request is not None else "-"


class SignInAttempts(AxesDatabaseHandler):
    """django-axes' database handler with a second, higher limit per address.

    AXES_LOCKOUT_PARAMETERS locks the (account, address) pair after AXES_FAILURE_LIMIT failures.
    On top of that, SIGN_IN_ADDRESS_FAILURE_LIMIT failures from one address, whatever the
    accounts, pause that address too: guessing across many accounts is slowed, and still
    nobody elsewhere is locked out. Axes compares one number with AXES_FAILURE_LIMIT, so the
    address's count is put on that scale: it reaches the limit exactly when the address does.
    """

    def get_failures(self, request, credentials=None) -> int:
        pair = super().get_failures(request, credentials)
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        address = recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
        limit = get_failure_limit(request, credentials)
        return max(pair, address * limit // settings.SIGN_IN_ADDRESS_FAILURE_LIMIT)


def sign_in_lockout_clear(user) -> int:
    """A new password ends the account's lockouts, from every address (a password reset)."""
    cleared = AxesProxyHandler.reset_attempts(username=axes_username(None, {"username": user.email}))
    logger.info("lockout cleared user=%s attempts=%s", user.pk, cleared)
    return cleared


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The session timeout middleware measures from here.
        request.session["signed_in_at"] = request.session["seen_at"] = time.time()
        request.session[EPOCH_KEY] = user.session_epoch
    factors = "password+code" if getattr(user, "otp_device", None) else "password"
    logger.info("login user=%s factors=%s address=%s", user.pk, factors, _address(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user=%s address=%s", getattr(user, "pk", None), _address(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted address is personal data: log that it failed, not who it claimed to be.
    logger.warning("login failed address=%s", _address(request))


# --- Two-factor sign-in ------------------------------------------------------------------------
# A password accepted for an account with two-factor sign-in does not sign in: the session only
# remembers, for a few minutes, whose code to ask for. Nothing is signed in until the code is.

PENDING_KEY = "two_factor_pending"


def pending_sign_in_start(request, user, next_url: str) -> None:
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "since": time.time(),
    }


def pending_sign_in(request):
    """The user whose code is awaited and where to go next, or (None, None) if none or too late."""
    pending = request.session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > settings.TWO_FACTOR_PENDING_SECONDS:
        pending_sign_in_clear(request)
        return None, None
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None, None
    user.backend = pending["backend"]
    return user, pending["next"]


def pending_sign_in_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)


def log_second_factor_failure(request, user) -> None:
    logger.warning("second factor failed user=%s address=%s", user.pk, _address(request))


def authenticator_qr_svg(device) -> str:
    """The authenticator app's setup link as an inline SVG QR code (no image request, no inline style)."""
    return qrcode.make(device.config_url, image_factory=SvgPathImage).to_string(encoding="unicode")
