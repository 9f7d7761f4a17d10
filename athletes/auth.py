"""Sign-in protection helpers and the log of who signed in, out, or failed."""

import logging
import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

logger = logging.getLogger("coachapp.auth")


def axes_username(request, credentials) -> str:
    """Emails are case-insensitive here: count failures for the address however it was typed."""
    return (credentials or {}).get("username", "").strip().lower()


def _address(request):
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        # The session timeout middleware measures from here.
        request.session["signed_in_at"] = request.session["seen_at"] = time.time()
    logger.info("login user=%s address=%s", user.pk, _address(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user=%s address=%s", getattr(user, "pk", None), _address(request))


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted address is personal data: log that it failed, not who it claimed to be.
    logger.warning("login failed address=%s", _address(request))
