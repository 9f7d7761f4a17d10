"""Each session's totals (programmes/services/totals.py) follow the services that write its rows:
a set logged (and a retried tap), a rebuild that stops a logged exercise, a new assignment; and
the migration that filled them in works them out the same way."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from injuries.models import Phase
from programmes import services
from programmes.models import ScheduledSession, SetLog
from tests.factories import InjuryFactory, library_template, session_totals_by_hand

pytestmark = pytest.mark.calendar  # the first session is today's: it may be logged


def _totals(session) -> tuple[int, int, int]:
    session.refresh_from_db()
    return session.sets_counted, session.sets_logged, session.nordic_reps


def _assign(world):
    """The library's Nordic programme from today, today's weekday among its three; its first session."""
    today = timezone.localdate()
    services.programme_assign(template=library_template(), athletes=[world.athlete, world.other_athlete], start_date=today,
                              weekdays=[(today.weekday() + n) % 7 for n in (0, 2, 4)], assigned_by=world.coach)
    first = ScheduledSession.objects.filter(athlete=world.athlete).order_by("date").first()
    assert first.date == today
    return first


def test_a_new_assignment_counts_every_session_its_sets_and_nothing_logged(world):
    _assign(world)
    sessions = list(ScheduledSession.objects.filter(athlete__in=[world.athlete, world.other_athlete]))
    assert sessions and all(_totals(session) == session_totals_by_hand(session) for session in sessions)
    assert all(session.sets_counted > 0 and session.sets_logged == session.nordic_reps == 0 for session in sessions)


def test_a_set_logged_counts_once_and_a_retried_tap_changes_the_reps_not_the_count(world):
    session = _assign(world)
    nordic = session.exercises.get(family="nordic")
    services.set_log(prescribed=nordic, set_number=1, reps=4)
    assert _totals(session)[1:] == (1, 4)
    services.set_log(prescribed=nordic, set_number=1, reps=5)  # the same set again
    services.set_log(prescribed=nordic, set_number=2)  # as prescribed
    assert _totals(session) == session_totals_by_hand(session)
    assert _totals(session)[1:] == (2, 5 + SetLog.objects.get(prescribed=nordic, set_number=2).reps)


def test_an_injury_that_stops_a_logged_exercise_takes_it_out_of_the_counted_sets_not_the_reps(world):
    session = _assign(world)
    nordic = session.exercises.get(family="nordic")
    services.set_log(prescribed=nordic, set_number=1, reps=5)
    before = _totals(session)
    InjuryFactory(complaint__athlete=world.athlete, phase=Phase.PROTECT)  # regates: the Nordic is stopped
    nordic.refresh_from_db()
    assert nordic.withheld_reason  # kept, because a set was logged, but stopped
    after = _totals(session)
    assert after == session_totals_by_hand(session)
    # Its sets no longer count (the holds put in its place do), nor its logged set; its reps stay.
    assert after[1] == before[1] - 1 == 0 and after[2] == before[2] == 5


def test_the_migration_works_the_totals_out_as_the_services_keep_them(world):
    session = _assign(world)
    for row in session.exercises.all():
        services.set_log(prescribed=row, set_number=1)
    kept = {s.pk: _totals(s) for s in ScheduledSession.objects.all()}
    ScheduledSession.objects.update(sets_counted=0, sets_logged=0, nordic_reps=0)
    importlib.import_module("programmes.migrations.0007_session_totals").fill_totals(apps, None)
    assert {s.pk: _totals(s) for s in ScheduledSession.objects.all()} == kept
