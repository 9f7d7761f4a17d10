"""Sign-in protection: django-axes' handler, the client's address, and the sign-in log's logger.

settings.AXES_HANDLER, AXES_USERNAME_CALLABLE and AXES_CLIENT_IP_CALLABLE name these functions.
"""

import ipaddress
import logging

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum

# Who signed in, out, or failed (accounts/signals.py), and the two-factor changes (services.py).
logger = logging.getLogger("coachapp.auth")


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


def address_for_log(request) -> str:
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


def log_second_factor_failure(request, user) -> None:
    logger.warning("second factor failed user=%s address=%s", user.pk, address_for_log(request))
