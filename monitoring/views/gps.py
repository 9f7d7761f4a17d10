"""Placeholder: filled in by the monitoring pages work."""
from django.http import Http404


def _todo(request, **kwargs):
    raise Http404

team_gps_import = gps_import_example = _todo
