"""API tokens: knox's hashed token (only a SHA-512 digest and a short lookup prefix are stored)
with a name, a scope and an expiry (docs/architecture.md#apps)."""

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
