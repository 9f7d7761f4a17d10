"""`make bench`'s pages at a tiny size, in-process: every page (and the Django admin peers) passes
its own validator (so the bench never stops on a fact that no longer matches the app) and the API
rows, called with a token and no session, keep their query counts flat as the data grows
(bench/pages.py)."""

import pytest

from bench import seed
from bench.load import Window
from bench.pages import PAGES, PEERS
from bench.run import Persona, count_queries

TINY = seed.Size(
    "tiny", teams=1, athletes=10, injuries=12, open_injuries=2, sessions_per_athlete=20,
    reminders_pending=0, test_results_per_athlete=10, gps_weeks=6,
)
# More athletes than the API's page of 50, over several teams.
TINY_LARGE = seed.Size(
    "tiny_large", teams=3, athletes=60, injuries=100, open_injuries=8, sessions_per_athlete=20,
    reminders_pending=0, test_results_per_athlete=10, gps_weeks=6,
)
API_PAGES = {"api_athletes", "api_board"}


@pytest.mark.calendar
@pytest.mark.django_db
def test_every_bench_page_passes_its_validator_and_the_api_rows_queries_stay_flat():
    world = seed.World()
    personas, counts = {}, {}
    for size in (TINY, TINY_LARGE):
        seed.grow(world, size)
        for page in (*PAGES, *PEERS):
            persona = personas.get(page.as_user) or personas.setdefault(page.as_user, Persona(world.users[page.as_user]))
            # Raises on a failed check; times nothing (the bench's figures are `make bench`'s own).
            counts[(page.name, size.name)] = count_queries(page, world, persona, timed_runs=0)["queries"]

    assert API_PAGES <= {page.name for page in PAGES}
    assert all(page.token for page in PAGES if page.name in API_PAGES)
    for name in API_PAGES:
        assert counts[(name, "tiny_large")] == counts[(name, "tiny")], name


@pytest.mark.django_db
def test_an_api_page_is_called_with_the_token_alone(world):
    from api.models import ApiToken

    page = next(page for page in PAGES if page.name == "api_athletes")
    persona = Persona(world.coach)
    request = persona.http_request(page, None)

    assert request["cookie"] == ""  # no session
    token = request["headers"]["Authorization"].removeprefix("Token ")
    row = ApiToken.objects.get(user=world.coach)
    assert not row.write and token.startswith(row.token_key)  # read only, made through api.services
    assert persona.http_request(page, None)["headers"]["Authorization"] == f"Token {token}"  # made once
    assert not persona.token_client.cookies


def test_the_scale_knob_multiplies_the_large_dataset_but_not_whats_due_nor_a_teams_size():
    big = seed.scaled(seed.LARGE, 10)
    assert (big.athletes, big.athletes * big.sessions_per_athlete, big.reminders_pending) == (20_000, 2_000_000, 1_000_000)
    assert big.reminders_due == seed.LARGE.reminders_due == 1000
    assert big.athletes // big.teams == seed.LARGE.athletes // seed.LARGE.teams
    assert big.gps_weeks == seed.LARGE.gps_weeks == 16  # a season per athlete: 96,000 GPS rows at 2,000
    assert seed.scaled(seed.LARGE, 1) is seed.LARGE


def test_latency_percentiles_are_by_nearest_rank():
    window = Window(requests=100, seconds=1.0, latencies=[n / 1000 for n in range(100, 0, -1)])
    assert (window.p50_ms, window.p95_ms) == (50.5, 95.0)


@pytest.mark.calendar
@pytest.mark.django_db
def test_the_load_step_gives_every_athlete_a_season_of_gps_and_the_watch_athletes_back_from_a_strain():
    from datetime import timedelta

    from django.db.models import Count
    from django.utils import timezone

    from athletes.models import Athlete
    from monitoring.models import GpsImport, GpsRow, MaxVelocity, SessionRpe
    from monitoring.selectors import watch_rows

    world = seed.World()
    seed.grow(world, TINY)
    seed.grow(world, TINY_LARGE)  # additive: the first ten athletes keep their rows
    today = timezone.localdate()
    this_monday = today - timedelta(days=today.weekday())
    per_week = len(seed.GPS_WEEK)
    this_week = sum(1 for weekday, *_ in seed.GPS_WEEK if this_monday + timedelta(days=weekday) < today)
    rows = dict(GpsRow.objects.values_list("athlete").annotate(n=Count("id")))
    assert len(rows) == world.athletes == 60
    assert set(rows.values()) == {per_week * TINY_LARGE.gps_weeks + this_week}
    assert world.gps_rows == SessionRpe.objects.count() == sum(rows.values())
    assert sum(GpsImport.objects.values_list("rows", flat=True)) == world.gps_rows
    assert 30 <= MaxVelocity.objects.count() < 60  # three in four

    # The athletes whom the watch page lists, as its selector finds them.
    team = world.teams[0]
    athletes = list(Athlete.objects.filter(team=team).active().order_by("pk"))
    listed = sorted(row["athlete"].pk for row in watch_rows(athletes, today))
    assert listed and sorted(world.watch_by_team[team.pk]) == listed
    assert world.facts()["first_team_watch"] == len(listed)


def test_the_monitoring_pages_validators_look_for_each_athletes_load_link():
    from types import SimpleNamespace

    pages = {page.name: page for page in PAGES}
    team = SimpleNamespace(pk=1, name="Team")
    world = seed.World(teams=[team], athletes_by_team={1: 3}, watch_by_team={1: [11, 13]})
    world.users["coach"] = SimpleNamespace(email="c@example.com", pk=1)
    load, watch = pages["team_load"].validator(world), pages["team_recurrence_watch"].validator(world)
    row = '<tr><td><a href="/athletes/{}/load/">Name</a></td></tr>'.format

    assert load("".join(row(pk) for pk in (11, 12, 13, 12)).encode()) is None
    assert "2 athletes linked" in load("".join(row(pk) for pk in (11, 12)).encode())
    assert watch("".join(row(pk) for pk in (13, 11)).encode()) is None
    assert "[13]" in watch(row(11).encode())
