"""A team's GPS export: mapped once, presets for Catapult and STATSports, all or nothing with
line-numbered problems (monitoring/imports.py)."""

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from monitoring import imports
from monitoring.models import GpsImport, GpsMapping, GpsRow, MaxVelocity
from monitoring.services import MonitoringError
from tests.factories import AthleteFactory, TeamFactory

SAMPLES = Path(__file__).parent / "samples"
pytestmark = pytest.mark.calendar  # the sample files' dates are in the past of the pinned day


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_a_catapult_export_imports_every_row_with_names_matched_like_the_test_import(world, gps_squad):
    zoe, sam = gps_squad
    outcome = imports.gps_import(team=world.team, file=sample("catapult.csv"), mapping="catapult", by=world.coach, file_name="week.csv")
    assert outcome.ok, outcome.problems
    assert (outcome.imported, outcome.athletes) == (4, 2)
    row = GpsRow.objects.get(athlete=zoe, date=date(2026, 11, 23))
    assert (row.session_label, row.minutes, row.total_distance_m, row.hsr_m, row.sprint_m, row.max_velocity) == (
        "MD-3 Training", D("74.5"), D("6120.4"), D("512.3"), D("88.1"), D("8.62"))
    assert row.source == GpsImport.objects.get(pk=outcome.import_id)
    assert GpsRow.objects.filter(athlete=zoe, date=date(2026, 11, 24)).exists()  # "Müller, Zoe"
    assert GpsRow.objects.filter(athlete=sam, date=date(2026, 11, 24)).exists()  # by email


def test_a_statsports_export_with_semicolons_imports(world, gps_squad):
    outcome = imports.gps_import(team=world.team, file=sample("statsports.csv"), mapping="statsports", by=world.coach)
    assert outcome.ok and outcome.imported == 2


def test_the_fastest_run_becomes_the_maximal_velocity_and_a_coach_entry_is_kept_until_beaten(world, gps_squad):
    zoe, sam = gps_squad
    MaxVelocity.objects.create(athlete=sam, velocity=D("9.5"), measured_on=date(2026, 10, 1), source=MaxVelocity.Source.COACH)
    imports.gps_import(team=world.team, file=sample("catapult.csv"), mapping="catapult", by=world.coach)
    assert (zoe.max_velocity.velocity, zoe.max_velocity.source, zoe.max_velocity.measured_on) == (D("9.31"), "gps", date(2026, 11, 24))
    sam.max_velocity.refresh_from_db()
    assert (sam.max_velocity.velocity, sam.max_velocity.source) == (D("9.5"), "coach")


def test_a_bad_file_imports_nothing_and_names_every_problem_by_line(world, gps_squad):
    outcome = imports.gps_import(team=world.team, file=sample("catapult_bad.csv"), mapping="catapult", by=world.coach)
    lines = {problem.line: problem.message for problem in outcome.problems}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "No athlete “Nobody Here”" in lines[3]
    assert "31/02/2026" in lines[4]
    assert "75 minutes" in lines[5]
    assert "with a point" in lines[6]
    assert "more than the total distance" in lines[7]
    assert "speed unit" in lines[8]
    assert "Repeats line 2" in lines[9]
    assert "Date is missing" in lines[10]
    assert not GpsRow.objects.exists() and not GpsImport.objects.exists() and not MaxVelocity.objects.exists()


def test_the_same_file_twice_adds_nothing_and_other_numbers_are_refused(world, gps_squad):
    first = imports.gps_import(team=world.team, file=sample("catapult.csv"), mapping="catapult", by=world.coach)
    again = imports.gps_import(team=world.team, file=sample("catapult.csv"), mapping="catapult", by=world.coach)
    assert (first.imported, again.imported, again.already) == (4, 0, 4)
    assert GpsImport.objects.count() == 1  # nothing new, nothing recorded
    changed = sample("catapult.csv").replace(b"6120.4", b"6121.0")
    refused = imports.gps_import(team=world.team, file=changed, mapping="catapult", by=world.coach)
    assert [p.line for p in refused.problems] == [2] and "other numbers" in refused.problems[0].message
    assert GpsRow.objects.count() == 4


def test_a_team_maps_its_own_columns_once_and_the_mapping_is_reused(world, gps_squad):
    zoe, _ = gps_squad
    columns = {"fields": {"athlete": "athlete", "date": "day", "minutes": "mins", "total_distance": "dist_m",
                          "hsr": "hsr_m", "max_velocity": "top_speed_kmh"}, "velocity_unit": "km/h"}
    mapping = imports.gps_mapping_save(team=world.team, name="Our export", columns=columns, by=world.coach)
    assert GpsMapping.objects.get(team=world.team, name="Our export").columns["velocity_unit"] == "km/h"
    outcome = imports.gps_import(team=world.team, file=sample("own_columns.csv"), mapping=mapping, by=world.coach)
    assert outcome.ok and outcome.imported == 2
    assert GpsImport.objects.get().mapping == mapping
    assert GpsRow.objects.get(athlete=zoe).max_velocity == D("9.19")  # 33.1 km/h


@pytest.mark.parametrize(("columns", "message"), [
    ({"fields": {"athlete": "Name", "date": "Date"}}, "Choose the export's column for"),
    ({"fields": {"athlete": "A", "date": "A", "minutes": "M", "total_distance": "T", "hsr": "H"}}, "chosen for two fields"),
    ({"fields": {"athlete": "A", "date": "D", "minutes": "M", "total_distance": "T", "hsr": "H"}, "velocity_unit": "mph"}, "m/s or km/h"),
    ({"fields": {"athlete": "A", "date": "D", "minutes": "M", "total_distance": "T", "hsr": "H", "heart": "X"}}, "not one of our fields"),
])
def test_a_mapping_that_cannot_work_is_refused_and_nothing_saved(world, columns, message):
    with pytest.raises(MonitoringError, match=message):
        imports.gps_mapping_save(team=world.team, name="Broken", columns=columns, by=world.coach)
    assert not GpsMapping.objects.exists()


def test_the_wrong_preset_says_which_export_the_file_looks_like(world, gps_squad):
    outcome = imports.gps_import(team=world.team, file=sample("statsports.csv"), mapping="catapult", by=world.coach)
    assert [p.line for p in outcome.problems] == [1]
    assert "STATSports Apex export" in outcome.problems[0].message


def test_an_athlete_of_another_team_is_refused_by_name(world, gps_squad):
    other = TeamFactory(name="Reserves", coaches=[world.coach])
    AthleteFactory(team=other, first_name="Kim", last_name="Lee", email="kim@example.com")
    text = "Player Name,Date,Total Duration,Total Distance,High Speed Distance\nKim Lee,23/11/2026,60,5000,300\n"
    outcome = imports.gps_import(team=world.team, file=text, mapping={
        "fields": {"athlete": "Player Name", "date": "Date", "minutes": "Total Duration", "total_distance": "Total Distance",
                   "hsr": "High Speed Distance"}}, by=world.coach)
    assert "in Reserves, not Alpha" in outcome.problems[0].message


def test_another_teams_coach_cannot_import(world, gps_squad):
    outcome = imports.gps_import(team=world.team, file=sample("catapult.csv"), mapping="catapult", by=world.other_coach)
    assert outcome.problems and not GpsRow.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"), (b"\x00\x01", "spreadsheet"), (b"\xff\xfe\xfa", "UTF-8"),
    (b"Player Name,Date,Activity Name,Total Duration,Total Distance,High Speed Distance\n", "no rows"),
])
def test_unreadable_files_are_refused_on_line_one(world, gps_squad, data, message):
    outcome = imports.gps_import(team=world.team, file=data, mapping="catapult", by=world.coach)
    assert outcome.problems[0].line == 1 and message in outcome.problems[0].message
