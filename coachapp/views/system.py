"""The site's own endpoints: the health check, the web manifest, the service worker, and the
benchmark's baselines."""

import logging

from django.conf import settings
from django.db import connection
from django.shortcuts import render
from django.templatetags.static import static
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from reminders import broker, selectors

logger = logging.getLogger(__name__)


# /health/ answers within about this long whatever the database or the broker does: a little
# more than the broker's own timeout, so that a broker that does not answer is usually told
# apart ("timeout") from one that refuses ("error").
HEALTH_DEADLINE_SECONDS = settings.BROKER_REQUEST_TIMEOUT_SECONDS + 0.5


def _database_ok() -> bool:
    """SELECT 1 on a connection of the helper thread's own, closed after (it may be stuck)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    finally:
        connection.close()


def _verdict(answer) -> str:
    """"timeout" for a server that did not answer (a hung one), "error" for one that refused."""
    if isinstance(answer, BaseException):
        said = f"{answer.__class__.__name__} {answer}".lower()
        return "timeout" if isinstance(answer, TimeoutError) or "timeout" in said or "timed out" in said else "error"
    return "ok" if answer is not False else "error"


@never_cache
def health(request):
    """Database and broker reachability, and the liveness of the worker and beat.

    The database and the broker are asked together, each in a helper thread, and whichever has
    not answered within HEALTH_DEADLINE_SECONDS counts as down: 503, so a load balancer stops
    sending pages to a server that cannot serve them. A stale worker or beat (their heartbeat
    rows, reminders/selectors.py) makes the status "degraded" but stays 200: every web server
    would say the same, and pulling them all would not bring a worker back. `?strict=1` answers
    503 for those too, for a monitor that pages someone.
    """
    answers = broker.within(HEALTH_DEADLINE_SECONDS, database=_database_ok, broker=broker.ping)
    checks = {name: _verdict(answer) for name, answer in answers.items()}
    for name, answer in answers.items():
        if checks[name] != "ok":
            logger.warning("health: %s %s: %r", name, checks[name], answer)
    seconds_since = {}
    if checks["database"] == "ok":
        seen = selectors.heartbeats(timezone.now())
        checks.update(worker=seen["worker"].status, beat=seen["beat"].status)
        seconds_since = {name: seen[name].age_seconds for name in ("worker", "beat", "sweep")}
    else:
        checks.update(worker="unknown", beat="unknown")
    serving = checks["database"] == "ok" and checks["broker"] == "ok"
    everything = all(verdict == "ok" for verdict in checks.values())
    status = "ok" if everything else ("degraded" if serving else "unavailable")
    strict = request.GET.get("strict") in {"1", "true", "yes"}
    return JsonResponse(
        {"status": status, "checks": checks, "seconds_since": seconds_since},
        status=200 if (everything if strict else serving) else 503,
    )


def bare(request):
    """The benchmark's baseline: a response that does nothing at all."""
    return HttpResponse("ok", content_type="text/plain")


def bare_signed_in(request):
    """A second baseline: nothing but the session and user every signed-in page loads."""
    return HttpResponse(f"ok {request.user.pk}", content_type="text/plain")


def webmanifest(request):
    return render(request, "pwa/manifest.webmanifest", content_type="application/manifest+json")


def service_worker(request):
    """Served from the site root so that it may control every page (it caches only static files)."""
    response = render(request, "pwa/sw.js", {"version": static("css/app.css")}, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    return response
