"""Throttling per token: each token has its own budget; a session counts per user."""

from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class PerToken(SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.digest[:32]}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            return None  # the anonymous throttle counts by address
        return self.cache_format % {"scope": self.scope, "ident": ident}
