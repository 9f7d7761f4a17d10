"""Placeholder: filled in by the monitoring pages work."""
from django.http import Http404


def _todo(request, **kwargs):
    raise Http404

athlete_load = max_velocity_set = prior_injury_create = _todo
