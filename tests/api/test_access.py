"""Every API route × the six personas, each with their own token (docs/architecture.md#apps).

A new route under /api/v1/ that is not listed in API_MATRIX fails `test_every_api_route_is_in_the_matrix`.
Records outside a user's scope answer 404, like the pages: the answer never reveals they exist.
"""

import pytest
from django.urls import get_resolver, reverse

from injuries import examples as injury_examples
from tests.conftest import PERSONAS
from tests.test_access_matrix import _url_names

from api.examples import TRIAGE


def expect(anonymous, coach, other_coach, athlete, other_athlete, admin):
    return dict(zip(PERSONAS, [anonymous, coach, other_coach, athlete, other_athlete, admin]))


SIGNED_IN = expect(401, 200, 200, 200, 200, 200)
OWN_ATHLETE = expect(401, 200, 404, 200, 404, 200)  # the athlete's coach, the athlete, an admin
OWN_TEAM = expect(401, 200, 404, 404, 404, 200)
OWN_USER = expect(401, 200, 404, 404, 404, 404)  # the coach's own notification
COACHES = expect(401, 200, 200, 403, 403, 200)
COACHES_OWN = expect(401, 200, 404, 403, 403, 200)  # coaches' pages of the team's records
PUBLIC = expect(200, 200, 200, 200, 200, 200)

# name -> (expected per persona, method, which record (in the `records` fixture) the URL names)
API_MATRIX = {
    "api:team-list": (SIGNED_IN, "get", None),
    "api:team-detail": (OWN_TEAM, "get", "team"),
    "api:team-screening": (COACHES_OWN, "get", "team"),
    "api:athlete-list": (SIGNED_IN, "get", None),
    "api:athlete-detail": (OWN_ATHLETE, "get", "athlete"),
    "api:complaint-list": (SIGNED_IN, "get", None),
    "api:complaint-detail": (OWN_ATHLETE, "get", "complaint"),
    "api:injury-list": (SIGNED_IN, "get", None),
    "api:injury-detail": (OWN_ATHLETE, "get", "injury"),
    "api:injury-history": (COACHES_OWN, "get", "injury"),
    "api:programme-list": (SIGNED_IN, "get", None),
    "api:programme-detail": (OWN_ATHLETE, "get", "programme"),
    "api:session-list": (SIGNED_IN, "get", None),
    "api:session-detail": (OWN_ATHLETE, "get", "session"),
    "api:test-result-list": (SIGNED_IN, "get", None),
    "api:test-result-detail": (OWN_ATHLETE, "get", "test-result"),
    "api:notification-list": (SIGNED_IN, "get", None),
    "api:notification-detail": (OWN_USER, "get", "notification"),
    "api:board": (COACHES, "get", None),
    "api:triage": (COACHES, "post", None),  # saves nothing: a read-only token may call it
    "api:schema": (PUBLIC, "get", None),
    "api:docs": (PUBLIC, "get", None),
    "api:not_found": (expect(404, 404, 404, 404, 404, 404), "get", None),  # any other address: JSON 404
}
# Routes that write (POST on a list): coaches and admins with a read-and-write token; another
# team's coach gets a 400 naming the athlete field (no hint the athlete exists); a read-only token 403.
WRITES = expect(401, 201, 400, 403, 403, 201)
API_WRITES = {
    "api:complaint-list": lambda world: {"athlete": world.athlete.pk, "answers": TRIAGE},
    "api:test-result-list": lambda world: {"athlete": world.athlete.pk, "test": "nordic", "tested_on": "2026-03-02",
                                           "left": "300", "right": "310.5"},
}
# A team's results file (multipart): the team must be the coach's (another team's coach gets a
# 400 naming the team field, no hint it exists); a read-only token 403.
MULTIPART_WRITES = {"api:test-result-import": WRITES}
# A team's GPS export (multipart, at the team's address): its coaches and admins with a read-and-write
# token; another team's coach gets the reads' 404 (no hint the team exists); a read-only token 403.
TEAM_IMPORTS = {"api:team-gps-import": expect(401, 201, 404, 403, 403, 201)}
# Writes on one record (detail routes): who may read the record, with a read-and-write token
# (a phase change: coaches and admins); anyone else gets the reads' 404 (no hint it exists).
# name -> (expected per persona, the record in `records`, its body, whether it was written)
DETAIL_WRITES = {
    "api:session-sets": (expect(401, 201, 404, 201, 404, 201), "session", lambda session: {
        "exercise": session.exercises.order_by("order").first().pk, "set_number": 1, "reps": 3, "load_kg": None},
        lambda session: session.exercises.filter(set_logs__isnull=False).exists()),
    "api:session-finish": (expect(401, 200, 404, 200, 404, 200), "session", lambda session: {"worst_pain": 1, "sharp_pain": False},
                           lambda session: session.completed_at is not None),
    "api:injury-phase": (expect(401, 200, 404, 403, 403, 200), "injury", lambda injury: {
        "to_phase": "rehab" if injury.phase == "protect" else "protect", "override": True, "reason": "Physio's call"},
        lambda injury: injury.phase_changes.filter(reason="Physio's call").exists()),
}
# The security page's tokens section: plain pages with the session (a token does not sign in).
SESSION_PAGES = {
    "api:token_new": (expect(302, 200, 200, 403, 403, 200), {"token_name": "Club dashboard", "days": "30", "write": ""}),
    "api:token_delete": (expect(302, 302, 302, 403, 403, 302), {"token": "0" * 128}),
}


def api_urls():
    return {name for name in _url_names(get_resolver().url_patterns) if name.startswith("api:")}


def test_every_api_route_is_in_the_matrix():
    assert api_urls() == (set(API_MATRIX) | set(API_WRITES) | set(MULTIPART_WRITES) | set(DETAIL_WRITES)
                          | set(SESSION_PAGES) | set(TEAM_IMPORTS))


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(SESSION_PAGES))
def test_token_pages_access(client, world, name, persona):
    expected, data = SESSION_PAGES[name]
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    assert client.post(reverse(name), data).status_code == expected[persona]
    assert client.get(reverse(name)).status_code == 405  # POST only


def url_of(name, records):
    record = API_MATRIX[name][2]
    return reverse(name, kwargs={"pk": records[record].pk} if record else {})


# What these read is worked out from today (sessions, phases, return windows, the board's order):
# they run again on the weekday copies; the others' answers depend on who asks, not on the day.
DATED = {"api:athlete-detail", "api:injury-detail", "api:injury-history", "api:programme-list", "api:programme-detail",
         "api:session-list", "api:session-detail", "api:board", "api:team-screening"}


@pytest.mark.calendar(weekdays=False)  # the session is dated today
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.calendar) if n in DATED else n for n in sorted(API_MATRIX)])
def test_api_access(api, world, records, name, persona):
    expected, method, _ = API_MATRIX[name]
    client = api(world.persona(persona))
    url = url_of(name, records)
    response = client.post(url, TRIAGE, format="json") if method == "post" else client.get(url)
    assert response.status_code == expected[persona], (persona, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


@pytest.mark.calendar
@pytest.mark.parametrize("name", [n for n, (_, m, r) in API_MATRIX.items() if n.endswith("-list")])
@pytest.mark.parametrize("persona", ["other_coach", "other_athlete"])
def test_lists_never_hold_another_athletes_records(api, world, records, name, persona):
    """The lists answer 200 to everyone signed in, scoped by the one access rule."""
    rows = api(world.persona(persona)).get(reverse(name)).json()["results"]
    athletes = {row.get("athlete", row["id"] if name == "api:athlete-list" else None) for row in rows}
    assert world.athlete.pk not in athletes
    if name == "api:notification-list":
        assert rows == []


@pytest.mark.calendar
def test_the_athletes_own_records_are_listed_for_them_and_their_coach(api, world, records):
    for user in (world.athlete_user, world.coach, world.admin):
        client = api(user)
        for name in ("complaint", "injury", "programme", "session", "test-result"):
            rows = client.get(reverse(f"api:{name}-list")).json()["results"]
            assert records[name].pk in {row["id"] for row in rows}, (user, name)


def test_an_athlete_may_not_triage_or_open_the_board(api, world):
    client = api(world.athlete_user)
    assert client.post(reverse("api:triage"), injury_examples.typed_answers("doms"), format="json").status_code == 403
    assert client.get(reverse("api:board")).json()["error"]["code"] == "permission_denied"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_api_writes_access(api, world, name, persona):
    client = api(world.persona(persona), write=True)
    response = client.post(reverse(name), API_WRITES[name](world), format="json")
    assert response.status_code == WRITES[persona], (persona, response.content[:300])
    if persona == "other_coach":
        assert set(response.json()["error"]["fields"]) == {"athlete"}


@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_a_read_only_token_may_not_write(api, world, name):
    from testing.models import TestResult

    from injuries.models import Complaint

    response = api(world.coach, write=False).post(reverse(name), API_WRITES[name](world), format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert not Complaint.objects.exists() and not TestResult.objects.exists()


@pytest.mark.calendar  # the session is dated today: it may be logged
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(DETAIL_WRITES))
def test_detail_writes_access(api, world, records, name, persona):
    expected, record, body, written = DETAIL_WRITES[name]
    obj = records[record]
    response = api(world.persona(persona), write=True).post(reverse(name, args=[obj.pk]), body(obj), format="json")
    assert response.status_code == expected[persona], (persona, response.content[:300])
    obj.refresh_from_db()
    assert written(obj) == (response.status_code < 300)
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


@pytest.mark.calendar
@pytest.mark.parametrize("persona", ["coach", "athlete", "admin"])
@pytest.mark.parametrize("name", sorted(DETAIL_WRITES))
def test_a_read_only_token_may_not_write_a_record(api, world, records, name, persona):
    _, record, body, written = DETAIL_WRITES[name]
    obj = records[record]
    response = api(world.persona(persona), write=False).post(reverse(name, args=[obj.pk]), body(obj), format="json")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    obj.refresh_from_db()
    assert not written(obj)


def _nordbord_file(world):
    """A one-row NordBord export naming the world's athlete, tested three days ago."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    day = (timezone.localdate() - timedelta(days=3)).strftime("%m/%d/%Y")
    text = ("Name,ExternalId,Date UTC,Time UTC,Device,Test,L Reps,R Reps,L Max Force (N),R Max Force (N)\n"
            f"{world.athlete.full_name},{world.athlete.email},{day},9:00 AM,NordBord,Nordic,3,3,300,310\n")
    return {"team": world.team.pk, "preset": "nordbord", "file": SimpleUploadedFile("nordbord.csv", text.encode())}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(MULTIPART_WRITES))
def test_api_imports_access(api, world, name, persona):
    from testing.models import TestResult

    response = api(world.persona(persona), write=True).post(reverse(name), _nordbord_file(world), format="multipart")
    assert response.status_code == MULTIPART_WRITES[name][persona], (persona, response.content[:300])
    assert TestResult.objects.filter(athlete=world.athlete).exists() == (response.status_code == 201)
    if response.status_code >= 400:
        assert {"status", "code", "message", "fields"} <= set(response.json()["error"])
    if persona == "other_coach":
        assert set(response.json()["error"]["fields"]) == {"team"}


@pytest.mark.parametrize("persona", ["coach", "admin"])
@pytest.mark.parametrize("name", sorted(MULTIPART_WRITES))
def test_a_read_only_token_may_not_import(api, world, name, persona):
    from testing.models import TestResult

    response = api(world.persona(persona), write=False).post(reverse(name), _nordbord_file(world), format="multipart")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert not TestResult.objects.exists()


def _gps_file(world):
    """A one-row Catapult export naming the world's athlete, three days ago."""
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    day = (timezone.localdate() - timedelta(days=3)).strftime("%d/%m/%Y")
    text = ("Player Name,Date,Total Duration,Total Distance,High Speed Distance,Maximum Velocity\n"
            f"{world.athlete.full_name},{day},1:10:00,6100,480,8.4\n")
    return {"preset": "catapult", "file": SimpleUploadedFile("catapult.csv", text.encode())}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(TEAM_IMPORTS))
def test_api_team_imports_access(api, world, name, persona):
    from monitoring.models import GpsRow

    url = reverse(name, args=[world.team.pk])
    response = api(world.persona(persona), write=True).post(url, _gps_file(world), format="multipart")
    assert response.status_code == TEAM_IMPORTS[name][persona], (persona, response.content[:300])
    assert GpsRow.objects.filter(athlete=world.athlete).exists() == (response.status_code == 201)
    if response.status_code >= 400:
        assert set(response.json()["error"]) == {"status", "code", "message", "fields"}


@pytest.mark.parametrize("persona", ["coach", "admin"])
@pytest.mark.parametrize("name", sorted(TEAM_IMPORTS))
def test_a_read_only_token_may_not_import_for_a_team(api, world, name, persona):
    from monitoring.models import GpsRow

    url = reverse(name, args=[world.team.pk])
    response = api(world.persona(persona), write=False).post(url, _gps_file(world), format="multipart")
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert not GpsRow.objects.exists()
