from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from injuries import pathway
from injuries import services as injury_services
from injuries.models import ChecklistItem
from programmes import progression as p
from programmes import services
from programmes.models import Exercise, LadderPosition, PrescribedExercise, ProgrammeTemplate, ScheduledSession, SetLog
from programmes.services import session_totals_refresh
from tests.factories import (
    AthleteFactory,
    InjuryFactory,
    ProgrammeTemplateFactory,
    assigned_session,
    library_template,
    move_on,
    progression_alert,
)

MONDAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def a_wednesday():
    """Tests that read today's date read a fixed Wednesday (the week before MONDAY), so that the
    suite passes on any day; tests that need another day travel there themselves."""
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC)):
        yield


def _log_a_set(session):
    """One set of each exercise: a session with no set logged never counts as done."""
    for prescribed in session.exercises.all():
        services.set_log(prescribed=prescribed, set_number=1)


def test_library_holds_every_rung_of_the_three_ladders(db):
    for family, ladder in p.LADDERS.items():
        rows = list(Exercise.objects.filter(family=family).order_by("rung"))
        assert len(rows) >= 5
        assert [e.key for e in rows] == [r.key for r in ladder]
        assert all(e.cues for e in rows)


def test_a_library_exercise_follows_the_ladders_gating_rule_and_its_own_narrower_phases(db):
    """One rule (progression.allowed) for the ladders and the library; an admin may only narrow it."""
    for exercise in Exercise.objects.all():
        rung = p.RUNGS_BY_KEY[exercise.key]
        for phase in p.TrainingPhase:
            for criteria in (False, True):
                assert p.allowed(exercise, phase, criteria) == p.allowed(rung, phase, criteria), (exercise.key, phase)
    nordic = Exercise.objects.get(key="nordic_band_assisted")
    assert p.allowed(nordic, p.TrainingPhase.REHAB, True) and not p.allowed(nordic, p.TrainingPhase.REHAB, False)
    nordic.allowed_phases = ["prevention"]
    assert not p.allowed(nordic, p.TrainingPhase.REHAB, True) and p.allowed(nordic, p.TrainingPhase.PREVENTION, False)


def test_prevention_template_follows_the_nordic_dose(db):
    template = library_template()
    for week in (1, 2, 3, 4, 5, 10, 11):
        sessions = template.sessions.filter(week=week).prefetch_related("entries__exercise")
        dose = p.nordic_dose(week)
        assert sessions.count() == dose.sessions_per_week, week
        nordic = [e for s in sessions for e in s.entries.all() if e.exercise.family == "nordic"]
        assert all(e.set_targets() == [r.min for r in dose.sets] for e in nordic), week
        families = {e.exercise.family for s in sessions for e in s.entries.all()}
        assert families == {"nordic", "hip_hinge", "knee_flexion"}


def test_rehab_templates_exist_for_each_strain_grade_and_start_with_isometrics(db):
    for grade in (1, 2, 3):
        template = ProgrammeTemplate.objects.get(name=f"Rehab after a grade {grade} strain", owner=None)
        first = template.sessions.order_by("week", "order").first()
        assert all(e.exercise.isometric for e in first.entries.all())


def test_assigning_to_a_team_schedules_every_athlete_on_the_chosen_days(world, django_assert_max_num_queries):
    team_size = 40
    AthleteFactory.create_batch(team_size - 2, team=world.team)
    # Each athlete's gating is read (3 queries) and their prescriptions written (3); the ladders,
    # assignments and sessions are written for the team at once: 457 queries became 261 for 40.
    with django_assert_max_num_queries(7 * team_size):
        made = services.programme_assign(
            template=library_template(), athletes=list(world.team.athletes.all()),
            start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach,
        )
    per_athlete = library_template().sessions.count()
    assert made == team_size * per_athlete
    dates = set(ScheduledSession.objects.values_list("date", flat=True))
    assert {d.weekday() for d in dates} <= {0, 2, 4}
    first_week = sorted(d for d in dates if d < MONDAY + timedelta(days=7))
    assert first_week == [MONDAY]  # week 1 of the Nordic block: one session


def test_assigning_a_team_starts_each_athlete_on_their_own_ladders(world):
    """The team's ladders are written at once: an athlete new to a family starts at the template's
    first rung for it, an injured one (rehab) at the bottom, and a rung already reached is kept."""
    template = library_template()
    first = {}
    for session in template.sessions.order_by("week", "order", "pk"):
        for entry in session.entries.order_by("order", "pk"):
            first.setdefault(entry.exercise.family, entry.exercise.rung)
    injured = AthleteFactory(team=world.team)
    move_on(InjuryFactory(complaint__athlete=injured), "rehab", world.coach)
    climbed = AthleteFactory(team=world.team)
    reached = first["hip_hinge"] + 1
    LadderPosition.objects.create(athlete=climbed, family="hip_hinge", rung=reached)
    services.programme_assign(template=template, athletes=[world.athlete, injured, climbed], start_date=MONDAY,
                              weekdays=[0, 2, 4], assigned_by=world.coach)

    def ladders(athlete):
        return dict(LadderPosition.objects.filter(athlete=athlete).values_list("family", "rung"))

    assert set(first) == {"nordic", "hip_hinge", "knee_flexion"}
    assert ladders(world.athlete) == first
    assert ladders(injured) == dict.fromkeys(first, 0)
    assert ladders(climbed) == {**first, "hip_hinge": reached}
    assert ScheduledSession.objects.filter(athlete__in=[world.athlete, injured, climbed]).values("athlete").distinct().count() == 3


def test_too_few_weekdays_is_refused_with_a_reason(world):
    with pytest.raises(services.AssignmentError, match="at least 3 weekdays"):
        services.programme_assign(template=library_template(), athletes=[world.athlete], start_date=MONDAY, weekdays=[0, 3], assigned_by=world.coach)
    assert not ScheduledSession.objects.exists()


def _families(athlete):
    return {(pe.family, pe.exercise.isometric) for pe in PrescribedExercise.objects.filter(session__athlete=athlete).select_related("exercise")}


def test_protect_phase_gets_isometrics_only_and_no_nordic(world):
    InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6})
    services.programme_assign(template=library_template(), athletes=[world.athlete], start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
    assert _families(world.athlete) == {("hip_hinge", True), ("knee_flexion", True)}


def test_regating_an_athlete_with_nothing_to_log_reads_no_more_than_their_sessions(world, django_assert_max_num_queries):
    """An injury of an athlete with no programme costs no gating (each event regates at once); the
    programme assigned later is gated then (the test above)."""
    with django_assert_max_num_queries(4):  # a savepoint and its release, the athlete's lock, their sessions
        assert services.programme_regate(athlete=world.athlete) == 0
    services.programme_assign(template=library_template(), athletes=[world.athlete], start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
    assert services.programme_regate(athlete=world.athlete) > 0


def test_nordic_waits_for_the_criteria_in_rehab_and_follows_them(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    for item in (ChecklistItem.WALKS, ChecklistItem.REST_PAIN):  # protect → rehab needs them
        injury_services.clearance_check_set(injury=injury, item=item, done=True, changed_by=world.coach)
    injury_services.injury_change_phase(injury=injury, to_phase="rehab", changed_by=world.coach)
    with time_machine.travel(MONDAY - timedelta(days=1)):
        services.programme_assign(template=library_template(), athletes=[world.athlete], start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
        assert "nordic" not in {f for f, _ in _families(world.athlete)}
        for item in pathway.NORDIC_CRITERIA:
            injury_services.clearance_check_set(injury=injury, item=item, done=True, changed_by=world.coach)
        assert "nordic" in {f for f, _ in _families(world.athlete)}
        injury_services.injury_change_phase(injury=injury, to_phase="protect", changed_by=world.coach, reason="Flare-up")
        assert _families(world.athlete) == {("hip_hinge", True), ("knee_flexion", True)}


def _finish(session, pain, sharp=False):
    _log_a_set(session)
    return {d.family: d for d in services.session_complete(session=session, worst_pain=pain, sharp_pain=sharp)}


def test_two_easy_sessions_move_the_athlete_up_and_the_next_sessions_follow(world):
    template = ProgrammeTemplateFactory(owner=world.coach)
    for days_ago in (2, 1, 0):  # three days running: a second programme never lands on a day that has a session
        assigned_session(world.athlete, world.coach, template=template, start=timezone.localdate() - timedelta(days=days_ago))
    sessions = list(world.athlete.scheduled_sessions.order_by("date", "id"))
    assert _finish(sessions[0], 2)["hip_hinge"].decision == "hold"  # one session is not enough
    decision = _finish(sessions[1], 3)["hip_hinge"]
    assert (decision.decision, decision.from_rung, decision.to_rung) == ("advance", 2, 3)
    assert "3/10" in decision.reason
    assert LadderPosition.objects.get(athlete=world.athlete, family="hip_hinge").rung == 3
    upcoming = PrescribedExercise.objects.filter(session__athlete=world.athlete, session__completed_at__isnull=True, family="hip_hinge")
    assert {pe.exercise.key for pe in upcoming} == {"rdl_barbell"}  # the third session moved up


def test_pain_above_5_moves_down_and_alerts_the_coach_with_a_retriage(coach_client, world):
    session = assigned_session(world.athlete, world.coach)
    decision = _finish(session, 6)["knee_flexion"]
    assert (decision.decision, decision.alert_coach, decision.offer_retriage) == ("regress", True, True)
    body = coach_client.get(reverse("home")).content.decode()
    assert "Needs your attention" in body and world.athlete.full_name in body
    assert reverse("complaint_create", args=[world.athlete.pk]) in body


def test_a_worse_next_morning_moves_down_once(world):
    template = ProgrammeTemplateFactory(owner=world.coach)
    session = assigned_session(world.athlete, world.coach, template=template)
    assert _finish(session, 2)["hip_hinge"].decision == "hold"
    decisions = {d.family: d for d in services.session_morning_report(session=session, feeling="worse", pain=4)}
    assert decisions["hip_hinge"].decision == "regress" and decisions["hip_hinge"].to_rung == 1
    with pytest.raises(services.SessionLogError):
        services.session_morning_report(session=session, feeling="worse", pain=6)
    assert LadderPosition.objects.get(athlete=world.athlete, family="hip_hinge").rung == 1


def test_calendar_shows_done_missed_and_upcoming_with_adherence_in_sets(client, world):
    with time_machine.travel(MONDAY):
        services.programme_assign(template=library_template(),
                                  athletes=[world.athlete], start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
        first = world.athlete.scheduled_sessions.order_by("date").first()
        for prescribed in first.exercises.all():  # every set of the first session
            for number in range(1, prescribed.sets + 1):
                services.set_log(prescribed=prescribed, set_number=number)
        services.session_complete(session=first, worst_pain=1, sharp_pain=False)
    second = world.athlete.scheduled_sessions.order_by("date")[1]
    with time_machine.travel(second.date):  # finished with no set logged: missed, not done
        services.session_complete(session=second, worst_pain=1, sharp_pain=False)
    with time_machine.travel(MONDAY + timedelta(days=10)):
        client.force_login(world.coach)
        response = client.get(reverse("athlete_programme", args=[world.athlete.pk]), {"month": "2026-12"})
    assert response.status_code == 200, response
    statuses = {cell["session"].pk: cell["status"] for week in response.context["weeks"] for _, cells in week for cell in cells}
    assert {"done", "missed", "upcoming"} <= set(statuses.values())
    assert (statuses[first.pk], statuses[second.pk]) == ("done", "missed")
    due = PrescribedExercise.objects.filter(session__athlete=world.athlete, session__date__lte=MONDAY + timedelta(days=10))
    prescribed = sum(due.values_list("sets", flat=True))
    assert response.context["adherence"] == round(100 * sum(first.exercises.values_list("sets", flat=True)) / prescribed)
    assert 0 < response.context["adherence"] < 50  # sets done of sets due, not sessions


def test_dose_tracker_counts_weekly_nordic_reps_and_flags_low_doses(client, world):
    with time_machine.travel(MONDAY):
        services.programme_assign(template=library_template(), athletes=[world.athlete, world.other_athlete],
                                  start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
    week_three = world.athlete.scheduled_sessions.filter(week=3)
    for session in week_three:
        for pe in session.exercises.filter(family="nordic"):
            SetLog.objects.bulk_create(SetLog(prescribed=pe, set_number=n, reps=8) for n in range(1, pe.sets + 1))
    session_totals_refresh(session.pk for session in week_three)  # as the services do after a write
    with time_machine.travel(MONDAY + timedelta(weeks=3, days=1)):
        client.force_login(world.coach)
        response = client.get(reverse("team_programme", args=[world.team.pk]))
    rows = {row["athlete"].pk: row for row in response.context["rows"]}
    assert rows[world.athlete.pk]["weekly"][-1] == 72 and not rows[world.athlete.pk]["below"]
    assert rows[world.other_athlete.pk]["weekly"][-1] == 0 and rows[world.other_athlete.pk]["below"]


@pytest.mark.parametrize("squad", [5, 60])
def test_dose_tracker_and_calendar_queries_are_flat(client, world, django_assert_num_queries, squad):
    athletes = [world.athlete] + AthleteFactory.create_batch(squad - 1, team=world.team)
    services.programme_assign(template=library_template(), athletes=athletes, start_date=MONDAY, weekdays=[0, 2, 4], assigned_by=world.coach)
    InjuryFactory(complaint__athlete=world.athlete)  # the gating has an injury to read
    with time_machine.travel(MONDAY + timedelta(weeks=5, days=1)):
        for athlete in athletes:  # sets logged in a session due: adherence has something to count
            session = athlete.scheduled_sessions.filter(week=6).order_by("date").first()
            _log_a_set(session)
        client.force_login(world.coach)
        # session, user, team, access log, athletes with their sets due, their set logs (sets done,
        # weekly Nordic reps) (the unread count comes with the user)
        # The athletes with their sums from each session's totals, in one query (programmes/services/totals.py).
        with django_assert_num_queries(5):
            client.get(reverse("team_programme", args=[world.team.pk]))
        # session, user, athlete, access log, the month's sessions, their exercises (with the
        # rung), adherence (sets), the gating (open injuries, their Nordic criteria, episodes,
        # urgent reports: 4), decisions (the unread count comes with the user)
        with django_assert_num_queries(12):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
            client.get(reverse("athlete_programme", args=[world.athlete.pk]), {"month": "2027-01"})


def test_coach_copies_a_library_template_and_edits_the_copy(coach_client, world):
    library = library_template()
    assert coach_client.get(reverse("template_edit", args=[library.pk])).status_code == 403
    response = coach_client.post(reverse("template_copy", args=[library.pk]))
    copy = ProgrammeTemplate.objects.get(owner=world.coach)
    assert response["Location"] == reverse("template_detail", args=[copy.pk])
    assert copy.sessions.count() == library.sessions.count()
    session = copy.sessions.order_by("week", "order").first()
    assert "session-followers" not in coach_client.get(reverse("template_session_edit", args=[session.pk])).content.decode()
    entry = session.entries.order_by("order").first()
    data = {
        "session-week": 1, "session-order": 1, "session-title": "Opening session",
        "entries-TOTAL_FORMS": 1, "entries-INITIAL_FORMS": 1, "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 12,
        "entries-0-id": entry.pk, "entries-0-order": 1, "entries-0-exercise": entry.exercise_id, "entries-0-sets": 2,
        "entries-0-reps_min": 4, "entries-0-reps_max": 6, "entries-0-reps_by_set": "", "entries-0-load": "Band",
        "entries-0-rom_target": "", "entries-0-rest_seconds": 120, "entries-0-hold_seconds": "",
    }
    assert coach_client.post(reverse("template_session_edit", args=[session.pk]), data).status_code == 302
    entry.refresh_from_db()
    assert (entry.sets, entry.reps_min, entry.load) == (2, 4, "Band")
    library_entry = library.sessions.order_by("week", "order").first().entries.order_by("order").first()
    assert library_entry.sets != 2 or library_entry.load != "Band"  # the library is untouched
    bad = {**data, "entries-0-reps_min": 9, "entries-0-reps_max": 3, "entries-0-reps_by_set": "12;x"}
    response = coach_client.post(reverse("template_session_edit", args=[session.pk]), bad)
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors
    assert "reps_by_set" in errors


def test_an_edit_to_an_assigned_template_reaches_the_upcoming_sessions_at_once_within_the_gating(coach_client, world):
    """The coach edits a session of their template that two athletes follow: the one without an
    injury gets the new dose in every upcoming session from it; the one in protect still gets
    only isometric holds; the page says how many athletes followed."""
    copy = services.template_copy(template=library_template(), owner=world.coach)
    services.programme_assign(template=copy, athletes=[world.athlete, world.other_athlete], start_date=MONDAY,
                              weekdays=[0, 2, 4], assigned_by=world.coach)
    InjuryFactory(complaint__athlete=world.other_athlete, complaint__answers={"pain_score": 6})
    prescribed = PrescribedExercise.objects.filter(
        session__athlete=world.athlete, family="hip_hinge", template_entry__isnull=False
    ).select_related("template_entry__session").first()
    entry, session = prescribed.template_entry, prescribed.template_entry.session
    entries = list(session.entries.order_by("order", "pk"))
    data = {"session-week": session.week, "session-order": session.order, "session-title": session.title,
            "entries-TOTAL_FORMS": len(entries), "entries-INITIAL_FORMS": len(entries),
            "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 12}
    for i, e in enumerate(entries):
        edited = e.pk == entry.pk
        data.update({
            f"entries-{i}-id": e.pk, f"entries-{i}-order": e.order,
            f"entries-{i}-exercise": prescribed.exercise_id if edited else e.exercise_id,
            f"entries-{i}-sets": 2 if edited else e.sets, f"entries-{i}-reps_min": 4 if edited else e.reps_min,
            f"entries-{i}-reps_max": 6 if edited else e.reps_max, f"entries-{i}-reps_by_set": "" if edited else e.reps_by_set,
            f"entries-{i}-load": "Light band" if edited else e.load, f"entries-{i}-rom_target": e.rom_target,
            f"entries-{i}-rest_seconds": e.rest_seconds, f"entries-{i}-hold_seconds": e.hold_seconds or "",
        })
    page = coach_client.get(reverse("template_session_edit", args=[session.pk])).content.decode()
    assert "2 athletes have upcoming sessions from this one. Saving changes their exercises as well" in page
    response = coach_client.post(reverse("template_session_edit", args=[session.pk]), data, follow=True)
    assert "The upcoming sessions of 2 athletes on this programme now follow it." in response.content.decode()
    doses = set(PrescribedExercise.objects.filter(session__athlete=world.athlete, template_entry=entry)
                .values_list("exercise_id", "sets", "reps_min", "reps_max", "load"))
    assert doses == {(prescribed.exercise_id, 2, 4, 6, "Light band")}
    assert _families(world.other_athlete) == {("hip_hinge", True), ("knee_flexion", True)}


def test_assign_view_for_a_team_and_errors_named(coach_client, world):
    url = reverse("template_assign", args=[library_template().pk])
    response = coach_client.post(url, {"start_date": MONDAY.isoformat(), "weekdays": [0, 2, 4]})
    assert "Choose one athlete or one team" in response.content.decode()
    response = coach_client.post(url, {"team": world.other_team.pk, "start_date": MONDAY.isoformat(), "weekdays": [0, 2, 4]})
    assert "team" in response.context["form"].errors
    response = coach_client.post(url, {"team": world.team.pk, "start_date": MONDAY.isoformat(), "weekdays": [0, 2, 4]})
    assert response["Location"] == reverse("team_programme", args=[world.team.pk])
    assert ScheduledSession.objects.filter(athlete=world.athlete).exists() and ScheduledSession.objects.filter(athlete=world.other_athlete).exists()


def test_assign_form_prefills_today_in_a_format_date_inputs_read(coach_client, world):
    from django.utils import timezone

    body = coach_client.get(reverse("template_assign", args=[library_template().pk])).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in body


# --- Bad input (found by tests/test_fuzz.py) ------------------------------------------------------


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "10000-01", "99999999999999999999-01", "2026-13", "soon"])
def test_a_month_the_calendar_cannot_show_opens_this_month(coach_client, world, month):
    """Its whole weeks and its links to the months either side must all be dates (years 1 to 9999)."""
    response = coach_client.get(reverse("athlete_programme", args=[world.athlete.pk]), {"month": month})
    assert response.status_code == 200
    assert response.context["month"] == timezone.localdate().replace(day=1)


@pytest.mark.parametrize("month, first", [("9999-11", date(9999, 11, 1)), ("0001-02", date(1, 2, 1))])
def test_the_calendar_goes_as_far_as_dates_go(coach_client, world, month, first):
    response = coach_client.get(reverse("athlete_programme", args=[world.athlete.pk]), {"month": month})
    assert response.status_code == 200 and response.context["month"] == first


@pytest.mark.parametrize("far", ["a year and two days", "the last day of the calendar"])
def test_a_programme_starting_more_than_a_year_ahead_is_refused_by_name(coach_client, world, far):
    """Its weeks are dated from the start: on 9999-12-31 they would run past the last date there is."""
    start = timezone.localdate() + timedelta(days=368) if far == "a year and two days" else date(9999, 12, 31)
    url = reverse("template_assign", args=[library_template().pk])
    response = coach_client.post(url, {"athlete": world.athlete.pk, "start_date": start.isoformat(), "weekdays": [0, 2, 4, 6]})
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == ["Start within a year from today."]
    assert not ScheduledSession.objects.exists()


def test_a_stale_session_page_says_what_is_wrong_with_its_hidden_fields(coach_client, world):
    """An entry deleted in another tab (or a tampered page): the problem is shown, not only counted."""
    session = ProgrammeTemplateFactory(owner=world.coach).sessions.get()
    entry = session.entries.order_by("order").first()
    data = {
        "session-week": 1, "session-order": 1, "session-title": "Strength",
        "entries-TOTAL_FORMS": 1, "entries-INITIAL_FORMS": 1, "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 12,
        "entries-0-id": 999999, "entries-0-order": 1, "entries-0-exercise": entry.exercise_id, "entries-0-sets": 3,
        "entries-0-reps_min": 8, "entries-0-reps_max": 12, "entries-0-rest_seconds": 90,
    }
    response = coach_client.post(reverse("template_session_edit", args=[session.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Please correct the 1 problem below." in body
    assert "Select a valid choice. That choice is not one of the available choices. (Id, a hidden field: reload the page and try again.)" in body


@pytest.mark.parametrize("next_url, to_next", [
    ("/athletes/", True), ("", False), ("//evil.example/", False), ("https://evil.example/", False),
    ("\\\\evil.example", False), ("roster", False), ("a\x00b", False),
])
def test_resolving_an_alert_goes_back_only_to_a_page_of_this_site(coach_client, world, next_url, to_next):
    alert = progression_alert(world.athlete, world.coach)
    response = coach_client.post(reverse("alert_resolve", args=[alert.pk]), {"next": next_url})
    assert response.status_code == 302 and response["Location"] == (next_url if to_next else reverse("home"))
    alert.refresh_from_db()
    assert alert.resolved_at is not None


def test_an_alert_stays_open_when_the_request_cannot_be_read(coach_client, world):
    alert = progression_alert(world.athlete, world.coach)
    body = urlencode({f"field{n}": "1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)})
    response = coach_client.post(
        reverse("alert_resolve", args=[alert.pk]), body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.resolved_at is None
