"""Schemathesis runs every operation of the OpenAPI schema against the app, in process through
its WSGI application: no 5xx, and every response matches the schema (status, type, body)."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.core.cache import cache
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings

from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.services import token_create
from tests.conftest import WEEKDAY_MOMENTS


@pytest.fixture
def api_schema(db):
    # As Django's test client does: the test's transaction outlives each request, so the
    # handler must not close the connection at the end of one.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def coach_token(world, records):
    """A coach with one of each record, so the reads have something to answer with."""
    return token_create(user=world.coach, name="Schemathesis", write=True)[1]


OPERATIONS = [
    ("GET", path) for path in (
        "/api/v1/teams/", "/api/v1/teams/{id}/", "/api/v1/athletes/", "/api/v1/athletes/{id}/",
        "/api/v1/complaints/", "/api/v1/complaints/{id}/", "/api/v1/injuries/", "/api/v1/injuries/{id}/",
        "/api/v1/sessions/", "/api/v1/sessions/{id}/", "/api/v1/test-results/", "/api/v1/test-results/{id}/",
        "/api/v1/notifications/", "/api/v1/notifications/{id}/", "/api/v1/board/",
        "/api/v1/teams/{id}/screening/", "/api/v1/injuries/{id}/history/", "/api/v1/programmes/",
        "/api/v1/programmes/{id}/",
    )
] + [("POST", "/api/v1/triage")]
# Writes: a schema-valid body may still be refused by the rules (a date in the future, a second
# result on one day, an athlete who is not yours): a 400 there is right, so that check is left out.
WRITES = [("POST", "/api/v1/complaints/"), ("POST", "/api/v1/test-results/"),
          ("POST", "/api/v1/sessions/{id}/sets/"), ("POST", "/api/v1/sessions/{id}/finish/"),
          ("POST", "/api/v1/injuries/{id}/phase/"), ("POST", "/api/v1/test-results/import/"),
          ("POST", "/api/v1/teams/{id}/gps/import/")]
ANSWERS_200 = {("POST", "/api/v1/sessions/{id}/finish/"), ("POST", "/api/v1/injuries/{id}/phase/")}  # they create nothing
OPERATIONS += WRITES


def examples(n: int, when) -> int:
    """Hypothesis' examples for a run on the pinned day; a weekday copy (tests/conftest.py,
    COACHAPP_WEEKDAYS) is there for what the date changes, not to search the inputs again: a fifth
    of them (the copies took 100 of the module's 135 s). The sequences of calls keep theirs: with
    fewer, they no longer reach the items' own operations."""
    return max(5, n // 5) if when in WEEKDAY_MOMENTS else n


# Reads whose answers are not worked out from today: their weekday copies are left out (tests/conftest.py).
UNDATED = {("GET", path) for path in (
    "/api/v1/teams/", "/api/v1/teams/{id}/", "/api/v1/complaints/", "/api/v1/complaints/{id}/",
    "/api/v1/notifications/", "/api/v1/notifications/{id}/", "/api/v1/test-results/", "/api/v1/test-results/{id}/",
)} | {("POST", "/api/v1/triage")}


@pytest.mark.calendar(weekdays=False)  # the records' session is dated today
@pytest.mark.parametrize("method, path", [
    (method, path) if (method, path) in UNDATED else pytest.param(method, path, marks=pytest.mark.calendar)
    for method, path in OPERATIONS
])
def test_every_operation_conforms(api_schema, coach_token, method, path, calendar_when):
    """Schemathesis' own pytest plugin does not run on this pytest, so each operation is driven
    through Hypothesis here, with the same checks (`call_and_validate`)."""
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(max_examples=examples(30, calendar_when), deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        excluded = [positive_data_acceptance] if (method, path) in WRITES else []
        case.call_and_validate(headers={"Authorization": f"Token {coach_token}"}, excluded_checks=excluded)

    check()


def test_every_operation_is_run(api_schema):
    assert {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()} == set(OPERATIONS)


def test_the_schema_covers_every_api_route_and_documents_the_error_shape(client):
    body = client.get("/api/v1/schema/").json()
    operations = {(path, method) for path, item in body["paths"].items() for method in item}
    assert ("/api/v1/triage", "post") in operations and ("/api/v1/board/", "get") in operations
    assert len(operations) == 27
    for path, item in body["paths"].items():
        for method, operation in item.items():
            assert {"400", "401", "403", "404", "429"} <= set(operation["responses"]), (path, method)
            ok = "201" if (method.upper(), path) in set(WRITES) - ANSWERS_200 else "200"
            assert operation["responses"][ok]["content"]["application/json"].get("examples"), (path, method)
            if (method.upper(), path) in WRITES:  # each write takes an Idempotency-Key and may answer 422
                assert "422" in operation["responses"] and any(
                    p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"]), (path, method)
    assert set(body["components"]["schemas"]["ErrorBody"]["properties"]) == {"status", "code", "message", "fields"}


def test_the_docs_page_loads_its_scripts_and_styles_from_our_own_files(client):
    page = client.get("/api/v1/docs/")
    html = page.content.decode()
    assert page.status_code == 200 and "<style" not in html and "<script>" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "script-src 'self'" in page["Content-Security-Policy"] and "unsafe-inline" not in page["Content-Security-Policy"]
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")


@pytest.mark.calendar
def test_a_logged_set_a_finish_and_their_replays_match_the_schema(api_schema, coach_token, records):
    """The happy paths, which random ids rarely reach: their answers and a replay conform."""
    session = records["session"]
    exercise = session.exercises.order_by("order").first()
    headers = {"Authorization": f"Token {coach_token}", "Idempotency-Key": "schema-1"}
    sets = api_schema["/api/v1/sessions/{id}/sets/"]["POST"]
    for _ in range(2):  # the second is the replay
        case = sets.Case(path_parameters={"id": session.pk}, body={"exercise": exercise.pk, "set_number": 1, "reps": 3})
        assert case.call_and_validate(headers=headers).status_code == 201
    finish = api_schema["/api/v1/sessions/{id}/finish/"]["POST"]
    case = finish.Case(path_parameters={"id": session.pk}, body={"worst_pain": 0, "sharp_pain": False})
    assert case.call_and_validate(headers={**headers, "Idempotency-Key": "schema-2"}).status_code == 200
    reused = finish.Case(path_parameters={"id": session.pk}, body={"worst_pain": 1, "sharp_pain": False})
    assert reused.call_and_validate(headers={**headers, "Idempotency-Key": "schema-2"}).status_code == 422
    phase = api_schema["/api/v1/injuries/{id}/phase/"]["POST"]
    case = phase.Case(path_parameters={"id": records["injury"].pk},
                      body={"to_phase": "rehab", "override": True, "reason": "Walking well", "expected_phase": "protect"})
    assert case.call_and_validate(headers={**headers, "Idempotency-Key": "schema-3"}).status_code == 200
    stale = phase.Case(path_parameters={"id": records["injury"].pk}, body={"to_phase": "protect", "expected_phase": "protect"})
    assert stale.call_and_validate(headers={"Authorization": f"Token {coach_token}"}).status_code == 409


@pytest.mark.calendar
def test_an_import_its_names_to_match_and_its_result_match_the_schema(api_schema, coach_token, world):
    """A refused file (a name to match) and the same file with its match: both answers conform."""
    from datetime import timedelta

    from django.utils import timezone

    day = (timezone.localdate() - timedelta(days=3)).strftime("%m/%d/%Y")
    text = ("Name,Date UTC,Time UTC,Test,L Max Force (N),R Max Force (N)\n"
            f"Someone Else,{day},9:00 AM,Nordic,300,310\n").encode()
    operation = api_schema["/api/v1/test-results/import/"]["POST"]
    headers = {"Authorization": f"Token {coach_token}"}
    body = {"team": world.team.pk, "preset": "nordbord", "file": text}
    refused = operation.Case(body=body, media_type="multipart/form-data").call_and_validate(headers=headers)
    assert refused.status_code == 422 and refused.json()["error"]["names"][0]["name"] == "Someone Else"
    matched = {**body, "matches": f'{{"Someone Else": {world.athlete.pk}}}'}
    done = operation.Case(body=matched, media_type="multipart/form-data").call_and_validate(headers=headers)
    assert done.status_code == 201 and len(done.json()["results"]) == 1


def test_a_gps_import_and_its_refusal_match_the_schema(api_schema, coach_token, world):
    """A file with a bad row, then the file right: both answers conform."""
    from datetime import timedelta

    from django.utils import timezone

    day = (timezone.localdate() - timedelta(days=3)).strftime("%d/%m/%Y")
    header = "Player Name,Date,Total Duration,Total Distance,High Speed Distance\n"
    operation = api_schema["/api/v1/teams/{id}/gps/import/"]["POST"]
    headers = {"Authorization": f"Token {coach_token}"}
    for total, status in (("400", 422), ("6000", 201)):  # 400 m in all, 450 m of it at high speed: refused
        text = f"{header}{world.athlete.full_name},{day},70,{total},450\n".encode()
        case = operation.Case(path_parameters={"id": world.team.pk}, body={"preset": "catapult", "file": text},
                              media_type="multipart/form-data")
        assert case.call_and_validate(headers=headers).status_code == status


@pytest.mark.calendar
def test_a_history_a_screening_and_a_programme_match_the_schema(api_schema, coach_token, records):
    """The new reads' happy paths with real ids, which random ids rarely reach."""
    from decimal import Decimal

    from tests.factories import TestResultFactory

    TestResultFactory(athlete=records["athlete"], test_type__key="iso90",
                      left=Decimal("200"), right=Decimal("260"))
    headers = {"Authorization": f"Token {coach_token}"}
    for path, pk in (("/api/v1/injuries/{id}/history/", records["injury"].pk),
                     ("/api/v1/teams/{id}/screening/", records["team"].pk),
                     ("/api/v1/programmes/{id}/", records["programme"].pk)):
        case = api_schema[path]["GET"].Case(path_parameters={"id": pk})
        assert case.call_and_validate(headers=headers).status_code == 200, path


@pytest.mark.calendar  # the records' session is dated today
def test_the_api_holds_over_sequences_of_calls(api_schema, coach_token):
    """Stateful: schemathesis follows the schema's links (a list to its first item and that item's
    actions, a write to what it made) over sequences of calls. No 5xx, every answer as documented;
    a write the rules refuse may answer 400, as in the single-operation run."""

    @api_schema.auth()
    class Token:  # schemathesis' way to give real credentials: it knows they are meant to be valid
        def get(self, case, context):
            return coach_token

        def set(self, case, data, context):
            case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}

    reached = set()  # the operations on one item that answered with it: the links were followed

    class Calls(api_schema.as_state_machine()):
        # Each scenario starts from the same records: its writes are rolled back after it, and the
        # throttles' counts too, so Hypothesis sees the same answers when it replays a scenario.
        def setup(self):
            cache.clear()
            self.savepoint = transaction.atomic()
            self.savepoint.__enter__()

        def teardown(self):
            transaction.set_rollback(True)
            self.savepoint.__exit__(None, None, None)

        def after_call(self, response, case):
            if "{id}" in case.path and response.status_code in (200, 201):
                reached.add((case.method.upper(), case.path))

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            excluded = [positive_data_acceptance] if (case.method.upper(), case.path) in WRITES else []
            case.validate_response(response, excluded_checks=excluded, transport_kwargs=kwargs)

    Calls.run(settings=settings(max_examples=40, stateful_step_count=6, deadline=None, derandomize=True,
                                suppress_health_check=list(HealthCheck), database=None))
    assert len(reached) >= 4, reached  # ids were carried from one answer into the next call
