"""Assigning a programme again (an athlete, then their team): the coach is shown what already
exists and chooses replace, extend or cancel; no day ever gets a second session, and nothing
done or logged is lost."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from programmes import services
from programmes.models import Assignment, PrescribedExercise, ScheduledSession, SetLog
from programmes.services import session_totals_refresh
from reminders.models import Reminder
from tests.factories import AthleteFactory, InjuryFactory, ProgrammeTemplateFactory, library_template

MONDAY = date(2026, 11, 30)
MON_WED_FRI = [0, 2, 4]


@pytest.fixture(autouse=True)
def a_wednesday():
    """Every test reads a fixed clock: the Wednesday before MONDAY, 10:00 UTC."""
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), tick=False):
        yield


def _assign(athletes, coach, *, template=None, start=MONDAY, weekdays=MON_WED_FRI, **choice):
    return services.programme_assign(
        template=template or library_template(), athletes=athletes, start_date=start, weekdays=weekdays,
        assigned_by=coach, **choice,
    )


def _days(athlete) -> Counter:
    return Counter(ScheduledSession.objects.filter(athlete=athlete).values_list("date", flat=True))


def _log_set(session):
    prescribed = session.exercises.order_by("order").first()
    SetLog.objects.create(prescribed=prescribed, set_number=1, reps=8)
    session_totals_refresh([session.pk])  # as the services do after a write


# --- The service --------------------------------------------------------------------------------


def test_assigning_again_without_a_choice_is_refused_listing_what_exists_and_changes_nothing(world):
    made = _assign([world.athlete], world.coach)
    before = set(ScheduledSession.objects.values_list("pk", flat=True))
    with pytest.raises(services.AssignmentOverlapError) as refused:
        _assign([world.athlete, world.other_athlete], world.coach)
    [overlap] = refused.value.overlaps
    assert overlap.athlete == world.athlete and overlap.template_name == library_template().name
    assert overlap.first == MONDAY and overlap.last > MONDAY + timedelta(weeks=8)
    assert overlap.upcoming == made  # all still to come
    assert world.athlete.full_name in str(refused.value) and "nothing was scheduled" in str(refused.value)
    # Nothing half-saved: the teammate with no programme did not get one either.
    assert set(ScheduledSession.objects.values_list("pk", flat=True)) == before
    assert Assignment.objects.count() == 1


def test_an_assignment_on_other_dates_needs_no_choice(world):
    _assign([world.athlete], world.coach, template=ProgrammeTemplateFactory(owner=world.coach), start=MONDAY)
    made = _assign([world.athlete], world.coach, template=ProgrammeTemplateFactory(owner=world.coach),
                   start=MONDAY + timedelta(days=7))
    assert made == 1 and sum(_days(world.athlete).values()) == 2


def test_replace_removes_the_upcoming_unlogged_sessions_and_keeps_past_today_and_logged_ones(world):
    with time_machine.travel(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), tick=False):
        _assign([world.athlete], world.coach)  # Mon/Wed/Fri from MONDAY
    earlier = Assignment.objects.get()
    sessions = list(earlier.sessions.order_by("date"))
    # A session whose sets were logged and which was then moved to a later day: never deleted.
    moved_logged = sessions[-1]
    _log_set(moved_logged)
    with time_machine.travel(datetime(2026, 12, 7, 10, 0, tzinfo=UTC), tick=False):  # Monday of week 2
        today = date(2026, 12, 7)
        past = [s.pk for s in sessions if s.date < today]
        todays = [s.pk for s in sessions if s.date == today]
        removable = [s.pk for s in sessions if s.date > today and s.pk != moved_logged.pk]
        assert past and todays and removable
        assert Reminder.objects.filter(session_id__in=removable, status="pending").count() == len(removable)
        made = _assign([world.athlete, world.other_athlete], world.coach, start=today,
                       on_overlap=services.OnOverlap.REPLACE, seen={earlier.pk})
    left = set(earlier.sessions.values_list("pk", flat=True))
    assert left == set(past) | set(todays) | {moved_logged.pk}
    assert not ScheduledSession.objects.filter(pk__in=removable).exists()
    # Their reminders can never fire: gone with them. The kept and new sessions keep theirs.
    assert not Reminder.objects.filter(session_id__in=removable).exists()
    new = Assignment.objects.get(athlete=world.athlete, pk__gt=earlier.pk)
    assert Reminder.objects.filter(session__assignment=new, status="pending").count() == new.sessions.count()
    # No day has two sessions: today's and the moved one's days went to the sessions already there.
    assert max(_days(world.athlete).values()) == 1
    per_athlete = library_template().sessions.count()
    assert ScheduledSession.objects.filter(athlete=world.other_athlete).count() == per_athlete
    assert made == per_athlete + new.sessions.count()
    assert new.sessions.count() == per_athlete - 2  # today and the moved session's day are taken
    assert SetLog.objects.filter(prescribed__session=moved_logged).count() == 1


def test_replace_never_deletes_a_finished_session(world):
    _assign([world.athlete], world.coach, template=ProgrammeTemplateFactory(owner=world.coach), start=MONDAY, weekdays=[0, 1, 2, 3, 4, 5, 6])
    first = ScheduledSession.objects.get(athlete=world.athlete)
    ScheduledSession.objects.filter(pk=first.pk).update(completed_at=datetime(2026, 11, 25, 9, 0, tzinfo=UTC), worst_pain=2)
    earlier = Assignment.objects.get()
    _assign([world.athlete], world.coach, template=ProgrammeTemplateFactory(owner=world.coach),
            on_overlap="replace", seen={earlier.pk}, weekdays=[0, 1, 2, 3, 4, 5, 6])
    assert ScheduledSession.objects.filter(pk=first.pk).exists()
    assert max(_days(world.athlete).values()) == 1


def test_extend_keeps_every_session_and_adds_the_new_ones_only_on_free_days(world):
    first_made = _assign([world.athlete], world.coach)  # Mon/Wed/Fri
    earlier = Assignment.objects.get()
    before = set(earlier.sessions.values_list("pk", "date"))
    made = _assign([world.athlete, world.other_athlete], world.coach, weekdays=[0, 1, 3],  # Mon/Tue/Thu
                   on_overlap=services.OnOverlap.EXTEND, seen={earlier.pk})
    assert set(earlier.sessions.values_list("pk", "date")) == before
    days = _days(world.athlete)
    assert max(days.values()) == 1
    mondays = {d for _, d in before if d.weekday() == 0}
    new = Assignment.objects.get(athlete=world.athlete, pk__gt=earlier.pk)
    new_days = set(new.sessions.values_list("date", flat=True))
    assert not new_days & mondays  # Mondays were taken
    per_athlete = library_template().sessions.count()
    assert made == per_athlete + len(new_days)
    assert sum(days.values()) == first_made + len(new_days)


def test_extend_with_every_day_taken_adds_nothing_for_that_athlete(world):
    _assign([world.athlete], world.coach)
    earlier = Assignment.objects.get()
    made = _assign([world.athlete], world.coach, on_overlap="extend", seen={earlier.pk})
    assert made == 0 and Assignment.objects.count() == 1
    assert max(_days(world.athlete).values()) == 1


def test_cancel_changes_nothing(world):
    _assign([world.athlete], world.coach)
    before = list(ScheduledSession.objects.values_list("pk", "date"))
    assert _assign([world.athlete, world.other_athlete], world.coach, on_overlap=services.OnOverlap.CANCEL) == 0
    assert list(ScheduledSession.objects.values_list("pk", "date")) == before
    assert Assignment.objects.count() == 1


def test_a_choice_made_on_an_out_of_date_list_is_refused_again(world):
    """Another coach assigned in between: the list the coach answered is no longer what exists."""
    _assign([world.athlete], world.coach)
    before = ScheduledSession.objects.count()
    with pytest.raises(services.AssignmentOverlapError) as refused:
        _assign([world.athlete], world.coach, on_overlap="replace", seen=set())
    assert refused.value.changed and "changed since you looked" in str(refused.value)
    assert ScheduledSession.objects.count() == before


def test_the_new_sessions_still_follow_the_gating_rule(world):
    _assign([world.athlete], world.coach)
    earlier = Assignment.objects.get()
    InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})  # protect
    _assign([world.athlete], world.coach, on_overlap="replace", seen={earlier.pk})
    new = Assignment.objects.get(pk__gt=earlier.pk)
    families = set(
        PrescribedExercise.objects.filter(session__assignment=new).values_list("family", "exercise__isometric")
    )
    assert families == {("hip_hinge", True), ("knee_flexion", True)}  # isometrics only, no Nordic


# --- The page -----------------------------------------------------------------------------------


def _post(client, data):
    return client.post(reverse("template_assign", args=[library_template().pk]), data)


TEAM = {"start_date": MONDAY.isoformat(), "weekdays": MON_WED_FRI}


def test_the_page_lists_what_exists_and_asks_without_doubling(coach_client, world):
    _assign([world.athlete], world.coach)
    before = ScheduledSession.objects.count()
    response = _post(coach_client, {**TEAM, "team": world.team.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{world.athlete.full_name}</strong>: {library_template().name}, 30 Nov 2026 to" in body
    assert "The other 1 athlete has nothing on these dates" in body
    for button in ('value="replace"', 'value="extend"', 'value="cancel"'):
        assert button in body
    assert ScheduledSession.objects.count() == before  # nothing doubled, nothing scheduled


def test_choosing_replace_on_the_page_schedules_without_a_second_session_on_any_day(coach_client, world):
    _assign([world.athlete], world.coach)
    shown = _post(coach_client, {**TEAM, "team": world.team.pk}).context["overlap_seen"]
    response = _post(coach_client, {**TEAM, "team": world.team.pk, "overlap": "replace", "seen": shown})
    assert response.status_code == 302 and response["Location"] == reverse("team_programme", args=[world.team.pk])
    per_athlete = library_template().sessions.count()
    for athlete in (world.athlete, world.other_athlete):
        assert ScheduledSession.objects.filter(athlete=athlete).count() == per_athlete
        assert max(_days(athlete).values()) == 1


def test_choosing_cancel_on_the_page_changes_nothing(coach_client, world):
    _assign([world.athlete], world.coach)
    before = ScheduledSession.objects.count()
    response = _post(coach_client, {**TEAM, "team": world.team.pk, "overlap": "cancel", "seen": "1"})
    assert response["Location"] == reverse("template_detail", args=[library_template().pk])
    assert ScheduledSession.objects.count() == before
    assert "Nothing was scheduled" in coach_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "data, says",
    [
        ({"overlap": "both"}, "Choose replace, extend or cancel."),
        ({"overlap": "replace", "seen": "drop table"}, "What already exists changed since you looked"),
        ({"overlap": "extend", "seen": "99999999999999999999"}, "What already exists changed since you looked"),
        ({"overlap": "replace"}, "What already exists changed since you looked"),
        ({"overlap": "replace", "seen": "1\x002"}, "The page was out of date"),
    ],
)
def test_bad_answers_are_named_and_change_nothing(coach_client, world, data, says):
    _assign([world.athlete], world.coach)
    before = ScheduledSession.objects.count()
    response = _post(coach_client, {**TEAM, "team": world.team.pk, **data})
    assert response.status_code == 200
    assert says in response.content.decode()
    assert ScheduledSession.objects.count() == before


@pytest.mark.parametrize("squad", [3, 25])
def test_the_list_of_what_exists_costs_the_same_queries_for_any_squad(coach_client, world, squad, django_assert_num_queries):
    athletes = [world.athlete, world.other_athlete] + AthleteFactory.create_batch(squad - 2, team=world.team)
    _assign(athletes, world.coach)
    url = reverse("template_assign", args=[library_template().pk])
    # session, user, template, team, its athletes, the template's sessions, entries and their
    # exercises (3), the lock, the overlapping assignments, their upcoming sessions, unread
    # notifications, and the savepoint of the refused transaction (3)
    with django_assert_num_queries(14):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        response = coach_client.post(url, {**TEAM, "team": world.team.pk})
    assert len(response.context["overlaps"]) == squad
