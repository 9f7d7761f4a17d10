import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from programmes import services
from programmes.models import ScheduledSession, SetLog
from tests.factories import InjuryFactory, assigned_session, library_template

# Every test here reads today's date (sessions start today, the home shows this week): a fixed
# Wednesday, so that the suite passes on any day of the week.
WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


def _first_set_url(session):
    item = session.exercises.order_by("order").first()
    return item, reverse("set_log", args=[item.pk, 1])


def test_home_shows_todays_session_with_dose_cues_and_a_start_button(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert "Today's session" in body
    assert "Dumbbell Romanian deadlift" in body and "3 × 8–12" in body
    assert "Dumbbells slide down the thighs" in body  # the cues
    assert reverse("session_detail", args=[session.pk]) in body
    assert reverse("report_create") in body


def test_home_shows_the_next_session_with_its_date_and_the_injury_in_plain_words(athlete_client, world):
    InjuryFactory(complaint__athlete=world.athlete)
    assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=3))
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert "Next session:" in body
    assert "Protect: let it settle" in body and "Expected back between" in body


def test_one_tap_logs_the_set_as_prescribed_and_a_retry_saves_it_once(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item, url = _first_set_url(session)
    for _ in range(2):  # the retried tap
        response = athlete_client.post(url, headers={"HX-Request": "true"})
        assert response.status_code == 200
    log = SetLog.objects.get()
    assert (log.prescribed, log.set_number, log.reps, log.load_kg, log.note) == (item, 1, item.reps_min, None, "")
    body = response.content.decode()
    assert body.lstrip().startswith(f'<li class="set set-done" id="set-{item.pk}-1"') and "Saved" in body


def test_a_tap_is_a_handful_of_queries_and_a_retry_moves_the_logged_time(athlete_client, world, django_assert_num_queries):
    item, url = _first_set_url(assigned_session(world.athlete, world.coach))
    athlete_client.post(url, headers={"HX-Request": "true"})
    first = SetLog.objects.get().logged_at
    # session, user, the set's exercise (with its session and rung); in the transaction: lock the
    # athlete, lock and re-read the prescription with its session, read the exercise's logged
    # sets (for the load a tap keeps), update the log (an insert on the first tap, which also adds
    # to the session's totals: programmes/services/totals.py; a retry changes no total); the
    # savepoint and its release
    with django_assert_num_queries(9):
        athlete_client.post(url, headers={"HX-Request": "true"})
    assert SetLog.objects.get().logged_at > first


def test_changing_a_set_records_what_was_done_beside_the_target(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item, url = _first_set_url(session)
    athlete_client.post(url, {"reps": "6", "load": "12.5"}, headers={"HX-Request": "true"})
    log = SetLog.objects.get()
    assert (log.reps, log.load_kg, item.reps_min) == (6, Decimal("12.5"), 8)


@pytest.mark.parametrize("data, message", [({"reps": "-1"}, "reps"), ({"reps": "lots"}, "reps"), ({"load": "x" * 80}, "Load")])
def test_bad_set_input_says_what_is_wrong_and_saves_nothing(athlete_client, world, data, message):
    item, url = _first_set_url(assigned_session(world.athlete, world.coach))
    body = athlete_client.post(url, data, headers={"HX-Request": "true"}).content.decode()
    assert message in body and not SetLog.objects.exists()


def test_sets_beyond_the_prescription_or_after_finishing_are_refused(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    item, _ = _first_set_url(session)
    body = athlete_client.post(reverse("set_log", args=[item.pk, 9]), headers={"HX-Request": "true"})
    assert body.status_code == 404 and not SetLog.objects.exists()
    services.session_complete(session=session, worst_pain=1, sharp_pain=False)
    body = athlete_client.post(reverse("set_log", args=[item.pk, 1]), headers={"HX-Request": "true"}).content.decode()
    assert "finished" in body and not SetLog.objects.exists()


def test_another_athletes_set_is_not_found(client, world):
    item, url = _first_set_url(assigned_session(world.athlete, world.coach))
    client.force_login(world.other_athlete_user)
    assert client.post(url).status_code == 404
    assert not SetLog.objects.exists()


def test_finishing_with_pain_6_moves_down_and_the_coach_is_alerted(athlete_client, client, world):
    session = assigned_session(world.athlete, world.coach)
    response = athlete_client.post(reverse("session_finish", args=[session.pk]), {"worst_pain": "6", "sharp_pain": "False"}, follow=True)
    assert "Your coach has been told" in response.content.decode()
    session.refresh_from_db()
    assert session.completed_at and session.worst_pain == 6
    client.force_login(world.coach)
    assert "Needs your attention" in client.get(reverse("home")).content.decode()


def test_finish_without_answers_explains(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    response = athlete_client.post(reverse("session_finish", args=[session.pk]), {"worst_pain": "11"}, follow=True)
    assert "Choose your worst pain" in response.content.decode()
    session.refresh_from_db()
    assert session.completed_at is None


def test_the_morning_after_the_home_asks_how_it_feels(client, world):
    session = assigned_session(world.athlete, world.coach)
    services.session_complete(session=session, worst_pain=2, sharp_pain=False)
    client.force_login(world.athlete_user)
    assert "Morning check-in" not in client.get(reverse("athlete_home")).content.decode()  # same day
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        client.force_login(world.athlete_user)
        assert "Morning check-in" in client.get(reverse("athlete_home")).content.decode()
        client.post(reverse("session_morning", args=[session.pk]), {"feeling": "worse", "pain": "4"})
        session.refresh_from_db()
        assert (session.next_morning, session.next_morning_pain) == ("worse", 4)
        assert session.decisions.filter(decision="regress").exists()
        assert "Morning check-in" not in client.get(reverse("athlete_home")).content.decode()


def test_history_shows_done_against_target_and_a_pain_sparkline(athlete_client, world):
    for days_ago, pain in ((2, 2), (1, 5), (0, 3)):  # three days running: one session a day
        session = assigned_session(world.athlete, world.coach, start=timezone.localdate() - timedelta(days=days_ago))
        item, url = _first_set_url(session)
        athlete_client.post(url, {"reps": "7"})
        services.session_complete(session=session, worst_pain=pain, sharp_pain=False)
    body = athlete_client.get(reverse("athlete_history")).content.decode()
    assert "<polyline" in body and "2, 5, 3 out of 10" in body
    assert "3 × 8–12" in body and "7, –, –" in body


def test_calendar_feed_lists_exactly_the_athletes_sessions(client, world):
    assigned_session(world.athlete, world.coach, template=library_template())
    assigned_session(world.other_athlete, world.coach)
    token = services.calendar_token_regenerate(athlete=world.athlete)
    response = client.get(reverse("calendar_feed", args=[token]))
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    mine = ScheduledSession.objects.filter(athlete=world.athlete)
    assert sorted(str(e["uid"]) for e in events) == sorted(f"session-{s.pk}@coachapp" for s in mine)
    assert {e.decoded("dtstart") for e in events} == {s.date for s in mine}
    assert "pain" not in response.content.decode().lower()


def test_a_revoked_or_replaced_feed_link_is_gone(athlete_client, world):
    athlete_client.post(reverse("calendar_settings"), {"action": "regenerate"})
    world.athlete.refresh_from_db()
    old = world.athlete.calendar_token
    assert athlete_client.get(reverse("calendar_feed", args=[old])).status_code == 200
    athlete_client.post(reverse("calendar_settings"), {"action": "regenerate"})
    assert athlete_client.get(reverse("calendar_feed", args=[old])).status_code == 404
    athlete_client.post(reverse("calendar_settings"), {"action": "revoke"})
    world.athlete.refresh_from_db()
    assert world.athlete.calendar_token is None
    assert athlete_client.get(reverse("calendar_feed", args=["None"])).status_code == 404


@pytest.mark.parametrize("path", ["/calendar/%00.ics", "/calendar/a%00b.ics", "/calendar/%C3%A9.ics", "/calendar/a.b.ics"])
def test_a_feed_link_that_cannot_be_a_token_is_not_found(client, world, path):
    """Tokens are URL-safe base64; a NUL byte used to reach the database and fail there."""
    services.calendar_token_regenerate(athlete=world.athlete)
    assert client.get(path).status_code == 404


def test_manifest_and_service_worker_cache_only_the_static_shell(client, db):
    manifest = json.loads(client.get(reverse("webmanifest")).content)
    assert manifest["display"] == "standalone" and {"192x192", "512x512"} <= {i["sizes"] for i in manifest["icons"]}
    worker = client.get(reverse("service_worker"))
    assert worker["Content-Type"].startswith("application/javascript")
    shell = worker.content.decode().split("const SHELL = [")[1].split("];")[0]
    assert all(path.strip().strip('",').startswith("/static/") for path in shell.strip().splitlines())


@pytest.mark.parametrize("weeks", [1, 30])
def test_home_query_count_is_flat(client, world, django_assert_num_queries, weeks):
    from programmes.services import programme_assign

    # Wednesday is one of the chosen weekdays: today has a session whatever day the suite runs.
    programme_assign(template=library_template(), athletes=[world.athlete], start_date=timezone.localdate(),
                     weekdays=[0, 2, 4], assigned_by=world.coach)
    ScheduledSession.objects.filter(athlete=world.athlete, week__gt=weeks).delete()
    # a finished session yesterday, so that the morning check-in shows too
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        services.session_complete(session=assigned_session(world.athlete, world.coach), worst_pain=1, sharp_pain=False)
    # an open injury: the injury card and the gating note have something to show
    InjuryFactory(complaint__athlete=world.athlete)
    client.force_login(world.athlete_user)
    # session, user (with the unread count), athlete (with the open episodes' end and whether
    # today's wellness check is done), this week's and yesterday's sessions, the focus session's
    # exercises, the open injuries, the athlete's reports (latest and urgent ones), the access log
    # entry. 11 before: the home lists no sets (no set logs read), and the episodes and the
    # wellness check come with the athlete (phone/selectors.py home_athlete).
    with django_assert_num_queries(8):
        body = client.get(reverse("athlete_home")).content.decode()
    assert "Morning check-in" in body and "Start today's session" in body
