from django.apps import AppConfig


class AthletesConfig(AppConfig):
    name = "athletes"

    def ready(self):
        from axes.signals import user_locked_out

        from . import auth  # noqa: F401  (connects the sign-in log)

        user_locked_out.connect(_log_lockout, dispatch_uid="coachapp-lockout-log")


def _log_lockout(sender, request=None, ip_address=None, **kwargs):
    import logging

    logging.getLogger("coachapp.auth").warning("lockout address=%s", ip_address)
