"""What every page's frame needs (templates/base.html): the header's and head's links.

They are the same on every page, so they are reversed once per URLconf and script prefix, not a
dozen ``{% url %}`` tags on every render (docs/architecture.md#services-selectors-and-views).
"""

from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# key in the template (``site_links.<key>``) -> URL name
SITE_LINKS = {
    "home": "home",
    "roster": "roster",
    "inbox": "complaint_inbox",
    "board": "availability_board",
    "programmes": "template_list",
    "my_sessions": "athlete_home",
    "notifications": "notification_list",
    "admin": "admin:index",
    "security": "two_factor",
    "logout": "logout",
    "manifest": "webmanifest",
    "service_worker": "service_worker",
}


@lru_cache(maxsize=8)
def _site_links(urlconf: str, prefix: str) -> dict:
    return {key: reverse(name, urlconf=urlconf) for key, name in SITE_LINKS.items()}


def site_links(request):
    # reverse() depends on the URLconf (a request may set its own) and the script prefix.
    return {"site_links": _site_links(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())}
