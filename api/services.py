"""Making and revoking API tokens, and forgetting old idempotency keys (docs/architecture.md#apps)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from .models import ApiToken, IdempotencyKey

MAX_DAYS = 366
DEFAULT_DAYS = 90


class TokenError(ValueError):
    pass


def token_create(*, user, name: str, write: bool = False, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token: the row (its digest only) and the token itself, to be shown once."""
    name = (name or "").strip()
    if not name or len(name) > 80 or "\x00" in name:
        raise TokenError("Give the token a name of 1 to 80 characters.")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"A token lasts 1 to {MAX_DAYS} days.")
    if not user.is_active:
        raise TokenError("This account is switched off.")
    with transaction.atomic():
        return ApiToken.objects.create(user, timedelta(days=days), name=name, write=write)


def token_revoke(*, user, digest: str) -> bool:
    """Delete one of the user's own tokens; False when there is none with that id."""
    deleted, _ = ApiToken.objects.filter(user=user, digest=digest).delete()
    return bool(deleted)


def idempotency_keys_expire(*, now) -> int:
    """Delete the idempotency keys older than API_IDEMPOTENCY_KEEP_HOURS: a request sent again after
    that runs again (clients retry within minutes). Idempotent; returns how many were deleted."""
    before = now - timedelta(hours=settings.API_IDEMPOTENCY_KEEP_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=before).delete()
    return deleted
