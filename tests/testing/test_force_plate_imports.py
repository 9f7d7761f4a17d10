"""Force-plate imports: VALD NordBord and ForceFrame exports, US dates and 12-hour times, several
attempts a day (the strongest kept), names matched or chosen on the review page, all or nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from injuries.models import ChecklistItem
from testing import forms, imports
from testing.models import TestResult
from tests.factories import InjuryFactory

SAMPLES = Path(__file__).parent / "samples"
NOW = datetime(2026, 4, 2, 12, 0, tzinfo=UTC)  # the samples' tests were done on March 30 and 31, 2026


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture(autouse=True)
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def run(world, name, preset, choices=None, user=None):
    return imports.test_results_import(
        team=world.team, file=sample(name), preset=preset, recorded_by=user or world.coach, choices=choices
    )


def results():
    return {
        (r.athlete.first_name, r.test_type.key, r.tested_on): (r.left, r.right)
        for r in TestResult.objects.select_related("athlete", "test_type")
    }


# --- The service ---------------------------------------------------------------------------------


def test_a_nordbord_export_is_imported_with_the_best_attempt_of_each_day(world, plate_squad):
    outcome = run(world, "nordbord.csv", "nordbord", choices={"Jon Smyth": plate_squad["jon"].pk})
    assert outcome.ok, outcome.problems
    assert (outcome.imported, outcome.athletes, outcome.not_kept, outcome.ignored) == (4, 4, 2, 1)
    assert results() == {
        # Three attempts on March 30: the strongest (322 + 310.5) is the day's result.
        ("Zoë", "nordic", date(2026, 3, 30)): (D("322.00"), D("310.50")),
        ("Sam", "nordic", date(2026, 3, 30)): (D("275.00"), D("290.00")),  # "Taylor, Sam"
        ("Alex", "nordic", date(2026, 3, 31)): (D("350.00"), D("340.00")),  # by the external id (email)
        ("Jonathan", "nordic", date(2026, 3, 31)): (D("260.00"), D("250.00")),  # chosen for "Jon Smyth"
    }
    best = TestResult.objects.get(athlete=plate_squad["zoe"])
    assert "best of 3 attempts" in best.notes and best.recorded_by == world.coach


def test_an_unmatched_name_without_a_choice_imports_nothing(world, plate_squad):
    outcome = run(world, "nordbord.csv", "nordbord")
    assert [(p.line, p.message) for p in outcome.problems] == [
        (7, "No athlete in Alpha matches “Jon Smyth” (line 7): choose who it is, or skip the rows.")
    ]
    assert not TestResult.objects.exists()


def test_a_skipped_name_leaves_its_rows_out(world, plate_squad):
    outcome = run(world, "nordbord.csv", "nordbord", choices={"jon smyth": imports.SKIP})
    assert outcome.ok and (outcome.imported, outcome.skipped) == (3, 1)
    assert not TestResult.objects.filter(athlete=plate_squad["jon"]).exists()


def test_the_day_is_the_day_in_the_coachs_time_zone(world, plate_squad):
    world.coach.time_zone = "Australia/Sydney"
    world.coach.save()
    run(world, "nordbord.csv", "nordbord", choices={"Jon Smyth": imports.SKIP})
    # 11:50 PM UTC on March 31 is the morning of April 1 in Sydney.
    assert TestResult.objects.get(athlete=plate_squad["alex"]).tested_on == date(2026, 4, 1)


def test_a_forceframe_export_maps_hamstring_pulls_to_the_isometric_tests(world, plate_squad):
    outcome = run(world, "forceframe.csv", "forceframe")
    assert outcome.ok, outcome.problems
    assert (outcome.imported, outcome.not_kept, outcome.ignored) == (3, 1, 2)  # squeeze and push left out
    assert results() == {
        ("Zoë", "iso90", date(2026, 3, 30)): (D("270.00"), D("255.00")),  # the better of two
        ("Zoë", "iso30", date(2026, 3, 30)): (D("198.00"), D("204.00")),
        ("Sam", "iso90", date(2026, 3, 30)): (D("240.00"), D("236.00")),
    }


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(world, plate_squad):
    plate_squad["kai"].team.coaches.add(world.coach)  # the coach sees Kai, in Bravo: still refused here
    outcome = run(world, "nordbord_bad.csv", "nordbord")
    lines = {}
    for problem in outcome.problems:
        lines.setdefault(problem.line, []).append(problem.message)
    assert 2 not in lines
    assert lines[3] == ["L Max Force (N) “3O5” is not a number."]
    assert "MM/DD/YYYY" in lines[4][0]
    assert lines[5] == ["The time “14:75” is not a time written like 2:35 PM."]
    assert lines[6] == ["The date 04/15/2026 is in the future."]
    assert lines[7] == ["“Kai Brandt” is Kai Brandt, in Bravo, not Alpha: remove the row, or import it from Bravo's page."]
    assert lines[8] == ["Both L Max Force (N) and R Max Force (N) are needed."]
    assert lines[9] == ["L Max Force (N) must be a number of 0 or more."]
    assert not TestResult.objects.exists()


def test_another_teams_athlete_cannot_be_chosen_for_a_name(world, plate_squad):
    outcome = run(world, "nordbord.csv", "nordbord", choices={"Jon Smyth": plate_squad["kai"].pk})
    assert [p.message for p in outcome.problems] == ["The athlete chosen for “Jon Smyth” is not in Alpha."]
    assert not TestResult.objects.exists()


def test_importing_the_same_export_again_changes_nothing(world, plate_squad):
    choices = {"Jon Smyth": plate_squad["jon"].pk}
    run(world, "nordbord.csv", "nordbord", choices=choices)
    again = run(world, "nordbord.csv", "nordbord", choices=choices)
    assert again.ok and (again.imported, again.already) == (0, 4)
    assert TestResult.objects.count() == 4


def test_a_different_result_already_recorded_that_day_is_a_problem(world, plate_squad):
    run(world, "forceframe.csv", "forceframe")
    TestResult.objects.filter(athlete=plate_squad["sam"]).update(left=100)
    outcome = run(world, "forceframe.csv", "forceframe")
    assert [p.line for p in outcome.problems] == [7] and "Already recorded" in outcome.problems[0].message


def test_the_wrong_format_is_named(world, plate_squad):
    outcome = run(world, "nordbord.csv", "coachapp")
    assert [p.message for p in outcome.problems if "looks like" in p.message] == [
        "This file looks like a VALD NordBord export: choose that format and upload it again."
    ]


def test_a_forceframe_export_is_not_read_as_a_nordbord_one(world, plate_squad):
    outcome = run(world, "forceframe.csv", "nordbord")
    assert [p.message for p in outcome.problems] == [
        "This file looks like a VALD ForceFrame export: choose that format and upload it again."
    ]


def test_a_file_without_a_test_coachapp_records_says_so(world, plate_squad):
    text = sample("nordbord.csv").decode().replace("Nordic", "ISO Prone")
    outcome = imports.test_results_import(team=world.team, file=text, preset="nordbord", recorded_by=world.coach)
    assert [(p.line, p.message) for p in outcome.problems] == [
        (1, "No row of this file is a test coachapp records. Left out: ISO Prone (7).")
    ]


def test_the_import_ticks_the_strength_check_with_the_best_attempt(world, plate_squad):
    injury = InjuryFactory(complaint__athlete=plate_squad["zoe"], onset_date=date(2026, 3, 10), side="left")
    run(world, "nordbord.csv", "nordbord", choices={"Jon Smyth": imports.SKIP})
    # The best attempt (322 / 310.5) is within 10% on each side; the pre-injury baseline is absent.
    assert injury.checks.get(item=ChecklistItem.STRENGTH).done


@pytest.mark.parametrize("day", ["01/01/0001", "02/30/2026", "13/01/2026", "2026/03/30", ""])
def test_impossible_dates_are_line_numbered_problems(world, plate_squad, day):
    text = sample("nordbord.csv").decode().replace("03/30/2026,2:35 PM", f"{day},2:35 PM")
    outcome = imports.test_results_import(team=world.team, file=text, preset="nordbord", recorded_by=world.coach)
    assert [p.line for p in outcome.problems if "date" in p.message] == [5]


@pytest.mark.parametrize(
    "text, expected",
    [("2:35 PM", (14, 35, 0)), ("12:05 AM", (0, 5, 0)), ("12:30 pm", (12, 30, 0)), ("9:05:07 AM", (9, 5, 7)),
     ("14:35", (14, 35, 0))],
)
def test_twelve_hour_times_are_read(text, expected):
    moment = imports._clock(text)
    assert (moment.hour, moment.minute, moment.second) == expected


@pytest.mark.parametrize("text", ["13:00 PM", "0:30 AM", "2.35 PM", "noon", "24:00"])
def test_impossible_times_are_refused(text):
    with pytest.raises(imports.TestResultError):
        imports._clock(text)


def test_names_match_whatever_their_case_accents_or_order():
    assert imports.name_keys("MÜLLER, Zoë") == ["muller, zoe", "zoe muller"]
    assert imports.fold("  Zoë   Müller ") == imports.fold("zoe muller")


# --- The page ------------------------------------------------------------------------------------


def upload(name):
    return SimpleUploadedFile(name, sample(name), content_type="text/csv")


def test_the_page_reviews_each_row_then_imports_once_the_names_are_chosen(coach_client, world, plate_squad):
    url = reverse("team_tests_import", args=[world.team.pk])
    review = coach_client.post(url, {"preset": "nordbord", "file": upload("nordbord.csv")})
    body = review.content.decode()
    assert review.status_code == 200 and "Nothing is saved yet" in body and not TestResult.objects.exists()
    assert "yes, the best of 3" in body and "no: a stronger attempt that day" in body
    assert "no match: choose above" in body and "“Jon Smyth” (line 7)" in body
    assert "ISO Prone (1)" in body  # the ignored row, counted
    token = review.context["review"]["upload"].value()

    # Confirmed without choosing: asked again, nothing saved.
    again = coach_client.post(url, {"upload": token, "who_0": ""})
    assert again.status_code == 200 and "Choose who this is, or skip these rows." in again.content.decode()
    assert not TestResult.objects.exists()

    done = coach_client.post(url, {"upload": token, "who_0": str(plate_squad["jon"].pk)})
    assert done.status_code == 302 and done["Location"] == reverse("team_screening", args=[world.team.pk])
    message = coach_client.get(done["Location"]).content.decode()
    assert "Imported 4 results for 4 athletes." in message and "2 weaker attempts left out" in message
    assert TestResult.objects.filter(athlete=plate_squad["jon"]).exists()


def test_the_page_lists_bad_rows_by_line(coach_client, world, plate_squad):
    url = reverse("team_tests_import", args=[world.team.pk])
    response = coach_client.post(url, {"preset": "nordbord", "file": upload("nordbord_bad.csv")})
    body = response.content.decode()
    assert "Nothing was imported" in body and "<td>3</td><td>L Max Force (N) “3O5” is not a number.</td>" in body
    assert not TestResult.objects.exists()


def test_another_teams_athlete_posted_as_a_choice_is_refused(coach_client, world, plate_squad):
    url = reverse("team_tests_import", args=[world.team.pk])
    token = coach_client.post(url, {"preset": "nordbord", "file": upload("nordbord.csv")}).context["review"]["upload"].value()
    response = coach_client.post(url, {"upload": token, "who_0": str(plate_squad["kai"].pk)})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not TestResult.objects.exists()


@pytest.mark.parametrize("token", ["nonsense", "a:b:c"])
def test_a_tampered_review_asks_for_the_file_again(coach_client, world, token):
    response = coach_client.post(reverse("team_tests_import", args=[world.team.pk]), {"upload": token})
    assert response.status_code == 200 and "upload the file again" in response.content.decode()


def test_a_review_is_signed_for_its_team_and_coach(client, world, plate_squad):
    url = reverse("team_tests_import", args=[world.team.pk])
    client.force_login(world.coach)
    token = client.post(url, {"preset": "forceframe", "file": upload("forceframe.csv")}).context["review"]["upload"].value()
    world.team.coaches.add(world.other_coach)
    client.force_login(world.other_coach)
    response = client.post(url, {"upload": token})
    assert "This review cannot be read" in response.content.decode() and not TestResult.objects.exists()


def test_a_review_expires(coach_client, world, plate_squad, monkeypatch):
    monkeypatch.setattr(forms, "REVIEW_MAX_AGE", 60)  # an hour, shortened: the session would end first
    url = reverse("team_tests_import", args=[world.team.pk])
    token = coach_client.post(url, {"preset": "forceframe", "file": upload("forceframe.csv")}).context["review"]["upload"].value()
    with time_machine.travel(datetime(2026, 4, 2, 12, 2, tzinfo=UTC), tick=False):
        response = coach_client.post(url, {"upload": token})
    assert "This review is too old" in response.content.decode() and not TestResult.objects.exists()
