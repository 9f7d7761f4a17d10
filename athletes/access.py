"""Fetch-and-authorise helpers: every view gets its objects through these."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import Athlete, Team


def coach_required(view):
    """Signed-in coaches and admins only; athletes get a 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_coach or request.user.is_admin):
            raise PermissionDenied("This page is for coaches.")
        return view(request, *args, **kwargs)

    return wrapper


def athlete_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_athlete:
            raise PermissionDenied("This page is for athletes.")
        return view(request, *args, **kwargs)

    return wrapper


def get_athlete_for_user(user, pk) -> Athlete:
    """The athlete with this id if the user may see them, else 404 (never a hint it exists)."""
    return get_object_or_404(Athlete.objects.for_user(user).select_related("team", "user"), pk=pk)


def get_team_for_user(user, pk) -> Team:
    return get_object_or_404(Team.objects.for_user(user), pk=pk)
