"""Session RPE, the wellness check and its tightness alert, maximal velocity, earlier injuries, and
the sprint item ticked from GPS (monitoring/services.py)."""

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from injuries import pathway
from injuries.models import ClearanceCheck
from monitoring import imports, services
from monitoring.models import MaxVelocity, PriorInjury, SessionRpe, Wellness
from monitoring.services import MonitoringError, RpeEntry
from reminders import kinds
from reminders.models import Kind, Reminder
from tests.clinical.support import log
from tests.factories import AthleteFactory, InjuryFactory, move_on

pytestmark = pytest.mark.calendar


def today():
    return timezone.localdate()


# --- Session RPE -------------------------------------------------------------------------------


def test_an_athlete_logs_their_own_session_and_logging_it_again_corrects_it(world):
    row = services.session_rpe_log(athlete=world.athlete, day=today(), rpe=6, minutes=75, by=world.athlete_user)
    assert (row.rpe, row.minutes, row.load, row.logged_by) == (6, 75, 450, "athlete")
    again = services.session_rpe_log(athlete=world.athlete, day=today(), rpe="7", minutes="75", by=world.athlete_user)
    assert again.pk == row.pk and again.rpe == 7 and SessionRpe.objects.count() == 1


def test_a_coach_logs_a_match_for_an_athlete(world):
    row = services.session_rpe_log(athlete=world.athlete, day=today(), rpe=9, minutes=90, kind="match", by=world.coach)
    assert (row.kind, row.logged_by, row.recorded_by) == ("match", "coach", world.coach)


# --- Pain in a team session (docs/load-and-risk.md#pain-in-training) ---------------------------------


def _pain_alerts():
    return Reminder.objects.filter(kind=Kind.PAIN_ALERT)


@pytest.mark.parametrize(("pain", "injury_open", "alerted"), [
    (None, False, False), (0, True, False), (5, False, False), (6, False, True), (10, False, True),
    (2, True, False), (3, True, True),
])
def test_hamstring_pain_in_a_team_session_alerts_the_coach_above_the_limit(world, pain, injury_open, alerted):
    if injury_open:
        InjuryFactory(complaint__athlete=world.athlete)
    services.session_rpe_log(athlete=world.athlete, day=today(), rpe=6, minutes=75, hamstring_pain=pain, by=world.athlete_user)
    assert _pain_alerts().filter(recipient=world.coach, athlete=world.athlete).exists() is alerted
    if alerted:
        message = kinds.message(_pain_alerts().get())
        assert message["url"] == reverse("complaint_create", args=[world.athlete.pk])  # to re-triage


def test_the_same_pain_logged_again_alerts_once_and_a_worse_one_again(world):
    for pain in (7, 7, 8):
        services.session_rpe_log(athlete=world.athlete, day=today(), rpe=6, minutes=75, hamstring_pain=pain, by=world.athlete_user)
    assert _pain_alerts().count() == 2


def test_a_coach_logging_the_team_alerts_for_the_athlete_in_pain_only(world):
    entries = [RpeEntry(world.athlete, 6, 60, hamstring_pain=6), RpeEntry(world.other_athlete, 6, 60, hamstring_pain=1)]
    services.team_session_rpe_log(team=world.team, day=today(), entries=entries, by=world.coach)
    assert list(_pain_alerts().values_list("athlete", flat=True).distinct()) == [world.athlete.pk]


@pytest.mark.parametrize(("changes", "message"), [
    ({"rpe": 11}, "effort"), ({"rpe": "hard"}, "effort"), ({"minutes": 0}, "minutes"), ({"minutes": 700}, "minutes"),
    ({"kind": "gym"}, "training or a match"), ({"hamstring_pain": 12}, "pain"),
    ({"day": "tomorrow"}, "YYYY-MM-DD"), ({"label": "x" * 41}, "40 characters"),
])
def test_bad_session_input_names_the_problem_and_saves_nothing(world, changes, message):
    values = {"athlete": world.athlete, "day": today(), "rpe": 5, "minutes": 60, "by": world.athlete_user, **changes}
    with pytest.raises(MonitoringError, match=message):
        services.session_rpe_log(**values)
    assert not SessionRpe.objects.exists()


def test_a_session_in_the_future_is_refused(world):
    with pytest.raises(MonitoringError, match="in the future"):
        services.session_rpe_log(athlete=world.athlete, day=today() + timedelta(days=2), rpe=5, minutes=60, by=world.coach)


@pytest.mark.parametrize("who", ["other_coach", "other_athlete"])
def test_nobody_logs_for_an_athlete_they_cannot_see(world, who):
    with pytest.raises(MonitoringError, match="cannot log"):
        services.session_rpe_log(athlete=world.athlete, day=today(), rpe=5, minutes=60, by=world.persona(who))


def test_a_coach_logs_a_whole_team_at_once(world):
    rows = services.team_session_rpe_log(team=world.team, day=today(), by=world.coach, entries=[
        RpeEntry(world.athlete, 6, 80), RpeEntry(world.other_athlete, 4, 80),
    ])
    assert sorted(r.load for r in rows) == [320, 480]


def test_an_athlete_cannot_log_for_the_team(world):
    with pytest.raises(MonitoringError, match="Only a coach"):
        services.team_session_rpe_log(team=world.team, day=today(), by=world.athlete_user, entries=[RpeEntry(world.athlete, 6, 80)])


def test_one_bad_entry_saves_none_of_the_team_and_names_the_athlete(world):
    stranger = AthleteFactory(team=world.other_team, first_name="Kim", last_name="Lee")
    with pytest.raises(MonitoringError) as refused:
        services.team_session_rpe_log(team=world.team, day=today(), by=world.coach, entries=[
            RpeEntry(world.athlete, 6, 80), RpeEntry(world.other_athlete, 14, 80), RpeEntry(stranger, 5, 60),
        ])
    assert world.other_athlete.full_name in str(refused.value) and "Kim Lee is not in Alpha" in str(refused.value)
    assert not SessionRpe.objects.exists()


# --- Wellness and the tightness alert ---------------------------------------------------------


def wellness(world, days_ago, left, right=0):
    return services.wellness_record(athlete=world.athlete, day=today() - timedelta(days=days_ago), sleep=4, soreness=2,
                                    tightness_left=left, tightness_right=right, mood=4, by=world.athlete_user)


def test_one_wellness_check_a_day_recorded_again_is_corrected(world):
    first = wellness(world, 0, 1)
    second = wellness(world, 0, 2)
    assert first.pk == second.pk and Wellness.objects.get().tightness_left == 2


@pytest.mark.parametrize(("changes", "message"), [
    ({"sleep": 0}, "Sleep"), ({"mood": 6}, "Mood"), ({"soreness": -1}, "soreness"), ({"tightness_right": 11}, "right"),
])
def test_bad_wellness_answers_name_the_problem(world, changes, message):
    values = {"athlete": world.athlete, "day": today(), "sleep": 3, "soreness": 1, "tightness_left": 0,
              "tightness_right": 0, "mood": 3, "by": world.athlete_user, **changes}
    with pytest.raises(MonitoringError, match=message):
        services.wellness_record(**values)
    assert not Wellness.objects.exists()


def test_tightness_worse_two_mornings_running_alerts_every_coach_once_with_a_retriage_link(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        wellness(world, 2, 1)
        wellness(world, 1, 2)
        assert not Reminder.objects.filter(kind=Kind.TIGHTNESS_RISING).exists()
        wellness(world, 0, 4)
        wellness(world, 0, 4)  # corrected the same morning: still one alert
    alert = Reminder.objects.get(kind=Kind.TIGHTNESS_RISING)
    assert alert.recipient == world.coach and alert.athlete == world.athlete
    message = kinds.message(alert)
    assert "two mornings running" in message["body"]
    assert message["url"] == reverse("complaint_create", args=[world.athlete.pk])  # to re-triage


def test_tightness_that_holds_or_eases_alerts_nobody(world):
    wellness(world, 2, 1)
    wellness(world, 1, 3)
    wellness(world, 0, 3)
    assert not Reminder.objects.filter(kind=Kind.TIGHTNESS_RISING).exists()


def test_every_monitoring_kind_has_a_wording():
    assert {Kind.TIGHTNESS_RISING, Kind.RECURRENCE_WATCH} <= kinds.registered()


# --- Maximal velocity, earlier injuries -------------------------------------------------------


def test_a_coach_enters_a_maximal_velocity_and_an_athlete_may_not(world):
    row = services.max_velocity_enter(athlete=world.athlete, velocity="9.40", measured_on=today(), by=world.coach)
    assert (row.velocity, row.source) == (D("9.40"), "coach")
    with pytest.raises(MonitoringError, match="Only a coach"):
        services.max_velocity_enter(athlete=world.athlete, velocity="12", measured_on=today(), by=world.athlete_user)
    with pytest.raises(MonitoringError, match="between 0 and 15"):
        services.max_velocity_enter(athlete=world.athlete, velocity="40", measured_on=today(), by=world.coach)
    assert MaxVelocity.objects.get().velocity == D("9.40")


def test_a_coach_records_an_injury_from_before_the_athlete_joined(world):
    services.prior_injury_add(athlete=world.athlete, approx_date="2024-05-01", side="left", grade="2", by=world.coach)
    with pytest.raises(MonitoringError, match="side"):
        services.prior_injury_add(athlete=world.athlete, approx_date="2024-05-01", side="middle", by=world.coach)
    with pytest.raises(MonitoringError, match="cannot log"):
        services.prior_injury_add(athlete=world.athlete, approx_date="2024-05-01", side="left", by=world.other_coach)
    assert PriorInjury.objects.get().get_grade_display() == "Grade 2"


# --- The sprint item from GPS -----------------------------------------------------------------


def gps_day(world, velocity: str):
    day = today().strftime("%d/%m/%Y")
    text = ("Player Name,Date,Total Duration,Total Distance,High Speed Distance,Maximum Velocity\n"
            f"{world.athlete.full_name},{day},45,4000,400,{velocity}\n")
    mapping = {"fields": {"athlete": "Player Name", "date": "Date", "minutes": "Total Duration",
                          "total_distance": "Total Distance", "hsr": "High Speed Distance", "max_velocity": "Maximum Velocity"}}
    outcome = imports.gps_import(team=world.team, file=text, mapping=mapping, by=world.coach)
    assert outcome.ok, outcome.problems


@pytest.mark.parametrize(("velocity", "pain", "ticked"), [("9.50", 0, True), ("9.49", 0, False), ("9.60", 1, False), ("9.60", None, False)])
def test_a_gps_run_at_maximal_speed_with_pain_zero_ticks_the_sprint_item(world, velocity, pain, ticked):
    injury = move_on(move_on(log(world.athlete, world.coach, "grade_1"), "rehab", world.coach), "return_to_training", world.coach)
    MaxVelocity.objects.create(athlete=world.athlete, velocity=D("10"), measured_on=today() - timedelta(days=90), source="coach")
    gps_day(world, velocity)
    services.session_rpe_log(athlete=world.athlete, day=today(), rpe=7, minutes=45, hamstring_pain=pain, by=world.athlete_user)
    check = ClearanceCheck.objects.get(injury=injury, item=pathway.SPRINT)
    assert check.done is ticked


# --- The recurrence watch's reminders ---------------------------------------------------------


def test_each_recurrence_flag_reminds_the_coaches_once_a_week(world, django_capture_on_commit_callbacks):
    from injuries.models import Injury, Phase
    from monitoring import tasks
    from tests.factories import ComplaintFactory, InjuryFactory

    InjuryFactory(complaint=ComplaintFactory(athlete=world.athlete, reported_by=world.coach))
    Injury.objects.update(phase=Phase.CLEARED, cleared_on=today() - timedelta(days=20), classification="grade_1")
    with django_capture_on_commit_callbacks():
        assert tasks.recurrence_watch_remind() == 1  # no Nordic reps for two weeks: the dose is missed
        assert tasks.recurrence_watch_remind() == 1
    reminder = Reminder.objects.get(kind=Kind.RECURRENCE_WATCH)
    assert (reminder.recipient, reminder.athlete) == (world.coach, world.athlete)
    assert "nordic_missed" in reminder.occurrence
    assert kinds.message(reminder)["url"] == reverse("athlete_detail", args=[world.athlete.pk])
