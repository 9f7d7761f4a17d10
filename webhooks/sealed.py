"""A text column stored encrypted (docs/architecture.md#webhooks).

A webhook's secret must be readable to sign each body, so it cannot be hashed like a password or a
token. It is sealed with Fernet (AES-128-CBC and HMAC-SHA256, from the `cryptography` package) under
a key derived from SECRET_KEY: a copy of the table alone signs nothing. SECRET_KEY_FALLBACKS still
open what older keys sealed, so a rotated SECRET_KEY keeps every webhook working (a value is
sealed again under the current key the next time it is saved).
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.crypto import salted_hmac

_SALT = "coachapp.webhooks.sealed"


def _fernet() -> MultiFernet:
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([
        Fernet(base64.urlsafe_b64encode(salted_hmac(_SALT, "fernet", secret=key, algorithm="sha256").digest()))
        for key in keys
    ])


def seal(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A sealed value cannot be opened with SECRET_KEY or SECRET_KEY_FALLBACKS: "
            "put the key it was sealed with back in SECRET_KEY_FALLBACKS."
        ) from None


class SealedTextField(models.TextField):
    """Plain text in Python, a Fernet token in the database. Not searchable or sortable."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else unseal(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else seal(value)
