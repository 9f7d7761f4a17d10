"""Placeholder: filled in by the monitoring pages work."""
from django.http import Http404


def _todo(request, **kwargs):
    raise Http404

team_load = team_session_log = team_watch = _todo
