"""API tokens: knox's hashed token (only a SHA-512 digest and a short lookup prefix are stored)
with a name, a scope and an expiry (docs/architecture.md#apps)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from knox.models import AbstractAuthToken, AuthTokenManager


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now):
        return self.filter(models.Q(expiry__isnull=True) | models.Q(expiry__gt=now))


class ApiToken(AbstractAuthToken):
    """A personal or integration token. The token itself is shown once, when it is made:
    `ApiToken.objects.create(user, expiry, name=..., write=...)` returns (row, token)."""

    name = models.CharField(max_length=80, help_text="What the token is for, e.g. “Club dashboard”.")
    write = models.BooleanField(default=False, help_text="Read and write; otherwise read only.")

    objects = AuthTokenManager.from_queryset(ApiTokenQuerySet)()

    class Meta:
        ordering = ["-created"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.token_key[:8]}…)"

    @property
    def scope_label(self) -> str:
        return "Read and write" if self.write else "Read only"


class IdempotencyKey(models.Model):
    """A write sent with an `Idempotency-Key` header, and the answer it got: the same key (per
    user) with the same request gets that answer again without writing twice. Saved in the
    write's own transaction, so a key never outlives a write that did not happen."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body.")
    status = models.PositiveSmallIntegerField()
    body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_key_per_user")]
        # The hourly expiry (api/services.py: idempotency_keys_expire) deletes by age.
        indexes = [models.Index(fields=["created_at"], name="api_idempotency_created_idx")]

    def __str__(self):
        return f"{self.key[:20]} ({self.status})"
