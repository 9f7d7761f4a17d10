"""Who may call the API: signed in (a token or a session), and a read-only token only reads."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


class TokenScope(BasePermission):
    """Signed in; a request with a read-only token may only read (403 on a write)."""

    message = "This token may only read. Make a read-and-write token to change anything."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if isinstance(request.auth, ApiToken) and not request.auth.write:
            # A POST that saves nothing (the triage) is a read: the view says so.
            return request.method in SAFE_METHODS or getattr(view, "saves_nothing", False)
        return True


class CoachesOnly(TokenScope):
    """Coaches and admins, like the web's coach_required."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not (request.user.is_coach or request.user.is_admin):
            self.message = "This is for coaches."
            return False
        return True
