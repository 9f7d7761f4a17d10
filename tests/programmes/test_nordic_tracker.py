"""The team's Nordic dose tracker: this week is shown as "this week so far" and never marked, and
nobody is marked below the maintenance dose before a whole week on the programme. Each case runs
on every day of the week, the clock pinned."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from programmes import services
from programmes.models import PrescribedExercise, SetLog
from programmes.services import session_totals_refresh
from tests.factories import AthleteFactory, library_template

MONDAY = date(2026, 11, 30)
EVERY_DAY = range(7)  # Monday to Sunday


def _at(day: date):
    return time_machine.travel(datetime.combine(day, time(10, 0), tzinfo=UTC), tick=False)


def _assign(athletes, coach, start):
    with _at(start - timedelta(days=1)):
        services.programme_assign(template=library_template(), athletes=athletes, start_date=start,
                                  weekdays=[0, 2, 4], assigned_by=coach)


def _log_nordic(athlete, day: date, reps_per_set: int) -> int:
    """Every set of the Nordic exercise of the athlete's session on ``day``; the reps logged."""
    prescribed = PrescribedExercise.objects.get(session__athlete=athlete, session__date=day, family="nordic")
    SetLog.objects.bulk_create(SetLog(prescribed=prescribed, set_number=n, reps=reps_per_set) for n in range(1, prescribed.sets + 1))
    session_totals_refresh([prescribed.session_id])  # as the services do after a write
    return prescribed.sets * reps_per_set


def _tracker(client, world, day: date):
    with _at(day):
        client.force_login(world.coach)
        response = client.get(reverse("team_programme", args=[world.team.pk]))
    assert response.status_code == 200
    return response, {row["athlete"].pk: row for row in response.context["rows"]}


@pytest.mark.parametrize("weekday", EVERY_DAY)
def test_in_the_first_week_nobody_is_marked_and_this_week_shows_the_reps_so_far(client, world, weekday):
    _assign([world.athlete, world.other_athlete], world.coach, MONDAY)
    logged = _log_nordic(world.athlete, MONDAY, 5)  # week 1: one session, 2 × 5
    response, rows = _tracker(client, world, MONDAY + timedelta(days=weekday))
    assert rows[world.athlete.pk]["this_week"] == logged and rows[world.other_athlete.pk]["this_week"] == 0
    assert not any(row["below"] for row in rows.values())
    assert all(row["first_week"] for row in rows.values())
    body = response.content.decode()
    assert "This week so far" in body and "below maintenance" not in body
    assert "first week on the programme" in body


@pytest.mark.parametrize("weekday", EVERY_DAY)
def test_after_a_whole_week_last_week_decides_and_this_week_never_marks(client, world, weekday):
    _assign([world.athlete, world.other_athlete], world.coach, MONDAY)
    _log_nordic(world.athlete, MONDAY, 15)  # 2 × 15 = 30: the maintenance dose
    this_week = MONDAY + timedelta(days=7)
    if weekday >= 2:  # Wednesday's session done, nothing else yet: "so far", never marked
        _log_nordic(world.other_athlete, this_week + timedelta(days=2), 1)
    response, rows = _tracker(client, world, this_week + timedelta(days=weekday))
    assert rows[world.athlete.pk]["weekly"][-1] == 30 and not rows[world.athlete.pk]["below"]
    assert rows[world.other_athlete.pk]["weekly"][-1] == 0 and rows[world.other_athlete.pk]["below"]
    assert rows[world.other_athlete.pk]["this_week"] == (2 if weekday >= 2 else 0)
    assert "below maintenance last week" in response.content.decode()


@pytest.mark.parametrize("weekday", EVERY_DAY)
def test_a_programme_started_mid_week_is_not_judged_on_that_week(client, world, weekday):
    wednesday = MONDAY + timedelta(days=2)
    _assign([world.athlete], world.coach, wednesday)
    _, rows = _tracker(client, world, MONDAY + timedelta(days=7 + weekday))  # the week after
    assert not rows[world.athlete.pk]["below"] and rows[world.athlete.pk]["first_week"]
    _, rows = _tracker(client, world, MONDAY + timedelta(days=14 + weekday))  # a whole week done, no Nordic
    assert rows[world.athlete.pk]["below"] and not rows[world.athlete.pk]["first_week"]


def test_an_athlete_on_no_programme_is_neither_marked_nor_new(client, world):
    _assign([world.athlete], world.coach, MONDAY)
    _, rows = _tracker(client, world, MONDAY + timedelta(days=15))
    assert not rows[world.other_athlete.pk]["below"] and not rows[world.other_athlete.pk]["first_week"]


@pytest.mark.parametrize("squad", [4, 30])
def test_the_tracker_costs_the_same_queries_for_any_squad(client, world, squad, django_assert_num_queries):
    athletes = [world.athlete, world.other_athlete] + AthleteFactory.create_batch(squad - 2, team=world.team)
    _assign(athletes, world.coach, MONDAY)
    with _at(MONDAY + timedelta(days=9)):
        client.force_login(world.coach)
        # session, user, team, access log, athletes (sets due, on the programme since), their set
        # logs (sets done, weekly reps) (the unread count comes with the user)
        # The athletes with their sums from each session's totals, in one query (programmes/services/totals.py).
        with django_assert_num_queries(5):
            response = client.get(reverse("team_programme", args=[world.team.pk]))
    assert len(response.context["rows"]) == squad
