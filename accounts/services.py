"""Writes for signing in: password-reset requests, lockouts, sessions and two-factor sign-in.

Everything a sign-in step keeps in the session is written here, never in a view: like Django's
update_session_auth_hash, one place knows each key (docs/architecture.md#services-selectors-and-views).
"""

import time
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from athletes.models import PasswordResetRequest

from .auth import axes_username, logger

User = get_user_model()

# The account's User.session_epoch when this session signed in; the session timeout middleware
# (accounts/middleware.py) ends a session whose account has moved on since.
EPOCH_KEY = "session_epoch"
# A password accepted for an account with two-factor sign-in does not sign in: the session only
# remembers, for TWO_FACTOR_PENDING_SECONDS, whose code to ask for.
PENDING_KEY = "two_factor_pending"
RECOVERY_CODE_COUNT = 10


# --- Password-reset emails: throttled, and the same answer whoever asks ---------------------------


def password_reset_refused(*, address: str | None) -> bool:
    """Whether this address asked for PASSWORD_RESET_REQUESTS_PER_ADDRESS_HOUR resets in the last hour."""
    since = timezone.now() - timedelta(hours=1)
    recent = PasswordResetRequest.objects.filter(address=address, requested_at__gte=since).count()
    return recent >= settings.PASSWORD_RESET_REQUESTS_PER_ADDRESS_HOUR


@transaction.atomic
def password_reset_request(*, users, address: str | None) -> list:
    """Record a request for a reset email; returns the accounts that may get one now.

    An account gets at most PASSWORD_RESET_EMAILS_PER_ACCOUNT_HOUR an hour, however many
    people ask; the others are silently skipped, so the page says the same either way.
    """
    now = timezone.now()
    PasswordResetRequest.objects.filter(requested_at__lt=now - timedelta(days=1)).delete()
    since = now - timedelta(hours=1)
    allowed = [
        user for user in users
        if PasswordResetRequest.objects.filter(user=user, requested_at__gte=since).count()
        < settings.PASSWORD_RESET_EMAILS_PER_ACCOUNT_HOUR
    ]
    PasswordResetRequest.objects.bulk_create(
        [PasswordResetRequest(address=address, user=user) for user in allowed]
        or [PasswordResetRequest(address=address)]
    )
    return allowed


def sign_in_lockout_clear(*, user) -> int:
    """A new password ends the account's lockouts, from every address (a password reset)."""
    cleared = AxesProxyHandler.reset_attempts(username=axes_username(None, {"username": user.email}))
    logger.info("lockout cleared user=%s attempts=%s", user.pk, cleared)
    return cleared


# --- Sessions ------------------------------------------------------------------------------------


def session_start(*, session, user) -> None:
    """A session just signed in: the timeout middleware measures from now, under today's epoch."""
    session["signed_in_at"] = session["seen_at"] = time.time()
    session[EPOCH_KEY] = user.session_epoch


def sessions_end_others(*, user, session=None) -> int:
    """End every session of this account except `session` (if given); returns the new epoch."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    if session is not None:
        session[EPOCH_KEY] = user.session_epoch
    return user.session_epoch


# --- Two-factor sign-in: the step between password and session -----------------------------------


def pending_sign_in_start(*, session, user, next_url: str) -> None:
    session[PENDING_KEY] = {"user": user.pk, "backend": user.backend, "next": next_url, "since": time.time()}


def pending_sign_in(*, session):
    """The user whose code is awaited and where to go next, or (None, None) if none or too late."""
    pending = session.get(PENDING_KEY)
    if not pending or time.time() - pending["since"] > settings.TWO_FACTOR_PENDING_SECONDS:
        pending_sign_in_clear(session=session)
        return None, None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        return None, None
    user.backend = pending["backend"]
    return user, pending["next"]


def pending_sign_in_clear(*, session) -> None:
    session.pop(PENDING_KEY, None)


# --- Two-factor sign-in: turning it on and off (optional, coaches and admins) --------------------


def two_factor_begin(*, user):
    """A new authenticator key, unconfirmed until the user types a code it makes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def two_factor_cancel(*, user) -> None:
    """Forget an authenticator key that was never confirmed."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def two_factor_enable(*, user, device, session=None) -> list[str]:
    """Turn two-factor sign-in on with this (now confirmed) app; returns fresh recovery codes.

    The account's other sessions end; `session`, if given, stays signed in.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        sessions_end_others(user=user, session=session)
        codes = _recovery_codes_make(user=user)
    logger.info("two-factor on user=%s", user.pk)
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """Single-use codes for a lost phone; making new ones voids the old ones."""
    codes = _recovery_codes_make(user=user)
    logger.info("two-factor recovery codes renewed user=%s", user.pk)
    return codes


def _recovery_codes_make(*, user) -> list[str]:
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_disable(*, user, session=None) -> None:
    """Turn two-factor sign-in off: every device goes, and every session but `session` ends."""
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        sessions_end_others(user=user, session=session)
    logger.info("two-factor off user=%s", user.pk)
