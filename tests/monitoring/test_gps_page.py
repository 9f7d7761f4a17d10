"""The GPS import page: upload with a saved mapping or a common export, or map the columns
(saved for the team, reused), then all or nothing with every problem by line."""

import re
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from athletes.models import AccessLog
from monitoring import imports
from monitoring.models import GpsImport, GpsMapping, GpsRow, MaxVelocity
from tests.factories import AthleteFactory

SAMPLES = Path(__file__).parent / "samples"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the samples' sessions are from 20 to 25 November 2026
OWN = {"athlete": "athlete", "date": "day", "minutes": "mins", "total_distance": "dist_m", "hsr": "hsr_m",
       "max_velocity": "top_speed_kmh"}


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def url(team):
    return reverse("team_gps_import", args=[team.pk])


def upload(client, team, content, mapping, *, step="import", name="export.csv"):
    if isinstance(content, str):
        content = (SAMPLES / content).read_bytes() if content.endswith(".csv") else content.encode()
    return client.post(url(team), {"file": SimpleUploadedFile(name, content, "text/csv"), "mapping": mapping, "step": step})


def token_of(response) -> str:
    return re.search(r'name="upload" value="([^"]+)"', response.content.decode())[1]


def mapping_post(client, team, token, columns, *, save_as="", unit="m/s", order="dmy"):
    data = {"upload": token, "velocity_unit": unit, "date_order": order, "save_as": save_as}
    data.update({f"field_{name}": column for name, column in columns.items()})
    return client.post(url(team), data)


def test_the_page_offers_the_exports_and_map_myself_and_shows_the_fields(coach_client, world, django_assert_num_queries):
    for name in ("Ours", "Old"):
        imports.gps_mapping_save(team=world.team, name=name, columns="catapult", by=world.coach)
    for by in (world.coach, world.admin, None):
        GpsImport.objects.create(team=world.team, file_name="week.csv", rows=4, imported_by=by)
    with django_assert_num_queries(5):  # however many mappings and imports; one fewer since the header's unread count comes with the user (reminders/backends.py)
        page = coach_client.get(url(world.team))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("week.csv") == 3 and "Saved mappings: Old, Ours." in html
    for words in ("Catapult OpenField export", "STATSports Apex export", "Map the columns myself",
                  "High-speed running distance (m)", "Download an example file"):
        assert words in html


def test_a_catapult_export_imports_at_once_and_goes_to_the_teams_load(coach_client, world, gps_squad):
    response = upload(coach_client, world.team, "catapult.csv", "preset:catapult")
    assert response.status_code == 302 and response["Location"] == reverse("team_load", args=[world.team.pk])
    assert GpsRow.objects.count() == 4
    message = str(list(response.wsgi_request._messages)[0])
    assert message == "Imported 4 GPS rows for 2 athletes. A new maximal velocity for 2 athletes."
    assert list(AccessLog.objects.values_list("action", "team_id", "user_id")) == [("import_gps", world.team.pk, world.coach.pk)]


def test_a_statsports_export_with_semicolons_imports(coach_client, world, gps_squad):
    response = upload(coach_client, world.team, "statsports.csv", "preset:statsports")
    assert response.status_code == 302 and GpsRow.objects.count() == 2


def test_the_same_file_again_adds_nothing_and_says_so(coach_client, world, gps_squad):
    upload(coach_client, world.team, "catapult.csv", "preset:catapult")
    again = upload(coach_client, world.team, "catapult.csv", "preset:catapult")
    assert "Nothing new: the file's 4 rows had all been imported before." in str(list(again.wsgi_request._messages)[-1])
    assert GpsImport.objects.count() == 1


def test_a_bad_file_lists_every_problem_by_line_and_saves_nothing(coach_client, world, gps_squad):
    page = upload(coach_client, world.team, "catapult_bad.csv", "preset:catapult")
    html = page.content.decode()
    assert page.status_code == 200 and "Nothing was imported" in html
    lines = [int(line) for line in re.findall(r"<tr><td>(\d+)</td><td>", html)]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "No athlete “Nobody Here” in Alpha" in html and "31/02/2026" in html
    assert not GpsRow.objects.exists() and not GpsImport.objects.exists() and not MaxVelocity.objects.exists()
    assert not AccessLog.objects.exists()


def test_a_mixed_file_of_good_rows_and_one_bad_row_saves_nothing(coach_client, world, gps_squad):
    good = (SAMPLES / "catapult.csv").read_text()
    mixed = good + "Sam Taylor,25/11/2026,Extra,0:30:00,2000,900,10,8.1,100\n"  # hsr > total? no: 900 < 2000
    mixed = mixed.replace("0:30:00,2000,900", "0:30:00,800,900")  # more high-speed running than distance
    page = upload(coach_client, world.team, mixed, "preset:catapult")
    assert "more than the total distance" in page.content.decode()
    assert re.findall(r"<tr><td>(\d+)</td>", page.content.decode()) == ["6"]
    assert not GpsRow.objects.exists() and not GpsImport.objects.exists()


def test_the_list_of_problems_is_capped(coach_client, world, gps_squad):
    header = "Player Name,Date,Total Duration,Total Distance,High Speed Distance\n"
    rows = "".join(f"Nobody {n},23/11/2026,60,5000,300\n" for n in range(250))
    page = upload(coach_client, world.team, header + rows, "preset:catapult")
    html = page.content.decode()
    assert "The file has 250 problems" in html and "The first 200 of 250 problems are shown." in html
    assert len(re.findall(r"<tr><td>\d+</td>", html)) == 200


def test_the_wrong_export_says_which_it_looks_like_and_offers_to_map_this_file(coach_client, world, gps_squad):
    page = upload(coach_client, world.team, "statsports.csv", "preset:catapult")
    html = page.content.decode()
    assert "Missing column(s)" in html and "STATSports Apex export" in html
    mapping = coach_client.post(url(world.team), {"upload": token_of(page), "step": "map"})
    html = mapping.content.decode()
    assert "Match the file's columns" in html
    # The columns guessed from the exports the file matches.
    assert re.search(r'<option value="Session Date" selected>', html)


def test_a_coach_maps_their_own_columns_saves_the_mapping_and_it_is_reused(coach_client, world, gps_squad):
    zoe, _ = gps_squad
    page = upload(coach_client, world.team, "own_columns.csv", "own")
    html = page.content.decode()
    assert page.status_code == 200 and "Match the file's columns" in html
    assert "Date (required)" in html and '<option value="top_speed_kmh"' in html
    assert not GpsRow.objects.exists()
    done = mapping_post(coach_client, world.team, token_of(page), OWN, save_as="Our export", unit="km/h")
    assert done.status_code == 302, done.content.decode()[:2000]
    assert "Saved the column mapping “Our export” for next time." in str(list(done.wsgi_request._messages)[0])
    assert GpsRow.objects.get(athlete=zoe).max_velocity == D("9.19")  # 33.1 km/h
    saved = GpsMapping.objects.get(team=world.team)
    assert saved.name == "Our export" and saved.columns["velocity_unit"] == "km/h"
    assert GpsImport.objects.get().mapping == saved

    # Next time: the saved mapping is offered first and imports in one step.
    assert f'<option value="saved:{saved.pk}" selected>' in coach_client.get(url(world.team)).content.decode()
    later = "athlete,day,mins,dist_m,hsr_m,top_speed_kmh\nZoe Muller,2026-11-27,70,5000,400,34.2\n"
    again = upload(coach_client, world.team, later, f"saved:{saved.pk}")
    assert again.status_code == 302 and GpsRow.objects.count() == 3
    assert GpsImport.objects.filter(mapping=saved).count() == 2
    assert MaxVelocity.objects.get(athlete=zoe).velocity == D("9.50")  # 34.2 km/h


def test_a_saved_mapping_can_be_changed_under_its_name(coach_client, world, gps_squad):
    saved = imports.gps_mapping_save(team=world.team, name="Ours", columns={"fields": {**OWN, "max_velocity": ""}}, by=world.coach)
    page = upload(coach_client, world.team, "own_columns.csv", f"saved:{saved.pk}", step="map")
    html = page.content.decode()
    assert 'name="save_as" value="Ours"' in html and '<option value="day" selected>' in html
    done = mapping_post(coach_client, world.team, token_of(page), OWN, save_as="Ours", unit="km/h")
    assert done.status_code == 302
    saved.refresh_from_db()
    assert saved.columns["fields"]["max_velocity"] == "top_speed_kmh" and GpsMapping.objects.count() == 1


def test_a_mapping_with_a_column_chosen_twice_or_a_required_field_empty_is_refused(coach_client, world, gps_squad):
    page = upload(coach_client, world.team, "own_columns.csv", "own")
    token = token_of(page)
    twice = mapping_post(coach_client, world.team, token, {**OWN, "hsr": "dist_m"})
    assert "is chosen for two fields" in twice.content.decode()
    empty = mapping_post(coach_client, world.team, token, {**OWN, "date": ""})
    assert "Choose the file&#x27;s column for this." in empty.content.decode()
    assert not GpsRow.objects.exists() and not GpsMapping.objects.exists()


def test_a_tampered_or_another_teams_upload_is_asked_again(coach_client, world, gps_squad):
    page = upload(coach_client, world.team, "own_columns.csv", "own")
    tampered = mapping_post(coach_client, world.team, token_of(page) + "x", OWN)
    assert tampered.status_code == 200 and "upload it again" in tampered.content.decode()
    assert not GpsRow.objects.exists()


@pytest.mark.parametrize(("content", "words"), [
    (b"", "The submitted file is empty."),
    (b"\x00\x01\x02", "save it as CSV"),
    ("Player Name;Date\nZoë;23/11/2026\n".encode("latin-1"), "not UTF-8"),
    (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    (b"   \n\n", "The file is empty"),
])
def test_a_file_that_cannot_be_read_says_why(coach_client, world, content, words):
    page = upload(coach_client, world.team, content, "preset:catapult")
    assert page.status_code == 200 and words in page.content.decode()
    assert not GpsImport.objects.exists()


def test_a_file_whose_first_line_names_no_columns_cannot_be_mapped(coach_client, world):
    page = upload(coach_client, world.team, "\nZoe Muller,2026-11-20,75\n", "own")
    assert "The first line names no columns" in page.content.decode() and "Match the file" not in page.content.decode()


def test_a_header_missing_a_mapped_column_says_which(coach_client, world, gps_squad):
    saved = imports.gps_mapping_save(team=world.team, name="Ours", columns={"fields": OWN, "velocity_unit": "km/h"}, by=world.coach)
    page = upload(coach_client, world.team, "athlete,day,mins,dist_m\nZoe Muller,2026-11-20,75,6000\n", f"saved:{saved.pk}")
    assert "Missing column(s): hsr_m." in page.content.decode()


def test_another_teams_coach_gets_a_404_and_an_athlete_a_403(client, world, gps_squad):
    client.force_login(world.other_coach)
    assert upload(client, world.team, "catapult.csv", "preset:catapult").status_code == 404
    client.force_login(world.athlete_user)
    assert upload(client, world.team, "catapult.csv", "preset:catapult").status_code == 403
    assert not GpsRow.objects.exists()


def test_another_teams_saved_mapping_is_not_a_choice(coach_client, world, gps_squad):
    theirs = imports.gps_mapping_save(team=world.other_team, name="Theirs", columns="catapult", by=world.other_coach)
    page = upload(coach_client, world.team, "catapult.csv", f"saved:{theirs.pk}")
    assert page.status_code == 200 and not GpsRow.objects.exists()


def test_the_example_file_imports_with_the_catapult_preset(coach_client, world):
    AthleteFactory(team=world.team, first_name="Alex", last_name="Morgan")
    AthleteFactory(team=world.team, first_name="Sam", last_name="Taylor", email="sam.taylor@example.com")
    example = coach_client.get(reverse("gps_import_example"))
    assert example["Content-Type"].startswith("text/csv")
    response = upload(coach_client, world.team, example.content, "preset:catapult")
    assert response.status_code == 302 and GpsRow.objects.count() == 3
