"""Every signed-in request: the session's limits, and no cache keeps a private page."""

import time

from csp.constants import UNSAFE_INLINE
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .services import EPOCH_KEY

# Refreshing the "last seen" time at most once a minute keeps a session write off most requests.
TOUCH_EVERY = 60
TIMED_OUT = "You were signed out after a while without activity. Please sign in again."
REVOKED = "You were signed out because this account's sign-in security changed. Please sign in again."


class SessionTimeoutMiddleware:
    """End a signed-in session after inactivity, after an absolute lifetime, and when the
    account's sign-in security changed after it began (User.session_epoch).

    Limits depend on the role (settings.SESSION_IDLE_MINUTES / SESSION_MAX_HOURS): coaches
    look at many athletes' health data on shared desktops; athletes use their own phones.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            role = "admin" if user.is_staff else user.role
            started = session.setdefault("signed_in_at", now)
            seen = session.get("seen_at", now)
            idle = now - seen > settings.SESSION_IDLE_MINUTES[role] * 60
            expired = now - started > settings.SESSION_MAX_HOURS[role] * 3600
            revoked = session.get(EPOCH_KEY, 0) != user.session_epoch
            if idle or expired or revoked:
                logout(request)
                messages.info(request, REVOKED if revoked else TIMED_OUT)
                return redirect(f"{reverse('login')}?next={request.path}")
            if now - seen >= TOUCH_EVERY or "seen_at" not in session:
                session["seen_at"] = now
        return self.get_response(request)


class PrivatePagesMiddleware:
    """Pages for a signed-in person hold health data: no cache may keep them.

    The Django admin's own templates still use inline styles, so its pages (staff only) may.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        if request.path.startswith("/admin/"):
            response._csp_update = {"style-src": [UNSAFE_INLINE]}
        return response
