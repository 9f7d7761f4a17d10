"""A team's GPS export through the API: monitoring's own import (all or nothing), with a preset or
the team's saved mapping, its problems by line, and a retry with the same Idempotency-Key."""

from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from athletes.models import AccessLog
from monitoring import imports
from monitoring.models import GpsImport, GpsRow, MaxVelocity

SAMPLES = Path(__file__).parent.parent / "monitoring" / "samples"  # the engine's sample exports
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the samples' sessions are from 20 to 25 November 2026


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def url(team):
    return f"/api/v1/teams/{team.pk}/gps/import/"


def upload(client, team, content, *, key=None, name="export.csv", **fields):
    if isinstance(content, str):
        content = (SAMPLES / content).read_bytes() if content.endswith(".csv") else content.encode()
    body = {"file": SimpleUploadedFile(name, content, "text/csv"), **fields}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url(team), body, format="multipart", **headers)


def test_a_catapult_export_imports_with_its_counts(api, world, gps_squad):
    response = upload(api(world.coach, write=True), world.team, "catapult.csv", preset="catapult", name="week 48.csv")
    assert response.status_code == 201, response.content
    source = GpsImport.objects.get()
    assert response.json() == {"imported": 4, "athletes": 2, "already": 0, "new_max_velocities": 2, "import_id": source.pk}
    assert (source.file_name, source.rows, source.imported_by) == ("week 48.csv", 4, world.coach)
    assert MaxVelocity.objects.get(athlete=gps_squad[0]).velocity == D("9.31")
    assert list(AccessLog.objects.values_list("action", "team_id")) == [("import_gps", world.team.pk)]


def test_a_saved_mapping_of_the_team_is_used_by_its_id(api, world, gps_squad):
    columns = {"fields": {"athlete": "athlete", "date": "day", "minutes": "mins", "total_distance": "dist_m",
                          "hsr": "hsr_m", "max_velocity": "top_speed_kmh"}, "velocity_unit": "km/h"}
    saved = imports.gps_mapping_save(team=world.team, name="Ours", columns=columns, by=world.coach)
    response = upload(api(world.coach, write=True), world.team, "own_columns.csv", mapping=saved.pk)
    assert response.status_code == 201 and response.json()["imported"] == 2
    assert GpsImport.objects.get().mapping == saved


def test_another_teams_mapping_is_a_400_naming_the_field(api, world, gps_squad):
    theirs = imports.gps_mapping_save(team=world.other_team, name="Theirs", columns="catapult", by=world.other_coach)
    response = upload(api(world.coach, write=True), world.team, "catapult.csv", mapping=theirs.pk)
    assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"mapping"}
    assert not GpsRow.objects.exists()


@pytest.mark.parametrize("fields", [{}, {"preset": "catapult", "mapping": 1}])
def test_a_preset_or_a_mapping_is_needed_and_not_both(api, world, gps_squad, fields):
    response = upload(api(world.coach, write=True), world.team, "catapult.csv", **fields)
    assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"preset"}


def test_a_bad_file_imports_nothing_and_comes_back_by_line(api, world, gps_squad):
    response = upload(api(world.coach, write=True), world.team, "catapult_bad.csv", preset="catapult")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_refused" and error["message"] == "Nothing was imported: 8 problems in the file."
    assert [problem["line"] for problem in error["lines"]] == [3, 4, 5, 6, 7, 8, 9, 10]
    assert error["fields"]["file"][0].startswith("Line 3: No athlete “Nobody Here”")
    assert not GpsRow.objects.exists() and not GpsImport.objects.exists() and not MaxVelocity.objects.exists()
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(("content", "words"), [
    (b"\x00\x01", "spreadsheet"), ("Player Name\nZoë\n".encode("latin-1"), "not UTF-8"),
    (b"Player Name,Date\n", "Missing column(s)"),
])
def test_a_file_that_cannot_be_read_is_refused_at_line_1(api, world, content, words):
    response = upload(api(world.coach, write=True), world.team, content, preset="catapult")
    assert response.status_code == 422
    assert response.json()["error"]["lines"][0]["line"] == 1 and words in response.json()["error"]["lines"][0]["message"]


def test_the_same_key_and_file_import_once_and_another_file_with_it_is_refused(api, world, gps_squad):
    client = api(world.coach, write=True)
    first = upload(client, world.team, "catapult.csv", key="gps-1", preset="catapult")
    again = upload(client, world.team, "catapult.csv", key="gps-1", preset="catapult")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and GpsRow.objects.count() == 4 and GpsImport.objects.count() == 1
    other = upload(client, world.team, "statsports.csv", key="gps-1", preset="catapult")
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"


def test_a_refused_import_keeps_no_key_so_the_corrected_file_may_reuse_it(api, world, gps_squad):
    client = api(world.coach, write=True)
    assert upload(client, world.team, "statsports.csv", key="k", preset="catapult").status_code == 422
    assert upload(client, world.team, "statsports.csv", key="k", preset="statsports").status_code == 201


def test_the_same_file_without_a_key_is_already_there(api, world, gps_squad):
    client = api(world.coach, write=True)
    upload(client, world.team, "catapult.csv", preset="catapult")
    again = upload(client, world.team, "catapult.csv", preset="catapult")
    assert again.status_code == 201
    assert again.json() == {"imported": 0, "athletes": 0, "already": 4, "new_max_velocities": 0, "import_id": None}


def test_another_teams_coach_gets_a_404_and_an_athlete_a_403(api, world, gps_squad):
    assert upload(api(world.other_coach, write=True), world.team, "catapult.csv", preset="catapult").status_code == 404
    assert upload(api(world.athlete_user, write=True), world.team, "catapult.csv", preset="catapult").status_code == 403
    assert not GpsRow.objects.exists()


def test_the_import_takes_a_multipart_body_only(api, world):
    response = api(world.coach, write=True).post(url(world.team), {"preset": "catapult", "file": "x"}, format="json")
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"
