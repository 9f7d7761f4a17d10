"""`Idempotency-Key` on the API's writes (docs/architecture.md#apps).

The same key (per user) with the same request answers what the first answered, without writing
again; the same key with another request is a 422. The key is claimed (inserted) in the write's
own transaction before the write runs: a second request with the same key, sent at the same time,
waits on the unique (user, key) index until the first commits, then replays its answer; if the
first failed, nothing was kept and the second runs as if it were first. A refused write (4xx)
rolls back with its key, so the corrected request may reuse the key.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response

from .models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"

PARAMETER = OpenApiParameter(
    HEADER, {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
    location=OpenApiParameter.HEADER, required=False,
    description="Any unique string of 1 to 255 visible ASCII characters (a UUID is usual). Sent again with "
                "the same request, the first answer comes back and nothing is written twice; sent with "
                "another request, the answer is a 422.",
)


class KeyReused(APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = ("This Idempotency-Key was already used with a different request. "
                      "Use a new key for a new request.")


def _uploaded(value) -> str:
    """A file of a multipart body by its content, not its name: another file is another request."""
    if hasattr(value, "chunks"):
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return f"file:{digest.hexdigest()}"
    return str(value)


def _fingerprint(request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a form's QueryDict (a multipart body's files included)
        data = {key: values for key, values in data.lists()}
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, default=_uploaded)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(row: IdempotencyKey, fingerprint: str) -> Response:
    if row.fingerprint != fingerprint:
        raise KeyReused()
    response = Response(row.body, status=row.status)
    response[REPLAYED] = "true"
    return response


def idempotent(request, write) -> Response:
    """Run `write()` (which returns a Response) once per key; without the header, just run it."""
    key = request.headers.get(HEADER)
    if key is None:
        return write()
    if not 1 <= len(key) <= 255 or not all("!" <= c <= "~" for c in key):
        raise ValidationError({HEADER: ["Send 1 to 255 visible ASCII characters, like a UUID."]})
    fingerprint = _fingerprint(request)
    row = IdempotencyKey.objects.filter(user=request.user, key=key).first()
    if row is not None:
        return _replay(row, fingerprint)
    with transaction.atomic():
        try:
            with transaction.atomic():  # waits here while another request holds the same key
                row = IdempotencyKey.objects.create(user=request.user, key=key, fingerprint=fingerprint, status=0)
        except IntegrityError:
            row = None
        if row is None:
            return _replay(IdempotencyKey.objects.get(user=request.user, key=key), fingerprint)
        response = write()  # a refusal raises: the key rolls back with the write
        row.status, row.body = response.status_code, response.data
        row.save(update_fields=["status", "body"])
    return response
