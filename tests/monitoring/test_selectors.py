"""What the monitoring pages will read: a team's weekly load, an athlete's exposure, the team's
recurrence watch and risk profiles; scoped by the one access rule, in a fixed number of queries
at 20 and 200 athletes (monitoring/selectors.py)."""

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.utils import timezone

from injuries.models import Complaint, Injury, Phase
from monitoring import measures as m
from monitoring import selectors
from monitoring.models import GpsRow, MaxVelocity, PriorInjury, SessionRpe, Wellness
from testing.models import TestResult, TestType
from tests.factories import AthleteFactory, ComplaintFactory, InjuryFactory

pytestmark = pytest.mark.calendar


def today() -> date:
    return timezone.localdate()


def squad(world, size: int) -> list:
    """``size`` athletes in the coach's team, each with a season's worth of every kind of row:
    sessions, GPS, wellness, a maximal velocity, Nordic tests, an earlier injury, and a strain
    cleared 20 days ago (so that every one of them is in the recurrence watch)."""
    athletes = [world.athlete, world.other_athlete]
    athletes += AthleteFactory.create_batch(size - 2, team=world.team)
    nordic = TestType.objects.get(key="nordic")
    day = today()
    sessions, runs, mornings, velocities, tests, prior = [], [], [], [], [], []
    for n, athlete in enumerate(athletes):
        for back in range(0, 70, 3):
            on = day - timedelta(days=back)
            sessions.append(SessionRpe(athlete=athlete, date=on, rpe=5 + n % 4, minutes=60, logged_by="coach"))
            runs.append(GpsRow(athlete=athlete, date=on, minutes=60, total_distance_m=5000, hsr_m=300 + (n % 5) * 50,
                               max_velocity=D("8.0") if back else D("9.3")))
        for back in range(3):
            mornings.append(Wellness(athlete=athlete, date=day - timedelta(days=back), sleep=4, soreness=2,
                                     tightness_left=3 - back, tightness_right=1, mood=4))
        velocities.append(MaxVelocity(athlete=athlete, velocity=D("9.5"), measured_on=day - timedelta(days=40), source="gps"))
        tests.append(TestResult(athlete=athlete, test_type=nordic, tested_on=day - timedelta(days=30), left=300, right=240))
        prior.append(PriorInjury(athlete=athlete, approx_date=date(2024, 1, 1), side="left"))
    SessionRpe.objects.bulk_create(sessions)
    GpsRow.objects.bulk_create(runs)
    Wellness.objects.bulk_create(mornings)
    MaxVelocity.objects.bulk_create(velocities)
    TestResult.objects.bulk_create(tests)
    PriorInjury.objects.bulk_create(prior)
    strains(athletes[:size], coach=world.coach)
    Injury.objects.filter(athlete__team=world.team).update(
        phase=Phase.CLEARED, cleared_on=day - timedelta(days=20), classification="grade_1"
    )
    return athletes


def strains(athletes, *, coach) -> None:
    """A grade 1 strain for each athlete: the first opened by the service, the others its copies
    written in bulk (the same columns, their own athlete and complaint). Opening 200 one by one,
    each regating its athlete's programme, took ten seconds a test."""
    first = InjuryFactory(complaint=ComplaintFactory(athlete=athletes[0], reported_by=coach))
    complaints = Complaint.objects.bulk_create([copied(first.complaint, athlete_id=athlete.pk) for athlete in athletes[1:]])
    Injury.objects.bulk_create([copied(first, athlete_id=athlete.pk, complaint_id=complaint.pk)
                                for athlete, complaint in zip(athletes[1:], complaints)])


def copied(row, **columns):
    """A new, unsaved row with ``row``'s columns but for its key and ``columns`` (by attname)."""
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields if not field.primary_key}
    return type(row)(**{**values, **columns})


@pytest.fixture(params=[20, 200], ids=["20 athletes", "200 athletes"])
def team_of(request, world):
    return squad(world, request.param)


# The number of queries each selector takes, whatever the team's size.
QUERIES = {
    "team_weekly_load": 2,
    # Every read: the athletes come with their maximal velocity, last near-maximal run and earlier
    # injuries as columns; the sessions of the weeks come with their Nordic reps (who is on a
    # programme read from them), the Nordic results with testing's asymmetry limit.
    "athlete_exposure": 6,
    # the athletes back from a strain, each with their last return, then their rows
    "team_recurrence_watch": 5,
    # no GPS runs (only the last near-maximal one); the cleared strains counted with their phases
    "athlete_risk_profile": 4,
    "team_risk_profiles": 4,
    "athlete_overview": 7,  # all three of one athlete in one load (the athlete load page)
}


def call(name, world):
    if name.startswith("athlete_"):
        return getattr(selectors, name)(user=world.coach, athlete_id=world.athlete.pk, today=today())
    return getattr(selectors, name)(user=world.coach, team=world.team, today=today())


def test_each_selector_takes_a_fixed_number_of_queries(world, team_of, django_assert_num_queries):
    for name, queries in QUERIES.items():
        with django_assert_num_queries(queries):
            result = call(name, world)
        assert result, name


def test_the_team_weekly_load_has_every_athlete_and_the_team_per_week(world):
    athletes = squad(world, 20)
    table = selectors.team_weekly_load(user=world.coach, team=world.team, today=today())
    assert len(table["rows"]) == 20 and len(table["weeks"]) == selectors.LOAD_WEEKS
    assert table["weeks"][-1] == m.week_of(today())
    expected = sum(s.rpe * s.minutes for s in SessionRpe.objects.filter(date__gte=table["weeks"][0]))
    assert sum(week.total for week in table["team"]) == expected
    assert {row["athlete"] for row in table["rows"]} == set(athletes)


def test_the_recurrence_watch_lists_who_returned_with_their_flags(world):
    squad(world, 20)
    rows = selectors.team_recurrence_watch(user=world.coach, team=world.team, today=today())
    assert len(rows) == 20
    row = next(r for r in rows if r["athlete"] == world.athlete)
    keys = {flag.key for flag in row["flags"]}
    # 300 N against 240 N is 20% asymmetry; no programme, so no Nordic reps; the left tightness rose
    # 1 -> 2 -> 3 over the last three mornings; a run at 9.3 of 9.5 m/s today.
    assert keys == {"asymmetry", "nordic_missed", "tightness"}
    assert row["watch_ends"] == row["returned_on"] + timedelta(days=60)


def test_a_return_more_than_two_months_ago_is_off_the_watch(world):
    squad(world, 20)
    Injury.objects.filter(athlete=world.athlete).update(cleared_on=today() - timedelta(days=61))
    rows = selectors.team_recurrence_watch(user=world.coach, team=world.team, today=today())
    assert world.athlete not in {row["athlete"] for row in rows}


def test_the_exposure_summary_judges_hsr_weeks_and_days_since_a_near_maximal_run(world):
    squad(world, 20)
    summary = selectors.athlete_exposure(user=world.coach, athlete_id=world.athlete.pk, today=today())
    assert len(summary["hsr"]) == 6 and summary["exposure"].days_since == 0
    assert summary["max_velocity"].velocity == D("9.5") and summary["watched"]


def test_the_risk_profile_counts_injuries_from_before_and_cleared_strains(world):
    squad(world, 20)
    profile = selectors.athlete_risk_profile(user=world.coach, athlete_id=world.athlete.pk, today=today())
    items = {item.key: item for item in profile["items"]}
    assert items["previous_injury"].status == m.Status.FLAG and items["previous_injury"].detail.startswith("2 ")
    assert items["eccentric_strength"].status == m.Status.FLAG  # 240 N on the right
    assert items["asymmetry"].status == m.Status.FLAG


def test_days_since_a_near_maximal_run_reach_back_past_the_weeks_loaded(world):
    day = today()
    MaxVelocity.objects.create(athlete=world.athlete, velocity=D("9.5"), measured_on=day, source="coach")
    GpsRow.objects.create(athlete=world.athlete, date=day - timedelta(days=100), minutes=60, total_distance_m=5000,
                          hsr_m=400, max_velocity=D("9.0"))
    GpsRow.objects.create(athlete=world.athlete, date=day - timedelta(days=3), minutes=60, total_distance_m=5000,
                          hsr_m=400, max_velocity=D("8.0"))
    profile = selectors.athlete_risk_profile(user=world.coach, athlete_id=world.athlete.pk, today=day)
    item = {item.key: item for item in profile["items"]}["sprint_exposure"]
    assert item.status == m.Status.CLEAR and "100 days ago" in item.detail  # not watched: not flagged


@pytest.mark.parametrize("who", ["other_coach", "other_athlete"])
def test_nobody_reads_an_athlete_they_cannot_see(world, who):
    for name in ("athlete_exposure", "athlete_risk_profile"):
        assert getattr(selectors, name)(user=world.persona(who), athlete_id=world.athlete.pk, today=today()) is None


def test_another_teams_coach_reads_an_empty_team(world):
    squad(world, 20)
    assert selectors.team_weekly_load(user=world.other_coach, team=world.team, today=today())["rows"] == []
    assert selectors.team_recurrence_watch(user=world.other_coach, team=world.team, today=today()) == []


def test_the_overview_of_one_athlete_says_what_each_selector_says_alone(world):
    squad(world, 20)
    args = {"user": world.coach, "athlete_id": world.athlete.pk, "today": today()}
    overview = selectors.athlete_overview(**args)
    assert overview["exposure"] == selectors.athlete_exposure(**args)
    assert overview["risk"] == selectors.athlete_risk_profile(**args)
    assert overview["watch"] == selectors.watch_rows([world.athlete], today())[0]
    assert overview["watch"]["flags"], "the squad is in the recurrence watch with flags"
    assert selectors.athlete_overview(**args, exposure=False)["exposure"] is None
    assert selectors.athlete_overview(user=world.other_coach, athlete_id=world.athlete.pk, today=today()) is None


# --- Two ways to the same facts ------------------------------------------------------------------
# The team pages read the maximal velocity, the last near-maximal run and the earlier injuries as
# columns of the athletes' query; athletes handed in by a caller (the daily reminder run) get them
# from their own queries. Both must judge alike.


def test_the_team_load_totals_are_the_team_weekly_loads_of_every_session(world):
    squad(world, 20)
    table = selectors.team_weekly_load(user=world.coach, team=world.team, today=today())
    per_athlete = {}
    for athlete_id, day, rpe, minutes in SessionRpe.objects.filter(date__gte=table["weeks"][0]).values_list(
        "athlete_id", "date", "rpe", "minutes"
    ):
        per_athlete.setdefault(athlete_id, []).append(m.Session(day, rpe, minutes))
    assert table["team"] == m.team_weekly_loads(per_athlete, table["weeks"])


def test_the_risk_checklists_are_the_same_from_the_columns_or_from_their_own_queries(world):
    athletes = squad(world, 20)
    PriorInjury.objects.filter(athlete=world.other_athlete).delete()
    MaxVelocity.objects.filter(athlete=world.other_athlete).delete()
    rows = selectors.team_risk_profiles(user=world.coach, team=world.team, today=today())
    plain = sorted(athletes, key=lambda a: (a.last_name, a.first_name, a.id))
    facts = selectors._Facts.of(plain, today()).load(gps_weeks=0, nordic_weeks=1)
    assert not facts.columns
    assert [(row["athlete"].pk, row["items"]) for row in rows] == [
        (row["athlete"].pk, row["items"]) for row in selectors._risk_of(plain, facts)
    ]
    items = {row["athlete"].pk: {item.key: item for item in row["items"]} for row in rows}
    assert items[world.athlete.pk]["previous_injury"].detail == "2 previous hamstring strains recorded."
    assert items[world.other_athlete.pk]["previous_injury"].detail == "1 previous hamstring strain recorded."
    assert items[world.other_athlete.pk]["sprint_exposure"].status == m.Status.UNKNOWN


def test_the_watch_is_the_same_for_the_team_page_and_for_athletes_handed_in(world):
    athletes = squad(world, 20)
    team = selectors.team_recurrence_watch(user=world.coach, team=world.team, today=today())
    handed_in = selectors.watch_rows(sorted(athletes, key=lambda a: (a.last_name, a.first_name, a.id)), today())
    assert [(r["athlete"].pk, r["returned_on"], r["flags"]) for r in team] == [
        (r["athlete"].pk, r["returned_on"], r["flags"]) for r in handed_in
    ]
