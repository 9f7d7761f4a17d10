"""The risk checklist as a column of testing's team screening page, through testing's hook
(testing/hooks.py, registered in monitoring/apps.py; docs/load-and-risk.md#risk-profile)."""

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from monitoring import screening_column
from monitoring.models import PriorInjury
from testing import hooks
from tests.factories import AthleteFactory, TeamFactory, TestResultFactory

pytestmark = pytest.mark.calendar


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def _cell(response, athlete) -> str:
    body = response.content.decode()
    row = body[body.index(f'<tr data-athlete="{athlete.pk}"'):]
    row = row[:row.index("</tr>")]
    cell = row[row.index('class="screening-extra"'):]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell[cell.index(">") + 1:])).strip())


def test_monitoring_registers_the_risk_column_once():
    assert hooks.screening_columns.count(screening_column.risk_column) == 1
    assert hooks.athlete_annotations.count(screening_column.annotate) == 1
    hooks.register(screening_column.risk_column, annotate=screening_column.annotate)  # ready() run again
    assert hooks.screening_columns.count(screening_column.risk_column) == 1
    assert hooks.athlete_annotations.count(screening_column.annotate) == 1


def test_the_screening_page_shows_each_athletes_flagged_items(coach_client, world):
    world.athlete.date_of_birth = date(1990, 1, 1)
    world.athlete.save(update_fields=["date_of_birth"])
    PriorInjury.objects.create(athlete=world.athlete, approx_date=date(2023, 1, 1), side="left")
    TestResultFactory(athlete=world.athlete, left=240, right=300)  # under 256 N, 20% asymmetry
    TestResultFactory(athlete=world.other_athlete, left=300, right=300)
    world.other_athlete.date_of_birth = timezone.localdate() - timedelta(days=365 * 20)
    world.other_athlete.save(update_fields=["date_of_birth"])
    response = coach_client.get(reverse("team_screening", args=[world.team.pk]))
    assert response.status_code == 200
    assert [column.heading for column in response.context["extra_columns"]] == ["Risk checklist"]
    body = response.content.decode()
    assert '<th scope="col">Risk checklist</th>' in body and 'data-label="Risk checklist"' in body
    mine = _cell(response, world.athlete)
    assert mine == "⚠ Previous hamstring injury, Age, Eccentric strength, Asymmetry (2 not recorded)"
    assert _cell(response, world.other_athlete) == "Nothing flagged (2 not recorded)"
    assert "A checklist, not a score and not a probability." in _text(response)


def test_an_athlete_never_measured_reads_not_recorded(coach_client, world):
    response = coach_client.get(reverse("team_screening", args=[world.team.pk]))
    assert _cell(response, world.athlete) == "Nothing flagged (5 not recorded)"


def test_the_flagged_only_view_keeps_the_column_for_the_rows_shown(coach_client, world):
    TestResultFactory(athlete=world.athlete, left=240, right=300)
    response = coach_client.get(reverse("team_screening", args=[world.team.pk]), {"show": "flagged"})
    assert [row["athlete"] for row in response.context["rows"]] == [world.athlete]
    assert "Eccentric strength" in _cell(response, world.athlete)


def test_the_api_screening_has_no_risk_column(world):
    """The column is the web page's: the API's screening reads testing's own table."""
    from api import selectors as api_selectors

    TestResultFactory(athlete=world.athlete, left=240, right=300)
    data = api_selectors.screening(world.team)
    assert "extra_columns" not in data and "Risk checklist" not in repr(data) and "extra_cells" not in repr(data)


def _squad(world, size):
    team = TeamFactory(coaches=[world.coach])
    for athlete in AthleteFactory.create_batch(size, team=team, date_of_birth=date(1995, 1, 1)):
        TestResultFactory(athlete=athlete, left=250, right=300)
        PriorInjury.objects.create(athlete=athlete, approx_date=date(2022, 1, 1), side="right")
    return team


def test_the_screening_page_query_count_stays_flat_with_the_column(client, world):
    small, large = _squad(world, 3), _squad(world, 40)
    client.force_login(world.coach)
    counts = []
    for team in (small, large):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("team_screening", args=[team.pk]))
        assert all(cell.flagged for cell in response.context["extra_columns"][0].cells.values())
        counts.append(len(queries))
    # The session, the user, the team, the access log; the test types, the latest results and the
    # athletes, who bring the checklist's columns (testing/hooks.py ``annotate``); the checklist's
    # strains, weekly Nordic reps and Nordic results. The athletes are not read a second time.
    assert counts == [10, 10], counts


def test_the_column_reads_the_team_itself_when_the_athletes_come_without_its_columns(world):
    """Another caller of the hook, with plain athletes: the same cells, from its own read."""
    world.athlete.date_of_birth = date(1990, 1, 1)
    world.athlete.save(update_fields=["date_of_birth"])
    PriorInjury.objects.create(athlete=world.athlete, approx_date=date(2023, 1, 1), side="left")
    TestResultFactory(athlete=world.athlete, left=240, right=300)
    today = timezone.localdate()
    plain = list(world.team.athletes.active())
    annotated = list(screening_column.annotate(world.team.athletes.active(), today=today))
    with CaptureQueriesContext(connection) as from_plain:
        by_itself = screening_column.risk_column(user=world.coach, team=world.team, athletes=plain, today=today)
    with CaptureQueriesContext(connection) as from_annotated:
        given = screening_column.risk_column(user=world.coach, team=world.team, athletes=annotated, today=today)
    assert by_itself == given and given.cells[world.athlete.pk].flagged
    assert len(from_annotated) == len(from_plain) - 1  # the athletes' own read
    assert screening_column.risk_column(user=world.coach, team=world.team, athletes=[], today=today).cells == {}
