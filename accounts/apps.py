from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in, the second factor, sessions and the account's security page (no models of its own:
    the User lives in athletes, docs/architecture.md#apps)."""

    name = "accounts"

    def ready(self):
        from . import signals  # noqa: F401  (connects the sign-in log and the session's start)
