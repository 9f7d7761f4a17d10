"""An athlete's load, exposure and risk page for their coach, its two forms, and the summary on
the athlete's page (monitoring/views/athlete.py; docs/load-and-risk.md)."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from athletes.models import AccessLog
from injuries.models import Injury, Phase
from monitoring import measures as m
from monitoring.models import GpsRow, MaxVelocity, PriorInjury
from programmes.models import Assignment, Exercise, PrescribedExercise, ScheduledSession, SetLog
from programmes.services import session_totals_refresh
from testing.models import TestResult, TestType
from tests.factories import ComplaintFactory, InjuryFactory, library_template

pytestmark = pytest.mark.calendar

ENUM_CODES = re.compile(r"\b(?:sprint_missing|sprint_spike|nordic_missed|previous_injury|eccentric_strength|nordic_dose|sprint_exposure|unknown)\b")


def today() -> date:
    return timezone.localdate()


def monday(weeks_ago: int) -> date:
    return m.week_of(today()) - timedelta(weeks=weeks_ago)


def _text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def returned(athlete, coach, days_ago=20):
    """A hamstring strain cleared ``days_ago`` days ago."""
    InjuryFactory(complaint=ComplaintFactory(athlete=athlete, reported_by=coach))
    Injury.objects.filter(athlete=athlete).update(phase=Phase.CLEARED, cleared_on=today() - timedelta(days=days_ago),
                                                  classification="grade_1")


def gps(athlete, day, hsr, velocity="8.0", label=""):
    return GpsRow.objects.create(athlete=athlete, date=day, session_label=label, minutes=60, total_distance_m=5000,
                                 hsr_m=hsr, max_velocity=D(velocity))


def hsr_weeks(athlete, weeks: dict):
    """{weeks ago: metres}, one GPS row on the Tuesday of each week (today's Monday for this week)."""
    for ago, metres in weeks.items():
        gps(athlete, monday(ago) + timedelta(days=0 if ago == 0 else 1), metres)


def nordic_reps(athlete, coach, reps_by_week: dict):
    """{weeks ago: reps}: one session on the Wednesday of each week with a logged Nordic set."""
    assignment = Assignment.objects.create(athlete=athlete, template=library_template(), start_date=monday(max(reps_by_week)),
                                           weekdays=[2], phase="prevention", assigned_by=coach)
    exercise = Exercise.objects.filter(family="nordic").order_by("rung").first()
    for ago, reps in reps_by_week.items():
        session = ScheduledSession.objects.create(assignment=assignment, athlete=athlete, date=monday(ago) + timedelta(days=2), week=1)
        prescribed = PrescribedExercise.objects.create(session=session, order=1, exercise=exercise, family="nordic",
                                                       sets=1, reps_min=reps, reps_max=reps)
        SetLog.objects.create(prescribed=prescribed, set_number=1, reps=reps)
        session_totals_refresh([session.pk])  # as the services do after a write


def nordic_test(athlete, days_ago, left, right):
    TestResult.objects.create(athlete=athlete, test_type=TestType.objects.get(key="nordic"),
                              tested_on=today() - timedelta(days=days_ago), left=left, right=right)


@pytest.fixture
def back_from_injury(world):
    return make_back_from_injury(world)


def make_back_from_injury(world):
    """The world's athlete, 20 days after a strain cleared: every section has something to show.

    - GPS: 400 m of high-speed running a week for weeks 9 to 2 ago, 700 m last week (1.75× the
      average: a spike), 300 m so far this week; the maximal velocity 9.50 m/s (GPS), the last run
      at 90% of it (8.60 m/s) 12 days ago: sprint exposure missing.
    - Nordic reps 30 a week, then 20 and 12 in the last two weeks; Nordic 250 N left, 300 N right
      ten days ago (under 256 N on the left, 16.7% asymmetry).
    - Born in 1998 (28), and an earlier right strain entered by a coach.
    """
    athlete = world.athlete
    athlete.date_of_birth = date(1998, 5, 1)
    athlete.save(update_fields=["date_of_birth"])
    returned(athlete, world.coach)
    MaxVelocity.objects.create(athlete=athlete, velocity=D("9.50"), measured_on=today() - timedelta(days=40), source="gps")
    hsr_weeks(athlete, {**{ago: 400 for ago in range(2, 10)}, 1: 700, 0: 300})
    gps(athlete, today() - timedelta(days=12), 0, velocity="8.60", label="sprints")
    nordic_reps(athlete, world.coach, {6: 30, 5: 30, 4: 30, 3: 30, 2: 20, 1: 12})
    nordic_test(athlete, 10, 250, 300)
    PriorInjury.objects.create(athlete=athlete, approx_date=date(2024, 3, 1), side="right", grade="2", notes="Sprinting")
    return athlete


def load_page(client, athlete):
    return client.get(reverse("athlete_load", args=[athlete.pk]))


# --- The page -------------------------------------------------------------------------------------


def test_the_recurrence_watch_shows_each_flag_with_its_reason_and_source(coach_client, world, back_from_injury):
    response = load_page(coach_client, back_from_injury)
    assert response.status_code == 200
    watch = response.context["watch"]
    assert watch["returned_on"] == today() - timedelta(days=20) and watch["watch_ends"] == today() + timedelta(days=40)
    assert {flag.key for flag in watch["flags"]} == {"asymmetry", "nordic_missed", "sprint_missing", "sprint_spike"}
    text = _text(response)
    section = text[text.index("Recurrence watch"):text.index("High-speed running Each")]
    assert f"Returned on {date_format(today() - timedelta(days=20))}; watched until {date_format(today() + timedelta(days=40))}." in section
    assert "Asymmetry past the limit : Nordic asymmetry 16.7%" in section
    assert "Nordic dose missed : Under 30 Nordic reps in each of the last 2 weeks." in section
    assert "Sprint exposure missing : Last run at 90% of maximal velocity 12 days ago." in section
    assert "High-speed running spike : 700 m of high-speed running is 1.8× the 4-week average of 400 m, above the 1.5× limit." in section
    assert "Source: Malone 2017" in section and "Source: Duhig 2016" in section
    assert not ENUM_CODES.search(text), ENUM_CODES.search(text)


def test_nothing_flagged_in_the_watch_says_so(coach_client, world):
    returned(world.athlete, world.coach)
    nordic_reps(world.athlete, world.coach, {2: 30, 1: 30})
    text = _text(load_page(coach_client, world.athlete))
    assert "Nothing flagged." in text


def test_outside_the_watch_the_panel_says_there_is_nothing_to_watch(coach_client, world):
    returned(world.athlete, world.coach, days_ago=61)
    response = load_page(coach_client, world.athlete)
    assert response.context["watch"] is None
    assert "Not in the two months after a return" in _text(response)


def test_high_speed_running_shows_six_weeks_against_the_average(coach_client, world, back_from_injury):
    response = load_page(coach_client, back_from_injury)
    weeks = response.context["exposure"]["hsr"]
    assert [week.week for week in weeks] == [monday(n) for n in range(5, -1, -1)]
    last, this = weeks[-2], weeks[-1]
    assert (last.distance, last.baseline, last.ratio, last.spike) == (D(700), D(400), D("1.8"), True)
    assert (this.distance, this.baseline, this.ratio, this.spike) == (D(300), D("475.0"), D("0.6"), False)
    body = response.content.decode()
    row = body[body.index(f'data-week="{monday(1):%Y-%m-%d}"'):]
    row = row[:row.index("</tr>")]
    assert "700 m" in row and "400 m" in row and "1.8×" in row and "⚠ Spike" in row and 'class="row-warn"' in body


def test_a_week_without_enough_history_says_so_in_words(coach_client, world):
    hsr_weeks(world.athlete, {2: 400, 1: 500})
    response = load_page(coach_client, world.athlete)
    text = _text(response)
    assert "not enough history" in text
    assert "Not enough history: GPS data in 1 of the previous 4 weeks, so no spike is judged." in text
    assert "no GPS data" in text
    assert not any(week.spike for week in response.context["exposure"]["hsr"])


def test_near_maximal_speed_shows_the_velocity_its_source_and_the_days_since(coach_client, world, back_from_injury):
    response = load_page(coach_client, back_from_injury)
    seen = response.context["exposure"]["exposure"]
    assert seen.days_since == 12 and seen.flagged
    text = _text(response)
    section = text[text.index("Near-maximal speed"):text.index("Enter a maximal velocity")]
    assert "9.50 m/s (best on gps," in section.lower()
    assert "Days since 12 days" in section
    assert "⚠ Sprint exposure missing Last run at 90% of maximal velocity 12 days ago. 10 days or more without one after an injury is flagged." in section


def test_without_a_maximal_velocity_the_page_asks_for_one(coach_client, world):
    text = _text(load_page(coach_client, world.athlete))
    assert "None recorded: enter one below, or import GPS data." in text
    assert "No maximal velocity recorded: enter one, or import GPS data." in text


def test_the_dose_sits_beside_the_latest_force_with_its_flags(coach_client, world, back_from_injury):
    response = load_page(coach_client, back_from_injury)
    dose = response.context["exposure"]["dose"]
    assert dose.weeks == tuple((monday(n), reps) for n, reps in zip(range(6, 0, -1), [30, 30, 30, 30, 20, 12]))
    assert dose.under_dose and not dose.not_stronger
    text = _text(response)
    section = text[text.index("Nordic dose and strength"):text.index("Risk profile")]
    assert "Latest Nordic force 250 N left, 300 N right" in section
    assert "Under the protective dose ⚠ Flagged" in section
    assert "Doing the dose, not getting stronger Not flagged" in section
    assert "12 Nordic reps last week, under the protective 30 a week." in section


def test_doing_the_dose_without_getting_stronger_is_flagged_with_its_reason(coach_client, world):
    nordic_reps(world.athlete, world.coach, {n: 30 for n in range(1, 7)})
    nordic_test(world.athlete, 60, 300, 300)  # before the six weeks
    nordic_test(world.athlete, 10, 290, 300)  # within them: no stronger on either leg
    response = load_page(coach_client, world.athlete)
    assert response.context["exposure"]["dose"].not_stronger
    text = _text(response)
    assert "Doing the dose, not getting stronger ⚠ Flagged" in text
    assert "The Nordic dose kept for 6 weeks, and no Nordic test since" in text


def test_the_risk_checklist_shows_each_item_with_its_source_and_says_it_is_not_a_score(coach_client, world, back_from_injury):
    response = load_page(coach_client, back_from_injury)
    statuses = {item.key: item.status for item in response.context["risk"]["items"]}
    assert set(statuses.values()) == {m.Status.FLAG}
    text = _text(response)
    section = text[text.index("Risk profile A checklist"):text.index("Earlier hamstring injuries")]
    assert "not a score and not a probability" in section
    assert "⚠ Flagged : Previous hamstring injury . 2 previous hamstring strains recorded." in section
    assert "⚠ Flagged : Age . 28 years (24 or older: the app's own default)." in section
    assert "under 256 N on the left" in section
    assert "⚠ Flagged : Nordic dose kept . 12 Nordic reps last week; the protective dose is 30." in section
    assert section.count("Source:") == 6 and "Source: Green 2020" in section


def test_an_item_never_measured_reads_not_recorded(coach_client, world):
    text = _text(load_page(coach_client, world.athlete))
    assert "○ Not recorded : Eccentric strength . No Nordic test recorded." in text
    assert "✓ Clear : Previous hamstring injury . None recorded." in text


def test_earlier_injuries_are_listed(coach_client, world, back_from_injury):
    text = _text(load_page(coach_client, back_from_injury))
    assert "March 2024 · Right · Grade 2 · Sprinting" in text


def test_opening_the_page_is_logged(coach_client, world):
    load_page(coach_client, world.athlete)
    row = AccessLog.objects.get(action=AccessLog.Action.VIEW_ATHLETE_LOAD)
    assert row.athlete_id == world.athlete.pk and row.user == world.coach


def test_an_archived_athlete_page_still_opens(coach_client, world):
    world.athlete.archived_at = timezone.now()
    world.athlete.save(update_fields=["archived_at"])
    response = load_page(coach_client, world.athlete)
    assert response.status_code == 200 and "is archived" in _text(response)


def _more_data(athlete, coach, *, weeks):
    """Many more rows of every kind: GPS, tests, Nordic sessions, earlier injuries."""
    for ago in range(weeks):
        for day in range(3):
            gps(athlete, monday(ago + 1) + timedelta(days=day), 350 + day, velocity="8.9" if day else "8.1", label="extra")
        nordic_test(athlete, 7 * ago + 5, 280 + ago, 290)
        PriorInjury.objects.create(athlete=athlete, approx_date=date(2020, 1, 1) + timedelta(days=ago), side="left")
    nordic_reps(athlete, coach, {ago: 30 for ago in range(7, 7 + weeks)})


# session, user, the athlete, the access log row, one load of the athlete's monitoring rows for the
# exposure summary, the watch and the risk checklist (6, athletes included: the athlete comes with
# their maximal velocity, last near-maximal run and earlier injuries counted, the weeks' sessions
# with their Nordic reps, the Nordic results with testing's asymmetry limit, the cleared strains
# with the strains' phases), the maximal velocity with its coach, the weeks of session load, the
# mornings, the earlier injuries (the unread count comes with the user)
LOAD_PAGE_QUERIES = 14  # one fewer since the header's unread count comes with the user (reminders/backends.py)


@pytest.mark.parametrize("weeks", [1, 12])
def test_the_page_takes_a_fixed_number_of_queries(client, world, back_from_injury, django_assert_num_queries, weeks):
    _more_data(back_from_injury, world.coach, weeks=weeks)
    MaxVelocity.objects.filter(athlete=back_from_injury).update(source="coach", entered_by=world.coach)
    client.force_login(world.coach)
    with django_assert_num_queries(LOAD_PAGE_QUERIES):
        assert load_page(client, back_from_injury).status_code == 200


# --- The maximal velocity form ------------------------------------------------------------------


def post_velocity(client, athlete, **data):
    return client.post(reverse("max_velocity_set", args=[athlete.pk]), data)


def test_a_coach_enters_a_maximal_velocity(coach_client, world):
    response = post_velocity(coach_client, world.athlete, velocity="9.8", measured_on=today().isoformat())
    assert response.status_code == 302 and response["Location"] == reverse("athlete_load", args=[world.athlete.pk])
    row = MaxVelocity.objects.get(athlete=world.athlete)
    assert (row.velocity, row.source, row.entered_by, row.measured_on) == (D("9.80"), "coach", world.coach, today())
    text = _text(coach_client.get(response["Location"]))
    assert "Saved" in text and "maximal velocity: 9.80 m/s" in text
    assert "9.80 m/s (Entered by a coach:" in text


@pytest.mark.parametrize("data, problem", [
    ({"velocity": "fast", "measured_on": "2026-11-01"}, "The maximal velocity must be a number in metres per second"),
    ({"velocity": "", "measured_on": "2026-11-01"}, "Enter the maximal velocity in metres per second"),
    ({"velocity": "0", "measured_on": "2026-11-01"}, "must be more than 0 metres per second"),
    ({"velocity": "16", "measured_on": "2026-11-01"}, "15 metres per second or less"),
    ({"velocity": "NaN", "measured_on": "2026-11-01"}, "must be a number"),
    ({"velocity": "9.1", "measured_on": "yesterday"}, "Date measured: enter a date written as YYYY-MM-DD."),
    ({"velocity": "9.1", "measured_on": "0001-01-01"}, "Date measured: enter a date after 1900."),
])
def test_a_velocity_that_cannot_be_saved_names_the_problem_and_saves_nothing(coach_client, world, data, problem):
    response = post_velocity(coach_client, world.athlete, **data)
    assert response.status_code == 200 and response.context["velocity_form"].errors  # the page again, with why
    assert problem in _text(response)
    assert not MaxVelocity.objects.exists()


def test_a_velocity_measured_in_the_future_is_refused_with_a_message(coach_client, world):
    response = post_velocity(coach_client, world.athlete, velocity="9.1", measured_on=(today() + timedelta(days=3)).isoformat())
    assert response.status_code == 302
    text = _text(coach_client.get(response["Location"]))
    assert "Maximal velocity not saved: The date measured" in text and "is in the future." in text
    assert not MaxVelocity.objects.exists()


# --- The earlier injury form --------------------------------------------------------------------


def post_injury(client, athlete, **data):
    return client.post(reverse("prior_injury_create", args=[athlete.pk]), data)


def test_a_coach_adds_an_earlier_injury_and_the_checklist_counts_it(coach_client, world):
    response = post_injury(coach_client, world.athlete, approx_date="2023-05-01", side="left", grade="unknown", notes="Club doctor")
    assert response.status_code == 302
    injury = PriorInjury.objects.get(athlete=world.athlete)
    assert (injury.approx_date, injury.side, injury.grade, injury.notes, injury.entered_by) == (
        date(2023, 5, 1), "left", "", "Club doctor", world.coach)
    page = coach_client.get(response["Location"])
    text = _text(page)
    assert "Added an earlier hamstring injury (left, May 2023)." in text
    assert "May 2023 · Left · Not known · Club doctor" in text
    assert "⚠ Flagged : Previous hamstring injury . 1 previous hamstring strain recorded." in text


@pytest.mark.parametrize("data, problem", [
    ({"approx_date": "2023-05-01", "side": "middle", "grade": "1"}, "Choose the side: left, right or both."),
    ({"approx_date": "2023-05-01", "side": "left", "grade": "4"}, "Choose the grade: 1, 2, 3 or not known."),
    ({"approx_date": "", "side": "left", "grade": "1"}, "About when: enter a date."),
    ({"approx_date": "2023-05-01", "side": "left", "grade": "1", "notes": "x" * 2001}, "longer than 2000 characters"),
])
def test_an_earlier_injury_that_cannot_be_saved_names_the_problem(coach_client, world, data, problem):
    response = post_injury(coach_client, world.athlete, **data)
    assert response.status_code == 200 and response.context["injury_form"].errors and problem in _text(response)
    assert not PriorInjury.objects.exists()


def test_an_earlier_injury_in_the_future_is_refused_with_a_message(coach_client, world):
    response = post_injury(coach_client, world.athlete, approx_date=(today() + timedelta(days=40)).isoformat(), side="both", grade="")
    assert response.status_code == 302
    assert "Earlier injury not saved: The date" in _text(coach_client.get(response["Location"]))
    assert not PriorInjury.objects.exists()


def test_another_teams_coach_cannot_write_for_the_athlete(client, world):
    client.force_login(world.other_coach)
    assert post_velocity(client, world.athlete, velocity="9", measured_on="2026-11-01").status_code == 404
    assert post_injury(client, world.athlete, approx_date="2023-05-01", side="left", grade="1").status_code == 404
    assert not MaxVelocity.objects.exists() and not PriorInjury.objects.exists()


# --- The athlete page's summary -----------------------------------------------------------------


def test_the_athlete_page_lists_the_flagged_items_and_the_watch_flags(coach_client, world, back_from_injury):
    response = coach_client.get(reverse("athlete_detail", args=[back_from_injury.pk]))
    text = _text(response)
    section = text[text.index("Load, exposure and risk"):]
    assert "Previous hamstring injury : 2 previous hamstring strains recorded." in section
    assert "Sprint exposure : Last run at 90% of maximal velocity 12 days ago." in section
    assert "Nordic dose missed" in section and "High-speed running spike" in section
    assert f'href="{reverse("athlete_load", args=[back_from_injury.pk])}"' in response.content.decode()
    assert not ENUM_CODES.search(text), ENUM_CODES.search(text)


def test_the_athlete_page_without_flags_says_what_is_not_recorded(coach_client, world):
    text = _text(coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])))
    section = text[text.index("Load, exposure and risk"):]
    assert "Nothing on the checklist flagged" in section and "5 items not recorded" in section
    assert "Recurrence watch" not in section


ATHLETE_PAGE_IN_WATCH_QUERIES = 19  # 26 before monitoring's load took 6 queries fewer (see LOAD_PAGE_QUERIES); one fewer since the header's unread count comes with the user (reminders/backends.py)


def _athlete_page_queries(client, athlete):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("athlete_detail", args=[athlete.pk])).status_code == 200
    return len(queries)


# tests/athletes/test_coach_pages.py pins the page outside the window (with kept phone answers,
# one query more); within it the watch comes from the same one load as the risk checklist. Here
# with a cleared injury and no kept phone answers: the same count with 12 more weeks of every
# kind of row.
def test_the_athlete_page_query_count_does_not_grow_with_the_data(client, world, back_from_injury):
    client.force_login(world.coach)
    before = _athlete_page_queries(client, back_from_injury)
    _more_data(back_from_injury, world.coach, weeks=12)
    assert _athlete_page_queries(client, back_from_injury) == before == ATHLETE_PAGE_IN_WATCH_QUERIES


def test_the_page_shown_again_after_a_refused_form_is_logged(coach_client, world):
    post_velocity(coach_client, world.athlete, velocity="fast", measured_on="2026-11-01")
    post_injury(coach_client, world.athlete, approx_date="", side="left", grade="1")
    assert list(AccessLog.objects.values_list("action", "athlete_id")) == [("view_athlete_load", world.athlete.pk)] * 2


def test_the_page_shows_the_athletes_session_load_and_their_recent_mornings(coach_client, world):
    from monitoring.models import SessionRpe, Wellness

    for day, rpe, minutes in ((monday(1), 6, 60), (monday(1) + timedelta(days=2), 8, 90), (monday(0), 5, 40)):
        SessionRpe.objects.create(athlete=world.athlete, date=day, rpe=rpe, minutes=minutes, logged_by="athlete")
    Wellness.objects.create(athlete=world.athlete, date=today(), sleep=4, soreness=3, tightness_left=2, tightness_right=0, mood=2)
    Wellness.objects.create(athlete=world.athlete, date=today() - timedelta(days=20), sleep=1, soreness=9,
                            tightness_left=9, tightness_right=9, mood=1)  # older than two weeks: not shown
    text = _text(coach_client.get(reverse("athlete_load", args=[world.athlete.pk])))
    load = text[text.index("Session load"):text.index("Morning wellness")]
    assert f"{date_format(monday(1), 'MONTH_DAY_FORMAT')} 2 1080 +1080" in load  # 360 + 720
    assert f"{date_format(monday(0), 'MONTH_DAY_FORMAT')} (this week, so far) 1 200 −880" in load
    mornings = text[text.index("Morning wellness"):text.index("High-speed running")]
    assert f"{date_format(today(), 'MONTH_DAY_FORMAT')} Good 3 2 0 Low" in mornings
    assert "Very poor" not in mornings
