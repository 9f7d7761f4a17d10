"""One shape for every API error (docs/architecture.md#errors):

    {"error": {"status": 400, "code": "invalid", "message": "…", "fields": {"pain_score": ["…"]}}}

`code` is the machine contract (DRF's codes: invalid, parse_error, not_authenticated,
authentication_failed, permission_denied, not_found, method_not_allowed, throttled, …);
`message` is in plain words; `fields` names each field's problems (empty when none).
An error may add its own details beside these four (an exception's `extra`): a refused import
adds `lines` (each problem with its line number) and `names` (the names to match).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions

from athletes.errors import AppError
from rest_framework.views import exception_handler


def _flatten(detail):
    if isinstance(detail, dict):
        return {str(key): _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_flatten(value) for value in detail]
    return str(detail)


def _code(exc, detail):
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else None
    if isinstance(codes, str):
        return codes
    return getattr(exc, "default_code", "error")


def handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    elif isinstance(exc, AppError):  # a service's refusal, written for the person who asked
        exc = exceptions.ValidationError({"__all__": [str(exc)]})
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real fault: Django's 500 and its logging
    detail = getattr(exc, "detail", None)
    fields = {}
    if isinstance(detail, dict):
        fields = _flatten(detail)
        general = [fields[key] for key in ("detail", "__all__", "non_field_errors") if key in fields]
        fields.pop("detail", None)
        if general:  # a problem of the whole request: its own words
            message = " ".join(" ".join(item) if isinstance(item, list) else item for item in general)
        else:
            message = "Some fields are not valid: " + ", ".join(sorted(fields)) + "."
    elif isinstance(detail, list):
        message = " ".join(str(item) for item in _flatten(detail))
    else:
        message = str(detail) if detail is not None else response.reason_phrase
    response.data = {
        "error": {
            "status": response.status_code,
            "code": _code(exc, detail),
            "message": message,
            "fields": fields,
            **(getattr(exc, "extra", None) or {}),
        }
    }
    return response
