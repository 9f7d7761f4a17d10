"""Refusals that escape a view become a message, never a server error (docs/architecture.md#errors)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from athletes.errors import AppError


class AppErrorMiddleware:
    """An `AppError` a view did not catch: htmx gets the message as a 400 it can show; a page goes
    back where it came from (or home) with the message on top. Nothing was saved: services raise
    before their transaction commits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, AppError):
            return None
        if getattr(request, "htmx", False):
            return HttpResponse(str(exception), status=400, content_type="text/plain; charset=utf-8")
        messages.error(request, str(exception))
        back = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure())
        return redirect(back if safe and back else "home")
