"""The log of who signed in, out, or failed, and the start of a signed-in session.

Connected when the app is ready (accounts/apps.py). The log never holds an email address or a
code: ids and addresses only.
"""

from axes.signals import user_locked_out
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services
from .auth import address_for_log, logger


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.session_start(session=request.session, user=user)
    factors = "password+code" if getattr(user, "otp_device", None) else "password"
    logger.info("login user=%s factors=%s address=%s", user.pk, factors, address_for_log(request))


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user=%s address=%s", getattr(user, "pk", None), address_for_log(request))
    if request is not None and user is not None and hasattr(request, "_messages"):
        # Kept in a cookie (Django's default storage), so it outlives the session ending here.
        messages.info(request, "You are signed out.")


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # The attempted address is personal data: log that it failed, not who it claimed to be.
    logger.warning("login failed address=%s", address_for_log(request))


@receiver(user_locked_out, dispatch_uid="coachapp-lockout-log")
def _locked_out(sender, request=None, ip_address=None, **kwargs):
    logger.warning("lockout address=%s", ip_address)
