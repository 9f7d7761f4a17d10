"""A team's force-plate file through the API: testing's own import (all or nothing, the strongest
attempt of each day), its problems by line, and the names to match sent back with candidates."""

from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from testing.models import TestResult
from tests.factories import AthleteFactory

SAMPLES = Path(__file__).parent.parent / "testing" / "samples"  # the web import's sample exports
NOW = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)  # the samples' tests were done on March 30 and 31, 2026
URL = "/api/v1/test-results/import/"

FORCEFRAME_BAD = (
    "Name,ExternalId,Date UTC,Time UTC,Device,Test,Direction,Position,L Reps,R Reps,L Max Force (N),R Max Force (N)\n"
    "Zoë Müller,zoe@example.com,03/30/2026,10:05 AM,ForceFrame,Knee Flexion,Pull,Prone - Knee 90°,3,3,265,251.4\n"
    "Zoë Müller,zoe@example.com,31/03/2026,10:07 AM,ForceFrame,Knee Flexion,Pull,Prone - Knee 90°,3,3,270,255\n"
    "Sam Taylor,,03/30/2026,1:10 PM,ForceFrame,Hamstring,Pull,Prone 90°,3,3,,236\n"
    "Kai Brandt,,03/30/2026,1:20 PM,ForceFrame,Hamstring,Pull,Prone 90°,3,3,240,236\n"
)


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def upload(client, team, preset, content, *, name="export.csv", key=None, **fields):
    if isinstance(content, str):
        content = content.encode()
    elif isinstance(content, Path):
        content = content.read_bytes()
    body = {"team": team.pk, "preset": preset, "file": SimpleUploadedFile(name, content, "text/csv"), **fields}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(URL, body, format="multipart", **headers)


def test_a_nordbord_export_with_an_unknown_name_asks_who_it_is_then_imports_the_best_of_each_day(api, world, plate_squad):
    client = api(world.coach, write=True)
    refused = upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv")
    assert refused.status_code == 422
    error = refused.json()["error"]
    assert error["code"] == "names_to_match" and "match 1 name" in error["message"]
    assert error["lines"] == [{"line": 7, "message": "No athlete in Alpha matches “Jon Smyth” (line 7): "
                                                     "choose who it is, or skip the rows."}]
    [name] = error["names"]
    assert (name["name"], name["lines"], name["several"]) == ("Jon Smyth", [7], False)
    # Every current athlete of the team, those sharing a word of the name first.
    assert {c["id"] for c in name["candidates"]} == {a.pk for a in world.team.athletes.active()}
    assert not TestResult.objects.exists()

    done = upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv",
                  matches=f'{{"Jon Smyth": {plate_squad["jon"].pk}}}')
    assert done.status_code == 201, done.content
    answer = done.json()
    assert {k: answer[k] for k in ("imported", "athletes", "not_kept", "already", "skipped", "ignored")} == {
        "imported": 4, "athletes": 4, "not_kept": 2, "already": 0, "skipped": 0, "ignored": 1}
    assert sorted(answer["results"]) == sorted(TestResult.objects.values_list("pk", flat=True))
    best = TestResult.objects.get(athlete=plate_squad["zoe"])  # three attempts on March 30
    assert (best.left, best.right, best.recorded_by) == (D("322.00"), D("310.50"), world.coach)
    assert TestResult.objects.get(athlete=plate_squad["jon"]).left == D("260.00")


def test_a_name_may_be_skipped_and_a_shared_name_lists_its_athletes_first(api, world, plate_squad):
    twin = AthleteFactory(team=world.team, first_name="Zoe", last_name="Muller", email="zoe2@example.com")
    client = api(world.coach, write=True)
    refused = upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv", matches='{"Jon Smyth": "skip"}')
    error = refused.json()["error"]
    assert refused.status_code == 422 and error["code"] == "names_to_match"
    [name] = error["names"]
    assert name["several"] and name["lines"] == [2, 3, 4]
    assert {c["id"] for c in name["candidates"][:2]} == {plate_squad["zoe"].pk, twin.pk}
    done = upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv",
                  matches=f'{{"Jon Smyth": "skip", "zoe muller": {twin.pk}}}')
    assert done.status_code == 201 and done.json()["skipped"] == 1
    assert TestResult.objects.filter(athlete=twin).count() == 1 and not TestResult.objects.filter(athlete=plate_squad["zoe"])


def test_a_forceframe_export_is_imported_as_its_90_and_30_degree_tests(api, world, plate_squad):
    response = upload(api(world.coach, write=True), world.team, "forceframe", SAMPLES / "forceframe.csv")
    assert response.status_code == 201, response.content
    assert {k: response.json()[k] for k in ("imported", "athletes", "not_kept", "ignored")} == {
        "imported": 3, "athletes": 2, "not_kept": 1, "ignored": 2}
    assert set(TestResult.objects.values_list("athlete__first_name", "test_type__key")) == {
        ("Zoë", "iso90"), ("Zoë", "iso30"), ("Sam", "iso90")}


def test_bad_rows_import_nothing_and_come_back_by_line(api, world, plate_squad):
    response = upload(api(world.coach, write=True), world.team, "nordbord", SAMPLES / "nordbord_bad.csv")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "import_refused" and error["message"].startswith("Nothing was imported: ")
    lines = [problem["line"] for problem in error["lines"]]
    assert lines == sorted(lines) and {3, 4, 5, 6, 7, 8, 9} <= set(lines)
    assert any("MM/DD/YYYY" in p["message"] for p in error["lines"] if p["line"] == 4)
    # Kai is in a team the coach does not coach: to them, a name like any other.
    assert any("No athlete in Alpha matches “Kai Brandt”" in p["message"] for p in error["lines"] if p["line"] == 7)
    assert [name["name"] for name in error["names"]] == ["Kai Brandt"]
    assert error["fields"]["file"][0].startswith(f"Line {lines[0]}: ")
    assert not TestResult.objects.exists()


def test_a_forceframe_file_with_bad_rows_and_an_unknown_name_lists_both(api, world, plate_squad):
    response = upload(api(world.coach, write=True), world.team, "forceframe",
                      FORCEFRAME_BAD.replace("Sam Taylor", "Sammy T"))
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "import_refused"
    by_line = {}
    for problem in error["lines"]:
        by_line[problem["line"]] = by_line.get(problem["line"], "") + problem["message"]
    assert "MM/DD/YYYY" in by_line[3] and "Both L Max Force (N) and R Max Force (N)" in by_line[4]
    assert "matches “Kai Brandt”" in by_line[5]
    assert [n["name"] for n in error["names"]] == ["Sammy T", "Kai Brandt"]
    assert not TestResult.objects.exists()


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfeN\x00a\x00", "spreadsheet"),
    ("Name,Date UTC\n".encode("utf-16"), "spreadsheet"),
    ("Name;Test\nZoë;Nordic\n".encode("latin-1"), "not UTF-8"),
    (b"", "empty"),
])
def test_a_file_that_is_not_a_csv_is_refused_at_line_1(api, world, content, message):
    response = upload(api(world.coach, write=True), world.team, "nordbord", content)
    error = response.json()["error"]
    assert response.status_code in (400, 422), response.content
    if response.status_code == 422:
        assert error["lines"][0]["line"] == 1 and message in error["lines"][0]["message"]
    else:  # an empty upload: DRF's own check of the file field
        assert set(error["fields"]) == {"file"}


@pytest.mark.parametrize("matches", ["{", "[1]", '{"Jon": 1.5}', '{"Jon": true}', '{"Jon": "someone"}'])
def test_matches_that_are_not_names_to_ids_are_a_400_naming_the_field(api, world, plate_squad, matches):
    response = upload(api(world.coach, write=True), world.team, "nordbord", SAMPLES / "nordbord.csv", matches=matches)
    assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"matches"}


def test_an_athlete_of_another_team_may_not_be_chosen(api, world, plate_squad):
    response = upload(api(world.coach, write=True), world.team, "nordbord", SAMPLES / "nordbord.csv",
                      matches=f'{{"Jon Smyth": {plate_squad["kai"].pk}}}')
    assert response.status_code == 422
    assert any("is not in Alpha" in p["message"] for p in response.json()["error"]["lines"])
    assert not TestResult.objects.exists()


def test_the_same_key_and_file_import_once_and_another_file_with_it_is_refused(api, world, plate_squad):
    client = api(world.coach, write=True)
    matches = f'{{"Jon Smyth": {plate_squad["jon"].pk}}}'
    first = upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv", key="import-1", matches=matches)
    again = upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv", key="import-1", matches=matches)
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and TestResult.objects.count() == 4
    # The same file name and fields, another content: another request.
    other = upload(client, world.team, "nordbord", SAMPLES / "forceframe.csv", key="import-1", matches=matches)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"


def test_a_refused_import_keeps_no_key_so_the_corrected_file_may_reuse_it(api, world, plate_squad):
    client = api(world.coach, write=True)
    assert upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv", key="k").status_code == 422
    done = upload(client, world.team, "nordbord", SAMPLES / "nordbord.csv", key="k",
                  matches=f'{{"Jon Smyth": {plate_squad["jon"].pk}}}')
    assert done.status_code == 201


def test_a_file_imported_before_is_already_there(api, world, plate_squad):
    client = api(world.coach, write=True)
    assert upload(client, world.team, "forceframe", SAMPLES / "forceframe.csv").status_code == 201
    again = upload(client, world.team, "forceframe", SAMPLES / "forceframe.csv")
    assert again.status_code == 201 and (again.json()["imported"], again.json()["already"]) == (0, 3)
    assert TestResult.objects.count() == 3


def test_the_import_takes_a_multipart_body_only(api, world):
    response = api(world.coach, write=True).post(URL, {"team": world.team.pk, "file": "x"}, format="json")
    assert response.status_code == 415 and response.json()["error"]["code"] == "unsupported_media_type"
