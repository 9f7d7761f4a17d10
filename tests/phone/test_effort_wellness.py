"""The athlete's phone pages of issue 20: a session's effort (session RPE) and the daily wellness
check (phone.views.session_effort, phone.views.wellness_check; docs/load-and-risk.md).

The phone tests run on a fixed Wednesday, 2 December 2026 (tests/phone/conftest.py)."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from monitoring.models import SessionRpe, Wellness
from reminders.models import Kind, Reminder
from tests.factories import AthleteFactory, AthleteUserFactory

WEDNESDAY = date(2026, 12, 2)
MONDAY = date(2026, 11, 30)
EFFORT = reverse("session_effort")
WELLNESS = reverse("wellness_check")
OFFLINE_HEADER = "X-Coachapp-Offline"


def effort(**changes):
    """A session as the form sends it: training today, effort 6, 75 minutes typed."""
    data = {"day": WEDNESDAY.isoformat(), "kind": "training", "label": "", "rpe": "6", "minutes": "75", "hamstring_pain": ""}
    return {**data, **changes}


def answers(**changes):
    """A wellness check as the form sends it: every row answered."""
    return {"sleep": "4", "soreness": "2", "tightness_left": "1", "tightness_right": "0", "mood": "4", **changes}


def checked(body: str, name: str) -> str | None:
    """The value of the radio of `name` checked on the page."""
    for tag in re.findall(r"<input [^>]*>", body):
        if f'name="{name}"' in tag and " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


# --- Session effort ---------------------------------------------------------------------------


def test_the_effort_page_starts_at_today_as_training_with_nothing_chosen(athlete_client):
    response = athlete_client.get(EFFORT)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="day" value="2026-12-02"' in body and 'max="2026-12-02"' in body
    assert checked(body, "kind") == "training" and checked(body, "rpe") is None and checked(body, "minutes_pick") is None
    assert checked(body, "hamstring_pain") == ""  # no answer: a pain of 0 would tick the sprint item
    for words in ['0</span> <span class="effort-word">Rest', '5</span> <span class="effort-word">Hard', '10</span> <span class="effort-word">Maximal']:
        assert words in body
    assert "Nothing logged yet." in body
    assert OFFLINE_HEADER not in response  # not a page the phone keeps for offline use
    assert "offline.js" not in body  # and its script does not queue this form


def test_logging_a_session_shows_its_load_and_the_week_so_far(athlete_client, world):
    SessionRpe.objects.create(athlete=world.athlete, date=MONDAY, kind="match", rpe=8, minutes=90, logged_by="athlete")
    response = athlete_client.post(EFFORT, effort())
    row = SessionRpe.objects.get(date=WEDNESDAY)
    assert response.status_code == 302 and response["Location"] == f"{EFFORT}?saved={row.pk}"
    assert (row.kind, row.label, row.rpe, row.minutes, row.hamstring_pain) == ("training", "", 6, 75, None)
    assert (row.logged_by, row.recorded_by) == ("athlete", world.athlete_user)
    body = athlete_client.get(response["Location"]).content.decode()
    assert ">Saved</h2>" in body and "Updated" not in body
    assert "effort 6 × 75 min = load <strong>450</strong>" in body
    assert "This week so far: load <strong>1170</strong>" in body  # 720 on Monday + 450
    assert reverse("report_create") not in body  # no pain given: nothing to report
    recent = body.split("Your last sessions")[1]
    assert recent.index("Wednesday 2 Dec") < recent.index("Monday 30 Nov")  # newest first
    assert "effort 6 · 75 min · load 450" in recent and "Match" in recent and "load 720" in recent


def test_logging_the_same_session_again_corrects_it_and_says_updated(athlete_client, world):
    athlete_client.post(EFFORT, effort())
    response = athlete_client.post(EFFORT, effort(rpe="7", minutes="", minutes_pick="60"), follow=True)
    row = SessionRpe.objects.get()
    assert (row.rpe, row.minutes) == (7, 60)
    body = response.content.decode()
    assert ">Updated</h2>" in body and "load <strong>420</strong>" in body
    assert "This week so far: load <strong>420</strong>" in body  # the correction replaced the first


def test_a_label_tells_two_sessions_of_one_day_apart(athlete_client):
    athlete_client.post(EFFORT, effort())
    response = athlete_client.post(EFFORT, effort(label="PM", rpe="3", minutes="40"), follow=True)
    assert SessionRpe.objects.count() == 2
    body = response.content.decode()
    assert ">Saved</h2>" in body and "Training PM on Wednesday 2 Dec" in body
    assert "This week so far: load <strong>570</strong>" in body  # 450 + 120


def test_a_session_of_an_earlier_week_shows_that_weeks_load(athlete_client):
    body = athlete_client.post(EFFORT, effort(day="2026-11-24", kind="match", minutes="", minutes_pick="90"),
                               follow=True).content.decode()
    assert "Match on Tuesday 24 Nov" in body and "The week of Monday 23 Nov: load <strong>540</strong>" in body


@pytest.mark.parametrize(("pick", "typed", "minutes"), [("60", "", 60), ("", "70", 70), ("90", "90", 90)])
def test_minutes_come_from_a_quick_pick_or_typed_without_javascript(athlete_client, pick, typed, minutes):
    athlete_client.post(EFFORT, effort(minutes_pick=pick, minutes=typed))
    assert SessionRpe.objects.get().minutes == minutes


def test_hamstring_pain_points_the_athlete_to_their_coach_without_a_diagnosis(athlete_client):
    body = athlete_client.post(EFFORT, effort(hamstring_pain="3"), follow=True).content.decode()
    assert SessionRpe.objects.get().hamstring_pain == 3
    saved = body.split("Your last sessions")[0]
    assert "hamstring pain (3 out of 10)" in saved and f'href="{reverse("report_create")}"' in saved
    for word in ["strain", "tear", "injured", "diagnos"]:
        assert word not in saved.lower()


def test_pain_above_the_limit_tells_the_coach_and_the_athlete_that_it_did(athlete_client, world):
    body = athlete_client.post(EFFORT, effort(hamstring_pain="7"), follow=True).content.decode()
    saved = " ".join(body.split("Your last sessions")[0].split())
    assert "Your coach has been told about this pain (7 out of 10)." in saved
    assert Reminder.objects.filter(kind=Kind.PAIN_ALERT, recipient=world.coach, athlete=world.athlete).count() == 1
    # Pain under the limit: the pointer to the coach, no alert (tested above, 3 out of 10).
    assert "diagnos" not in saved.lower()


def test_no_hamstring_pain_points_nowhere(athlete_client):
    body = athlete_client.post(EFFORT, effort(hamstring_pain="0"), follow=True).content.decode()
    assert SessionRpe.objects.get().hamstring_pain == 0
    assert reverse("report_create") not in body


@pytest.mark.parametrize(("changes", "message"), [
    ({"rpe": "11"}, "Choose how hard it was, from 0 to 10."),
    ({"rpe": "six"}, "Choose how hard it was, from 0 to 10."),
    ({"rpe": ""}, "Choose how hard it was, from 0 to 10."),
    ({"minutes": "0"}, "The minutes must be at least 1."),
    ({"minutes": "601"}, "The minutes can be at most 600."),
    ({"minutes": "an hour"}, "Type the minutes as a whole number, like 70."),
    ({"minutes": ""}, "Choose the minutes, or type them."),
    ({"minutes_pick": "61"}, "Choose one of the minutes shown, or type the minutes."),
    ({"minutes_pick": "60", "minutes": "70"}, "You chose 60 minutes and typed 70: clear one of them."),
    ({"day": ""}, "Choose the date of the session."),
    ({"day": "2026-13-45"}, "Choose the date of the session from the calendar."),
    ({"day": "yesterday"}, "Choose the date of the session from the calendar."),
    ({"day": "2026-12-03"}, "The date 3 December 2026 is in the future."),  # refused by the service
    ({"kind": "sprint"}, "Choose training or match."),
    ({"kind": ""}, "Choose training or match."),
    ({"label": "x" * 41}, "Keep the label to 40 characters or fewer."),
    ({"hamstring_pain": "11"}, "Choose the worst hamstring pain from 0 to 10, or no answer."),
    ({"hamstring_pain": "\x00"}, "Choose the worst hamstring pain from 0 to 10, or no answer."),
])
def test_bad_effort_input_says_what_is_wrong_and_saves_nothing(athlete_client, changes, message):
    response = athlete_client.post(EFFORT, effort(**changes))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not saved: nothing was changed." in body and message in body
    assert not SessionRpe.objects.exists()


def test_an_empty_post_asks_for_every_answer(athlete_client):
    response = athlete_client.post(EFFORT, {})
    body = response.content.decode()
    assert response.status_code == 200 and not SessionRpe.objects.exists()
    for message in ["Choose the date of the session.", "Choose training or match.", "Choose how hard it was", "Choose the minutes"]:
        assert message in body


def test_a_refused_correction_leaves_the_session_as_it_was(athlete_client):
    athlete_client.post(EFFORT, effort())
    response = athlete_client.post(EFFORT, effort(rpe="12"))
    assert response.status_code == 200 and "Not saved" in response.content.decode()
    assert SessionRpe.objects.get().rpe == 6


def test_the_confirmation_of_someone_elses_session_is_not_shown(athlete_client, world):
    theirs = SessionRpe.objects.create(athlete=world.other_athlete, date=WEDNESDAY, rpe=9, minutes=99, logged_by="athlete")
    for saved in [theirs.pk, "x", "1 OR 1=1"]:
        response = athlete_client.get(EFFORT, {"saved": saved})
        assert response.status_code == 200 and ">Saved</h2>" not in response.content.decode()
        assert "99 min" not in response.content.decode()


@time_machine.travel(datetime(2026, 12, 2, 11, 30, tzinfo=UTC))
def test_the_date_is_the_athletes_own_day(client, world):
    """At 11:30 UTC on Wednesday it is already Thursday in Auckland: Thursday is today, not the future."""
    world.athlete_user.time_zone = "Pacific/Auckland"
    world.athlete_user.save()
    client.force_login(world.athlete_user)
    assert 'value="2026-12-03"' in client.get(EFFORT).content.decode()
    assert client.post(EFFORT, effort(day="2026-12-03")).status_code == 302
    assert SessionRpe.objects.get().date == date(2026, 12, 3)


@pytest.mark.parametrize("logged", [1, 12])
def test_the_effort_page_reads_in_a_fixed_number_of_queries(athlete_client, world, django_assert_num_queries, logged):
    for n in range(logged):
        SessionRpe.objects.create(athlete=world.athlete, date=WEDNESDAY - timedelta(days=n), rpe=5, minutes=60, logged_by="athlete")
    saved = SessionRpe.objects.order_by("-date").first()
    # session, user, the athlete, the access log entry, the latest sessions, unread notifications
    with django_assert_num_queries(5):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        athlete_client.get(EFFORT)
    # ... and the session just saved and its week
    with django_assert_num_queries(7):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        body = athlete_client.get(EFFORT, {"saved": saved.pk}).content.decode()
    assert ">Saved</h2>" in body and body.count("effort 5 · 60 min") == min(logged, 5)


def test_a_save_is_a_fixed_number_of_queries(athlete_client, django_assert_num_queries):
    athlete_client.post(EFFORT, effort())
    # session, user, the athlete, is it logged already; the service: its savepoint (2), may the user
    # log it, lock the athlete, update or create (4 with its savepoint), the sprint item's reads (3)
    with django_assert_num_queries(15):
        assert athlete_client.post(EFFORT, effort(rpe="5")).status_code == 302


# --- The wellness check -----------------------------------------------------------------------


def test_the_wellness_check_starts_with_nothing_chosen_in_five_rows(athlete_client):
    response = athlete_client.get(WELLNESS)
    body = response.content.decode()
    assert response.status_code == 200 and OFFLINE_HEADER not in response
    assert body.count('class="question wellness-row"') == 5
    for name in ["sleep", "soreness", "tightness_left", "tightness_right", "mood"]:
        assert checked(body, name) is None
    for words in ["Very poor", "All right", "Very good", "Very low", "Left hamstring tightness", "Right hamstring tightness"]:
        assert words in body
    assert "Thanks" not in body


def test_a_wellness_check_is_saved_and_thanked_without_alarm(athlete_client, world):
    response = athlete_client.post(WELLNESS, answers())
    assert response.status_code == 302 and response["Location"] == f"{WELLNESS}?saved=new"
    row = Wellness.objects.get()
    assert (row.athlete, row.date, row.sleep, row.soreness, row.tightness_left, row.tightness_right, row.mood) == (
        world.athlete, WEDNESDAY, 4, 2, 1, 0, 4)
    body = athlete_client.get(response["Location"]).content.decode()
    assert "Thanks — your coach can see this." in body and "Updated" not in body
    assert [checked(body, n) for n in ["sleep", "soreness", "tightness_left", "tightness_right", "mood"]] == ["4", "2", "1", "0", "4"]


def test_a_wellness_check_done_again_the_same_day_is_corrected(athlete_client):
    athlete_client.post(WELLNESS, answers())
    body = athlete_client.post(WELLNESS, answers(mood="2", tightness_right="3"), follow=True).content.decode()
    row = Wellness.objects.get()
    assert (row.mood, row.tightness_right) == (2, 3)
    assert "Thanks — your coach can see this." in body and "Updated: today's check now has the answers below." in body
    assert checked(body, "mood") == "2" and checked(body, "tightness_right") == "3"


def test_opened_again_once_done_it_shows_todays_answers(athlete_client, world):
    Wellness.objects.create(athlete=world.athlete, date=WEDNESDAY, sleep=2, soreness=5, tightness_left=3, tightness_right=4, mood=3)
    Wellness.objects.create(athlete=world.athlete, date=WEDNESDAY - timedelta(days=1), sleep=5, soreness=0, tightness_left=0,
                            tightness_right=0, mood=5)
    body = athlete_client.get(WELLNESS).content.decode()
    assert "You did today's check" in body and "Thanks" not in body
    assert [checked(body, n) for n in ["sleep", "soreness", "tightness_left", "tightness_right", "mood"]] == ["2", "5", "3", "4", "3"]
    # "?saved=" of a day not done shows no thanks
    Wellness.objects.filter(date=WEDNESDAY).delete()
    assert "Thanks" not in athlete_client.get(WELLNESS, {"saved": "new"}).content.decode()


@pytest.mark.parametrize(("changes", "message"), [
    ({"sleep": "0"}, "Choose how you slept."),
    ({"sleep": "good"}, "Choose how you slept."),
    ({"mood": "6"}, "Choose your mood."),
    ({"soreness": "11"}, "Choose your general soreness, from 0 to 10."),
    ({"soreness": "-1"}, "Choose your general soreness, from 0 to 10."),
    ({"tightness_left": ""}, "Choose how tight the left hamstring is, from 0 to 10."),
    ({"tightness_right": "3.5"}, "Choose how tight the right hamstring is, from 0 to 10."),
])
def test_bad_wellness_answers_say_what_is_wrong_and_save_nothing(athlete_client, changes, message):
    response = athlete_client.post(WELLNESS, answers(**changes))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not saved: nothing was changed." in body and message in body
    assert not Wellness.objects.exists()


def test_a_refused_correction_keeps_the_mornings_answers(athlete_client):
    athlete_client.post(WELLNESS, answers())
    response = athlete_client.post(WELLNESS, answers(mood="9"))
    assert response.status_code == 200 and "Choose your mood." in response.content.decode()
    assert Wellness.objects.get().mood == 4


def test_tightness_rising_two_mornings_running_alerts_the_coach_through_the_page(athlete_client, world, django_capture_on_commit_callbacks):
    for day, left in [(1, "1"), (2, "2"), (3, "4")]:
        with time_machine.travel(datetime(2026, 12, day, 7, 30, tzinfo=UTC)):
            with django_capture_on_commit_callbacks(execute=True):
                response = athlete_client.post(WELLNESS, answers(tightness_left=left), follow=True)
            alerted = Reminder.objects.filter(kind=Kind.TIGHTNESS_RISING).exists()
            assert alerted == (day == 3), day
            body = response.content.decode()
            assert "Thanks — your coach can see this." in body
            page = body.split("<main")[1].split("</main>")[0].lower()
            for word in ["alert", "warning", "worse", "injur", "diagnos"]:
                assert word not in page, word
    assert list(Wellness.objects.values_list("date", "tightness_left")) == [
        (date(2026, 12, 1), 1), (date(2026, 12, 2), 2), (date(2026, 12, 3), 4)]
    alert = Reminder.objects.get(kind=Kind.TIGHTNESS_RISING)
    assert (alert.recipient, alert.athlete) == (world.coach, world.athlete)


@pytest.mark.parametrize("days", [1, 20])
def test_the_wellness_page_reads_in_a_fixed_number_of_queries(athlete_client, world, django_assert_num_queries, days):
    for n in range(days):
        Wellness.objects.create(athlete=world.athlete, date=WEDNESDAY - timedelta(days=n), sleep=3, soreness=1,
                                tightness_left=1, tightness_right=1, mood=3)
    # session, user, the athlete, today's check, the access log entry, unread notifications
    with django_assert_num_queries(5):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        athlete_client.get(WELLNESS, {"saved": "new"})


# --- Who may open them, and the home page's cards -------------------------------------------------


@pytest.mark.parametrize("url", [EFFORT, WELLNESS])
def test_a_coach_or_admin_cannot_log_for_themselves_here(client, world, url):
    for user in [world.coach, world.admin]:
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, effort() if url == EFFORT else answers()).status_code == 403
    assert not SessionRpe.objects.exists() and not Wellness.objects.exists()


@pytest.mark.parametrize("url", [EFFORT, WELLNESS])
def test_an_athlete_account_without_an_athlete_record_finds_nothing(client, db, url):
    client.force_login(AthleteUserFactory())
    assert client.get(url).status_code == 404


def test_each_athlete_logs_only_their_own(client, world):
    client.force_login(world.other_athlete_user)
    client.post(EFFORT, effort())
    client.post(WELLNESS, answers())
    assert SessionRpe.objects.get().athlete == world.other_athlete and Wellness.objects.get().athlete == world.other_athlete


def test_home_links_both_and_says_when_the_morning_check_is_done(athlete_client, world):
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert f'href="{WELLNESS}"' in body and "Morning check (5 taps)" in body and "Done today" not in body
    assert f'href="{EFFORT}"' in body and "How hard was training?" in body and "(log effort)" in body
    # yesterday's check, or a teammate's today, is not today's
    Wellness.objects.create(athlete=world.athlete, date=WEDNESDAY - timedelta(days=1), sleep=3, soreness=1,
                            tightness_left=1, tightness_right=1, mood=3)
    Wellness.objects.create(athlete=world.other_athlete, date=WEDNESDAY, sleep=3, soreness=1, tightness_left=1,
                            tightness_right=1, mood=3)
    assert "Done today" not in athlete_client.get(reverse("athlete_home")).content.decode()
    athlete_client.post(WELLNESS, answers())
    response = athlete_client.get(reverse("athlete_home"))
    assert "Done today" in response.content.decode() and response[OFFLINE_HEADER] == "athlete"


def test_another_team_athletes_records_stay_out_of_the_page(client, world):
    stranger = AthleteFactory(team=world.other_team, first_name="Kim", last_name="Lee")
    SessionRpe.objects.create(athlete=stranger, date=WEDNESDAY, rpe=9, minutes=99, logged_by="coach")
    client.force_login(world.athlete_user)
    assert "99 min" not in client.get(EFFORT).content.decode()
