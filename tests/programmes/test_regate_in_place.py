"""Regating leaves a prescription it would write again exactly as it stands in place
(programmes/services/regating.py ``_unchanged_left_out``): the rows afterwards are the ones a
rebuild from nothing gives, and an event that changes nothing the athlete may do writes nothing."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from injuries import pathway
from injuries import services as injury_services
from injuries.models import ChecklistItem
from programmes import services
from programmes.models import PrescribedExercise, SetLog
from programmes.services.regating import _PRESCRIPTION_FIELDS
from tests.factories import InjuryFactory, library_template

MONDAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def a_sunday():
    with time_machine.travel(datetime(2026, 11, 29, 10, 0, tzinfo=UTC)):
        yield


def _rows(athlete) -> Counter:
    rows = PrescribedExercise.objects.filter(session__athlete=athlete).values_list(*_PRESCRIPTION_FIELDS)
    return Counter(rows)


def _as_from_nothing(athlete) -> Counter:
    """The rows a full rebuild gives: every prescription without a set logged deleted, then the
    athlete regated (inside a savepoint rolled back, so the test goes on from the real state)."""
    sid = connection.savepoint()
    try:
        PrescribedExercise.objects.filter(session__athlete=athlete, set_logs__isnull=True).delete()
        services.programme_regate(athlete=athlete)
        return _rows(athlete)
    finally:
        connection.savepoint_rollback(sid)


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split(None, 1)[0] in {"INSERT", "UPDATE", "DELETE"}
            and ("programmes_prescribedexercise" in q["sql"] or "programmes_scheduledsession" in q["sql"])]


def test_each_event_leaves_the_rows_a_rebuild_from_nothing_gives(world):
    athlete = world.athlete
    services.programme_assign(template=library_template(), athletes=[athlete], start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
    injury = InjuryFactory(complaint__athlete=athlete)
    assert _rows(athlete) == _as_from_nothing(athlete)

    def event(change):
        change()
        assert _rows(athlete) == _as_from_nothing(athlete)

    for item in (ChecklistItem.WALKS, ChecklistItem.REST_PAIN):
        event(lambda item=item: injury_services.clearance_check_set(injury=injury, item=item, done=True, changed_by=world.coach))
    event(lambda: injury_services.injury_change_phase(injury=injury, to_phase="rehab", changed_by=world.coach))
    with time_machine.travel(datetime(2026, 11, 30, 9, 0, tzinfo=UTC)):
        today = athlete.scheduled_sessions.get(date=MONDAY)
        for prescribed in today.exercises.all():
            services.set_log(prescribed=prescribed, set_number=1)
        logged = set(SetLog.objects.filter(prescribed__session=today).values_list("prescribed_id", flat=True))
        for item in pathway.NORDIC_CRITERIA:
            event(lambda item=item: injury_services.clearance_check_set(injury=injury, item=item, done=True, changed_by=world.coach))
        event(lambda: injury_services.injury_change_phase(injury=injury, to_phase="protect", changed_by=world.coach, reason="Flare-up"))
        # The sets logged keep their rows: withheld now, never deleted.
        assert logged <= set(PrescribedExercise.objects.filter(session=today).values_list("pk", flat=True))
        assert not PrescribedExercise.objects.filter(pk__in=logged, withheld_reason="", exercise__isometric=False).exists()


def test_an_event_that_changes_nothing_the_athlete_may_do_writes_no_prescription(world):
    athlete = world.athlete
    services.programme_assign(template=library_template(), athletes=[athlete], start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
    before = set(PrescribedExercise.objects.filter(session__athlete=athlete).values_list("pk", *_PRESCRIPTION_FIELDS))
    assert before
    with CaptureQueriesContext(connection) as queries:
        assert services.programme_regate(athlete=athlete) > 0
    assert _writes(queries.captured_queries) == []
    assert set(PrescribedExercise.objects.filter(session__athlete=athlete).values_list("pk", *_PRESCRIPTION_FIELDS)) == before


def _by_pk(athlete) -> dict:
    return {row[0]: row[1:] for row in PrescribedExercise.objects.filter(session__athlete=athlete).values_list("pk", *_PRESCRIPTION_FIELDS)}


def test_a_change_rewrites_only_the_rows_it_changes(world):
    """In rehab, the Nordic criteria met: the Nordic curls come in; the other exercises, written
    again the same way, keep their ids. A tick that changes nothing keeps every row as it was."""
    athlete = world.athlete
    injury = InjuryFactory(complaint__athlete=athlete)
    for item in (ChecklistItem.WALKS, ChecklistItem.REST_PAIN):
        injury_services.clearance_check_set(injury=injury, item=item, done=True, changed_by=world.coach)
    injury_services.injury_change_phase(injury=injury, to_phase="rehab", changed_by=world.coach)
    services.programme_assign(template=library_template(), athletes=[athlete], start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
    criteria = list(pathway.NORDIC_CRITERIA)
    for item in criteria[:-1]:
        injury_services.clearance_check_set(injury=injury, item=item, done=True, changed_by=world.coach)
    before = _by_pk(athlete)
    assert "nordic" not in {fields[_PRESCRIPTION_FIELDS.index("family")] for fields in before.values()}

    injury_services.clearance_check_set(injury=injury, item=criteria[-1], done=True, changed_by=world.coach)
    after = _by_pk(athlete)
    assert "nordic" in {fields[_PRESCRIPTION_FIELDS.index("family")] for fields in after.values()}
    assert Counter(after.values()) == _as_from_nothing(athlete)
    alike = Counter(before.values()) & Counter(after.values())
    assert alike, "the hinges and curls are written the same way"
    assert len(set(before) & set(after)) == sum(alike.values())

    # Unticked and ticked again: the Nordic curls go and come back, and only they are new rows.
    injury_services.clearance_check_set(injury=injury, item=criteria[-1], done=False, changed_by=world.coach)
    injury_services.clearance_check_set(injury=injury, item=criteria[-1], done=True, changed_by=world.coach)
    again = _by_pk(athlete)
    assert Counter(again.values()) == Counter(after.values())
    family = _PRESCRIPTION_FIELDS.index("family")
    assert again.keys() - after.keys() == {pk for pk, fields in again.items() if fields[family] == "nordic"}


def test_the_nightly_regating_takes_each_athlete_with_a_session_still_to_log_once_and_rewrites_nothing(world):
    """`regate_all`: the athletes with a session they can still log (not finished, from a week ago
    on), each once however many sessions they have; a night that changes nothing writes nothing."""
    services.programme_assign(template=library_template(), athletes=[world.athlete, world.other_athlete], start_date=MONDAY,
                              weekdays=[0, 2, 4], assigned_by=world.coach)
    # The other athlete's sessions are all more than a week old when the night comes.
    with time_machine.travel(datetime(2027, 6, 1, 3, 10, tzinfo=UTC)):
        assert services.regate_all() == 0
    world.other_athlete.scheduled_sessions.all().delete()
    before = _rows(world.athlete)
    with CaptureQueriesContext(connection) as queries:
        assert services.regate_all() == 1
    assert _writes(queries.captured_queries) == []
    assert _rows(world.athlete) == before
