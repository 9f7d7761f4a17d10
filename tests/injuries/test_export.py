"""A team's injury export: the last 12 months unless asked, either date optional, no error page,
each value in words with its code beside it for programs, every export logged."""

import csv
import io
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from athletes.models import AccessLog
from injuries.export import CODE_COLUMNS, COLUMNS
from injuries.forms import year_before
from injuries.models import Complaint, Injury
from tests.factories import AthleteFactory, InjuryFactory

TODAY = "2026-12-03 10:00Z"
CODES = {str(value) for field in ("side", "classification", "referral", "doctor_status", "phase")
         for value, _label in Injury._meta.get_field(field).flatchoices} | {"True", "False", "yes", "no"}


@pytest.fixture
def pinned():
    with time_machine.travel(TODAY, tick=False):
        yield


def _injury_on(day: str, athlete, **answers):
    with time_machine.travel(f"{day} 12:00Z", tick=False):
        return InjuryFactory(complaint__athlete=athlete, complaint__answers={"hours_since_onset": 1, **answers})


def _export(client, team, **params):
    return client.get(reverse("team_export", args=[team.pk]), params)


def _rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv"), response.status_code
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_an_empty_submit_exports_the_last_12_months(coach_client, world):
    _injury_on("2025-12-02", world.athlete)  # a day too early
    first = _injury_on("2025-12-03", world.athlete)
    last = _injury_on("2026-12-03", world.other_athlete)
    with time_machine.travel(TODAY, tick=False):
        response = _export(coach_client, world.team, start="", end="")
    assert [row["Began on"] for row in _rows(response)] == [str(first.onset_date), str(last.onset_date)]
    assert 'filename="injuries-team-%d-2025-12-03-2026-12-03.csv"' % world.team.pk in response["Content-Disposition"]
    assert list(AccessLog.objects.values_list("action", "team_id", "record")) == [
        ("export_injuries", world.team.pk, f"team:{world.team.pk}:2025-12-03..2026-12-03")
    ]


@pytest.mark.parametrize(
    "params, shown",
    [
        ({"start": "2026-06-01"}, ("2026-06-01", "2026-12-03")),  # until today
        ({"start": "2026-06-01", "end": ""}, ("2026-06-01", "2026-12-03")),
        ({"end": "2026-03-31"}, ("2025-03-31", "2026-03-31")),  # the 12 months up to the end
        ({"start": "", "end": "2024-02-29"}, ("2023-02-28", "2024-02-29")),
        ({"start": "2026-01-01", "end": "2026-03-31"}, ("2026-01-01", "2026-03-31")),
    ],
)
def test_either_date_may_be_left_empty(coach_client, world, pinned, params, shown):
    _rows(_export(coach_client, world.team, **params))
    assert AccessLog.objects.get().record == f"team:{world.team.pk}:{shown[0]}..{shown[1]}"


def test_opening_the_export_shows_the_form_filled_with_the_last_12_months(coach_client, world, pinned):
    response = _export(coach_client, world.team)
    body = response.content.decode()
    assert response.status_code == 200 and "<form" in body
    assert 'value="2025-12-03"' in body and 'value="2026-12-03"' in body
    assert "last 12 months" in body
    assert not AccessLog.objects.exists()  # nothing shown yet


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "2026-13-45", "end": ""}, "Enter a valid date."),
        ({"start": "2026-05-01", "end": "2026-01-01"}, "must not be before the start date"),
        ({"start": "2027-01-01"}, "must not be before the start date"),  # after today, the default end
        ({"start": "2015-01-01", "end": "2026-01-01"}, "at most five years"),
        ({"end": "0001-01-05"}, None),  # the earliest date there is: no overflow
    ],
)
def test_a_bad_range_shows_the_form_with_the_problem_never_an_error_page(coach_client, world, pinned, params, message):
    response = _export(coach_client, world.team, **params)
    assert response.status_code == 200
    if message is None:
        assert response["Content-Type"].startswith("text/csv")
        return
    assert message in response.content.decode() and "<form" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_the_board_offers_the_export_filled_in(coach_client, world, pinned):
    body = coach_client.get(reverse("availability_board")).content.decode()
    assert reverse("team_export", args=[world.team.pk]) in body
    assert 'value="2025-12-03"' in body and 'value="2026-12-03"' in body


def test_each_column_is_in_words_and_the_codes_come_after_it_for_programs(coach_client, world, pinned):
    _injury_on("2026-11-01", world.athlete, side="both")
    _injury_on("2026-11-20", world.other_athlete, side="left", pain_score=6)
    response = _export(coach_client, world.team, start="", end="")
    header = next(csv.reader(io.StringIO(response.content.decode())))
    assert header == [name for name, _value in COLUMNS] + [name for name, _value in CODE_COLUMNS]
    rows = _rows(response)
    both, left = rows
    assert (both["Side"], both["side_code"]) == ("Both legs", "both")
    assert (left["Side"], left["side_code"]) == ("Left leg", "left")
    assert both["Classification"] == "Grade 1 strain (mild)" and both["classification_code"] == "grade_1"
    assert both["Referral"] == "See a doctor if it is not improving" and both["referral_code"] == "if_not_improving"
    assert left["Classification"] == "Grade 2 strain (moderate, partial tear)"
    assert left["Classification at triage"] == "Grade 2 strain (moderate, partial tear)"
    assert left["triage_classification_code"] == "grade_2"
    assert both["Doctor"] == "No doctor needed so far" and both["doctor_status_code"] == "not_needed"
    assert both["Phase"] == "Protect" and both["phase_code"] == "protect"
    assert both["Recurrence"] == "No" and both["Cleared on"] == ""
    assert both["Began on"] == "2026-11-01" and date.fromisoformat(both["Expected back from"])
    for row in rows:
        words = [row[name] for name, _value in COLUMNS]
        assert not CODES & set(words), words  # no code where a person reads


def test_the_export_reads_the_same_queries_for_any_number_of_injuries(coach_client, world, pinned):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            _rows(_export(coach_client, world.team, start="", end=""))
        return len(captured)

    _injury_on("2026-11-01", world.athlete)
    one = queries()
    for _ in range(4):
        _injury_on("2026-11-02", AthleteFactory(team=world.team))
    assert queries() == one
    assert Complaint.objects.count() == 5


@pytest.mark.parametrize(
    "day, before",
    [(date(2026, 12, 3), date(2025, 12, 3)), (date(2024, 2, 29), date(2023, 2, 28)), (date(1, 6, 1), date.min)],
)
def test_a_year_before(day, before):
    assert year_before(day) == before
