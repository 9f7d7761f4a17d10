"""The coach's own pages: the home page's reports and availability, the roster's injury status,
and the athlete page's training (issue 16). Each list page in a fixed number of queries."""

import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from athletes.models import AccessLog
from injuries import examples
from injuries import services as injury_services
from phone import services as phone_services
from programmes.services import programme_assign, session_complete, session_morning_report
from tests.factories import AthleteFactory, ComplaintFactory, InjuryFactory, TeamFactory, library_template, move_on

TODAY = date(2026, 3, 11)  # a Wednesday
ENUM_CODES = re.compile(r"\b(grade_[123]|return_to_training|if_not_improving|not_needed|doms|cramp)\b")


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 11, 10)), tick=False):
        yield


def _text(response) -> str:
    """What a person reads: the body without its tags and attributes."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.fixture
def squad(world):
    """One athlete per status: fit (the world's athlete), in rehab, back to training, waiting for
    a doctor, on a minor episode; an archived one and another team's, who never count."""
    rehab = AthleteFactory(team=world.team, last_name="Rehab")
    move_on(InjuryFactory(complaint__athlete=rehab, complaint__answers={"pain_score": 6}), "rehab", world.coach)
    back = AthleteFactory(team=world.team, last_name="Back")
    move_on(move_on(InjuryFactory(complaint__athlete=back), "rehab", world.coach), "return_to_training", world.coach)
    waiting = AthleteFactory(team=world.team, last_name="Waiting")
    InjuryFactory(complaint__athlete=waiting, complaint__answers={"swelling": "severe"})  # grade 3, urgent
    lighter = AthleteFactory(team=world.team, last_name="Lighter")
    injury_services.complaint_log(athlete=lighter, logged_by=world.coach, answers=examples.typed_answers("doms"))
    archived = AthleteFactory(team=world.team, last_name="Archived", archived_at=timezone.now())
    InjuryFactory(complaint__athlete=archived)
    InjuryFactory(complaint__athlete=AthleteFactory(team=world.other_team))
    return {"rehab": rehab, "back": back, "waiting": waiting, "lighter": lighter}


# --- Home ------------------------------------------------------------------------------------------


def _counts(rows) -> dict:
    return {row["status"]: row["count"] for row in rows}


def test_home_counts_availability_by_the_boards_rule_across_teams_and_per_team(coach_client, world, squad):
    second = TeamFactory(coaches=[world.coach], name="Second")
    InjuryFactory(complaint__athlete=AthleteFactory(team=second))
    AthleteFactory(team=second)
    response = coach_client.get(reverse("home"))
    # Fit and the teammate; rehab and waiting (out); back to training and the minor episode (modified).
    assert _counts(response.context["availability"]) == {"available": 3, "modified": 2, "unavailable": 3}
    teams = {team.name: _counts(team.availability) for team in response.context["teams"]}
    assert teams == {"Alpha": {"available": 2, "modified": 2, "unavailable": 2},
                     "Second": {"available": 1, "modified": 0, "unavailable": 1}}
    text = _text(response)
    assert "3 available" in text and "2 modified training" in text and "3 unavailable" in text
    assert f'href="{reverse("availability_board")}?team=all"' in response.content.decode()
    assert f'href="{reverse("availability_board")}?team={second.pk}"' in response.content.decode()


def test_home_says_how_many_waiting_reports_are_urgent_and_links_the_inbox(coach_client, world):
    ComplaintFactory(athlete=world.athlete, pending=True)
    ComplaintFactory(athlete=world.other_athlete, pending=True, answers={"walking_difficulty_ongoing": True})
    response = coach_client.get(reverse("home"))
    notice = re.search(r'<p class="card notice notice-urgent" id="reports-waiting">(.*?)</p>', response.content.decode(), re.S)
    assert notice, "the notice is styled as urgent"
    assert f'<a href="{reverse("complaint_inbox")}"><strong>2 athlete reports waiting</strong>, <strong class="urgent-count">1 urgent</strong>' in notice.group(1)


def test_home_without_urgent_reports_is_not_styled_urgent(coach_client, world):
    ComplaintFactory(athlete=world.athlete, pending=True)
    body = coach_client.get(reverse("home")).content.decode()
    assert "1 athlete report waiting</strong>" in body
    assert "notice-urgent" not in body and "urgent-count" not in body


@pytest.mark.parametrize("size", [5, 60])
def test_home_query_count_is_flat(client, world, django_assert_num_queries, size):
    team = TeamFactory(coaches=[world.coach])
    athletes = AthleteFactory.create_batch(size, team=team)
    for athlete in athletes[: size // 5]:
        InjuryFactory(complaint__athlete=athlete)
    ComplaintFactory(athlete=athletes[-1], pending=True)
    client.force_login(world.coach)
    # session, user (with the header's unread count, reminders/backends.py), reports waiting, the
    # squad each with their open injury or episode (injuries/selectors.py with_board_record), teams
    # with their counts, pain alerts
    with django_assert_num_queries(6):
        assert client.get(reverse("home")).status_code == 200


# --- Roster ----------------------------------------------------------------------------------------


def test_roster_says_each_athletes_injury_status_in_plain_words(coach_client, world, squad):
    response = coach_client.get(reverse("roster"))
    words = {athlete.last_name: athlete.roster_status.words for athlete in response.context["page"].object_list}
    assert words[world.athlete.last_name] == "Fit"
    assert words["Rehab"] == "Grade 2 strain — rehab"
    assert words["Back"] == "Grade 1 strain — return to training"
    assert words["Waiting"] == "Grade 3 strain — protect, waiting for a doctor"
    assert words["Lighter"] == "Delayed-onset muscle soreness — training lighter"
    kinds = {athlete.last_name: athlete.roster_status.kind for athlete in response.context["page"].object_list}
    assert kinds == {world.athlete.last_name: "available", world.other_athlete.last_name: "available",
                     "Rehab": "unavailable", "Back": "modified", "Waiting": "unavailable", "Lighter": "modified"}
    text = _text(response)
    assert "Grade 2 strain — rehab" in text
    assert not ENUM_CODES.search(text), ENUM_CODES.search(text)


@pytest.mark.calendar  # the athlete page, board and roster read today's date
def test_the_roster_says_when_a_report_waiting_for_its_coach_holds_the_athlete(coach_client, world):
    """The board's rule (injuries/selectors.py record_status): a possible strain holds the athlete's
    work until a coach has looked, so the roster says so rather than "Fit"."""
    injury_services.complaint_report(athlete=world.athlete, reported_by=None, answers=examples.typed_answers("grade_1"))
    injury_services.complaint_report(athlete=world.other_athlete, reported_by=None, answers=examples.typed_answers("doms"))
    page = coach_client.get(reverse("roster")).context["page"]
    shown = {a.pk: (a.roster_status.words, a.roster_status.kind) for a in page.object_list}
    assert shown[world.athlete.pk] == ("Report waiting", "unavailable")
    assert shown[world.other_athlete.pk] == ("Report waiting", "modified")


@pytest.mark.calendar  # the athlete page, board and roster read today's date
@pytest.mark.parametrize("classification, words", [("grade_1", "their sessions have gentle holds only"), ("doms", "no step up")])
def test_the_athlete_page_says_a_report_waiting_sets_the_sessions(coach_client, world, classification, words):
    injury_services.complaint_report(athlete=world.athlete, reported_by=None, answers=examples.typed_answers(classification))
    body = coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])).content.decode()
    assert f'<a href="{reverse("complaint_inbox")}" id="report-hold">A report from {escape(world.athlete.first_name)} is waiting for you</a>: until you review it, {words}.' in body


def test_a_cleared_injury_leaves_the_athlete_fit(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    for phase in ("rehab", "return_to_training", "cleared"):
        move_on(injury, phase, world.coach)
    page = coach_client.get(reverse("roster")).context["page"]
    assert {a.pk: a.roster_status.words for a in page.object_list}[world.athlete.pk] == "Fit"


def test_the_roster_with_statuses_is_logged_as_health_data(coach_client, world):
    coach_client.get(reverse("roster"), {"team": world.team.pk})
    assert list(AccessLog.objects.values_list("action", "team_id", "record")) == [
        ("view_roster", world.team.pk, f"roster:{world.team.pk}")
    ]


def test_the_htmx_results_carry_the_status_too(coach_client, world, squad):
    response = coach_client.get(reverse("roster"), {"q": "Rehab"}, headers={"HX-Request": "true"})
    assert "Grade 2 strain — rehab" in response.content.decode()


@pytest.mark.parametrize("size", [5, 120])
def test_roster_with_statuses_query_count_is_flat(client, world, django_assert_num_queries, size):
    team = TeamFactory(coaches=[world.coach])
    athletes = AthleteFactory.create_batch(size, team=team)
    for athlete in athletes[: size // 4]:
        InjuryFactory(complaint__athlete=athlete)
    client.force_login(world.coach)
    # session, user (with the unread count), team choices, the page with its total and each status
    # (subqueries), the access log row
    with django_assert_num_queries(5):
        response = client.get(reverse("roster"))
    assert sum(a.roster_status.words != "Fit" for a in response.context["page"].object_list) >= 1


# --- The athlete page -------------------------------------------------------------------------------


def _on_the_nordic_programme(world, start=TODAY):
    programme_assign(
        template=library_template(), athletes=[world.athlete], start_date=start, weekdays=[0, 2, 4],
        assigned_by=world.coach,
    )


def test_athlete_page_shows_the_programme_its_phase_and_the_next_session(coach_client, world):
    _on_the_nordic_programme(world)
    move_on(InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"pain_score": 6}), "rehab", world.coach)
    response = coach_client.get(reverse("athlete_detail", args=[world.athlete.pk]))
    body, text = response.content.decode(), _text(response)
    programme_url = reverse("athlete_programme", args=[world.athlete.pk])
    assert f'<a href="{programme_url}">Nordic prevention, 10 weeks</a>' in body
    assert "Mon, Wed, Fri" in text
    assert "Rehab: strength work back. Nordic curls not for now." in text
    session = response.context["next_session"]
    assert session.date == TODAY  # Wednesday: today's session is the next one
    assert f'<a href="{programme_url}?month=2026-03">Today: {session.title}</a>' in body
    assert not ENUM_CODES.search(text), ENUM_CODES.search(text)


def test_athlete_page_without_a_programme_says_so(coach_client, world):
    text = _text(coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])))
    assert "Current programme None assigned yet." in text
    assert "Prevention: no open injury, full strength work. Nordic curls allowed." in text
    assert "Next session None planned." in text


def test_a_finished_programme_is_named_as_the_last_one(coach_client, world):
    with time_machine.travel(timezone.make_aware(timezone.datetime(2025, 6, 2, 10)), tick=False):
        _on_the_nordic_programme(world, start=date(2025, 6, 2))
    text = _text(coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])))
    assert "None now: Nordic prevention, 10 weeks ended on" in text


def test_the_injury_strip_is_an_image_without_links_inside(coach_client, world):
    """axe's nested-interactive: links live in the list below the strip, not in the image."""
    with time_machine.travel(timezone.make_aware(timezone.datetime(2025, 9, 1, 10)), tick=False):
        old = InjuryFactory(complaint__athlete=world.athlete)
    InjuryFactory(complaint__athlete=world.athlete)
    body = coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])).content.decode()
    strip = body[body.index('<svg role="img" aria-labelledby="strip-title"'):body.index("</svg>")]
    assert "<a " not in strip and "tabindex" not in strip
    assert f'href="{reverse("injury_detail", args=[old.pk])}"' in body  # still one tap away, in the list
    labels = re.findall(r'class="tl-tick[^"]*" text-anchor="(?:start|middle|end)">([A-Z][a-z]{2} \d{4})<', strip)
    assert labels and len(labels) == len(set(labels))  # month labels, each month once


@pytest.mark.parametrize("injuries", [1, 8])
def test_athlete_page_query_count_is_flat(client, world, django_assert_num_queries, injuries):
    _on_the_nordic_programme(world)
    for _ in range(injuries):
        InjuryFactory(complaint__athlete=world.athlete)
    today = world.athlete.scheduled_sessions.order_by("date").first()
    session_complete(session=today, worst_pain=2, sharp_pain=False)
    for pain in range(3, 3 + injuries):  # 1 or 8 kept answers
        _kept_finish(world, today, key=f"k{pain}", pain=pain, sharp=False)
    client.force_login(world.coach)
    # session, user, the athlete, the access log row, the open invitation, the assignments, the
    # next session, the gating rule's four (open injuries, their checks, episodes, an urgent
    # report), the phone's kept answers with their sessions, the injuries, unread notifications,
    # the open episodes; and monitoring's one load for the risk checklist and the watch (6: the
    # athlete with their maximal velocity, last near-maximal run and earlier injuries, GPS rows,
    # strains (the cleared ones counted), the sessions with their Nordic reps, Nordic tests with
    # the asymmetry limit, the mornings), the same in the recurrence window or not
    # (tests/monitoring/test_athlete_pages.py).
    with django_assert_num_queries(20):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        assert client.get(reverse("athlete_detail", args=[world.athlete.pk])).status_code == 200


# --- Pain answers the phone sent that no session took (docs/architecture.md#the-phone-offline) ----


def _kept_finish(world, session, *, key, pain, sharp):
    """A finish sent from the phone's queue after the session was finished elsewhere: kept."""
    answer = phone_services.session_finish_once(user=world.athlete_user, key=key, session=session, worst_pain=pain,
                                                sharp_pain=sharp, version="", fingerprint_=key)
    assert answer.outcome == "kept"


def test_the_coach_reads_a_kept_pain_answer_beside_the_session(coach_client, world):
    _on_the_nordic_programme(world)
    session = world.athlete.scheduled_sessions.order_by("date").first()
    session_complete(session=session, worst_pain=2, sharp_pain=False)
    _kept_finish(world, session, key="late", pain=7, sharp=True)
    response = coach_client.get(reverse("athlete_detail", args=[world.athlete.pk]))
    text = _text(response)
    assert "Pain answers from the phone that no session took" in text
    assert "Also reported from the phone (finishing a session): worst pain 7 of 10, sharp." in text
    assert "not applied to the session." in text
    assert "This session was already finished (pain 2 of 10)" in text  # why, as the phone said it
    assert f'?month={session.date:%Y-%m}' in response.content.decode()  # the session, one tap away
    assert not ENUM_CODES.search(text), ENUM_CODES.search(text)


def test_a_kept_morning_check_in_is_in_words_too(coach_client, world):
    _on_the_nordic_programme(world)
    session = world.athlete.scheduled_sessions.order_by("date").first()
    session_complete(session=session, worst_pain=2, sharp_pain=False)
    session_morning_report(session=session, feeling="same", pain=2)
    answer = phone_services.session_morning_once(user=world.athlete_user, key="m", session=session, feeling="worse",
                                                 pain=6, fingerprint_="m")
    assert answer.outcome == "kept"
    text = _text(coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])))
    assert "Also reported from the phone (next-morning check-in): the next morning worse than the day before, pain 6 of 10." in text


def test_no_kept_answers_no_section(coach_client, world):
    _on_the_nordic_programme(world)
    assert "from the phone" not in _text(coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])))


def test_another_athletes_kept_answer_is_not_shown(coach_client, world):
    other = AthleteFactory(team=world.team)
    _on_the_nordic_programme(world)
    session = world.athlete.scheduled_sessions.order_by("date").first()
    session_complete(session=session, worst_pain=2, sharp_pain=False)
    _kept_finish(world, session, key="late", pain=7, sharp=False)
    assert "from the phone" not in _text(coach_client.get(reverse("athlete_detail", args=[other.pk])))
