import logging

from django.db import connection
from django.shortcuts import render
from django.templatetags.static import static
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache

from .celery import app as celery_app

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("health: database unreachable")
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("health: broker unreachable")
        return False


@never_cache
def health(request):
    """Database and broker reachability for load balancers and `docker compose`.

    django-health-check answers 500 and checks for a live worker rather than the broker,
    so this small view is ours: 200 when both answer, 503 otherwise.
    """
    checks = {"database": _database_ok(), "broker": _broker_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": {k: "ok" if v else "error" for k, v in checks.items()}},
        status=200 if healthy else 503,
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
