"""The athlete's history: the pain sparkline with its dates and its 0 to 10 scale, and the volume of
each recent week (reps × load in the athlete's unit, or reps when nothing carried a load), each
with the same numbers in words and as a table; drawn without an inline style."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from athletes.models import User
from programmes import loads, services
from programmes.models import Exercise, PrescribedExercise, ProgrammeTemplate, TemplateEntry, TemplateSession
from tests.factories import assigned_session

# The phone tests' Wednesday (tests/phone/conftest.py): 2 December 2026.
MONDAYS = [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23), date(2026, 11, 30)]
HTMX = {"HX-Request": "true"}
QUERIES = 8  # one fewer since the header's unread count comes with the user (reminders/backends.py)


def _weekly_programme(coach, athlete, weeks=4):
    """A hinge and a curl every Monday for `weeks` weeks; the athlete's sessions."""
    template = ProgrammeTemplate.objects.create(name="Mondays", kind="prevention", owner=coach)
    for week in range(1, weeks + 1):
        session = TemplateSession.objects.create(template=template, week=week, order=1, title=f"Week {week}")
        for order, key in enumerate(["rdl_dumbbell", "curl_slider"], start=1):
            TemplateEntry.objects.create(session=session, order=order, exercise=Exercise.objects.get(key=key))
    services.programme_assign(template=template, athletes=[athlete], start_date=MONDAYS[0], weekdays=[0], assigned_by=coach)
    return list(athlete.scheduled_sessions.order_by("date"))


def _on(day, client, session, sets, pain):
    """On the session's day: log (exercise key, set, reps, load) and finish at `pain`."""
    with time_machine.travel(timezone.make_aware(datetime.combine(day, time(10)))):
        for key, number, reps, load in sets:
            item = session.exercises.get(exercise__key=key)
            data = {"reps": str(reps)} | ({"load": load} if load is not None else {})
            client.post(reverse("set_log", args=[item.pk, number]), data, headers=HTMX)
        services.session_complete(session=session, worst_pain=pain, sharp_pain=False)


@pytest.fixture
def four_mondays(athlete_client, world):
    """Weeks of 9, 16 and 30 November logged (nothing on the 23rd): hinge sets with a load,
    curls without; pain 4, 3, then 1."""
    sessions = _weekly_programme(world.coach, world.athlete)
    assert [s.date for s in sessions] == MONDAYS
    _on(MONDAYS[0], athlete_client, sessions[0], [("rdl_dumbbell", 1, 8, "20"), ("rdl_dumbbell", 2, 8, "20"), ("curl_slider", 1, 10, None)], 4)
    _on(MONDAYS[1], athlete_client, sessions[1], [("rdl_dumbbell", 1, 10, "25"), ("curl_slider", 1, 10, None)], 3)
    _on(MONDAYS[3], athlete_client, sessions[3], [("rdl_dumbbell", 1, 8, "30"), ("rdl_dumbbell", 2, 8, "30"), ("rdl_dumbbell", 3, 6, "30")], 1)
    return sessions


def _history(client):
    return client.get(reverse("athlete_history")).content.decode()


def test_the_pain_sparkline_has_its_dates_its_scale_and_a_table(athlete_client, four_mondays):
    body = _history(athlete_client)
    assert "Worst pain in your last 3 sessions, from 9 Nov to 30 Nov, oldest first: 4, 3, 1 out of 10" in body
    spark = body.split('class="sparkline"')[1].split("</svg>")[0]
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", spark)
    assert labels == ["10", "0", "9 Nov", "30 Nov"]  # the scale, then the first and last days
    assert "Worst pain per session, 9 Nov to 30 Nov (0 none at the bottom, 10 worst at the top). Latest: 1/10." in body
    table = body.split("Show the pain as a table")[1].split("</table>")[0]
    assert re.findall(r"<td>([^<]+)</td>", table) == ["Monday 9 Nov", "4/10", "Monday 16 Nov", "3/10", "Monday 30 Nov", "1/10"]


def test_volume_per_week_is_reps_times_load_in_kilograms_with_an_empty_week_shown(athlete_client, four_mondays):
    body = _history(athlete_client)
    chart = body.split('class="volume-chart"')[1].split("</svg>")[0]
    assert "Volume per week: reps × load, in kg, from the week of 9 Nov to this week" in chart
    # 2 × 8 × 20; 10 × 25; nothing; 8 × 30 + 8 × 30 + 6 × 30. Curls carry no load: reps only.
    assert ("Week of 9 Nov: 320 kg, 26 reps; Week of 16 Nov: 250 kg, 20 reps; "
            "Week of 23 Nov: none, 0 reps; Week of 30 Nov: 660 kg, 22 reps.") in chart
    bars = re.findall(r'<rect x="60" y="4" width="([\d.]+)"', chart)
    assert bars == ["82.4", "64.4", "0.0", "170.0"]  # the heaviest week fills the scale
    labels = re.findall(r"<text [^>]*>([^<]+)</text>", chart)
    assert labels == ["9 Nov", "320 kg", "16 Nov", "250 kg", "23 Nov", "none", "30 Nov", "660 kg"]
    table = body.split("Show the weeks as a table")[1].split("</table>")[0]
    assert "<th scope=\"col\">Reps × load (kg)</th>" in table
    assert re.findall(r"<td>([^<]+)</td>", table)[:6] == ["9 Nov", "320 kg", "26 reps", "16 Nov", "250 kg", "20 reps"]


def test_volume_follows_the_athletes_unit(athlete_client, world, four_mondays):
    User.objects.filter(pk=world.athlete_user.pk).update(load_unit="lb")
    body = _history(athlete_client)
    expected = loads.volume_text(Decimal(660), loads.LB)
    assert expected == "1,455 lb"
    assert f"Week of 30 Nov: {expected}, 22 reps" in body and "Reps × load (lb)" in body
    assert "8 × 66.14 lb, 8 × 66.14 lb, 6 × 66.14 lb" in body  # the sets of 30 November


def test_without_any_load_the_bars_count_reps(athlete_client, world):
    for days_ago, pain in ((1, 2), (0, 3)):  # Tuesday's and Wednesday's: one programme a day, never doubled
        session = assigned_session(world.athlete, world.coach, start=timezone.localdate() - timedelta(days=days_ago))
        item = session.exercises.get(exercise__key="curl_slider")
        athlete_client.post(reverse("set_log", args=[item.pk, 1]), {"reps": "12"}, headers=HTMX)
        services.session_complete(session=session, worst_pain=pain, sharp_pain=False)
    body = _history(athlete_client)
    chart = body.split('class="volume-chart"')[1].split("</svg>")[0]
    assert "Reps per week, from the week of 30 Nov to this week" in chart
    assert "Week of 30 Nov: 24 reps." in chart and "reps × load" not in chart
    assert re.findall(r'width="([\d.]+)"', chart) == ["170.0"]
    assert "Reps per week (no load logged)" in body and "Reps × load" not in body


def test_runs_and_other_athletes_sets_do_not_count(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    run = PrescribedExercise.objects.create(
        session=session, order=9, exercise=Exercise.objects.get(key="run_brisk_walk"), family="running",
        sets=1, reps_min=1, reps_max=1, minutes=20,
    )
    services.set_log(prescribed=run, set_number=1, reps=1)
    services.set_log(prescribed=session.exercises.get(exercise__key="rdl_dumbbell"), set_number=1, reps=8,
                     load_kg=Decimal(10))
    theirs = assigned_session(world.other_athlete, world.coach)
    services.set_log(prescribed=theirs.exercises.get(exercise__key="rdl_dumbbell"), set_number=1, reps=8,
                     load_kg=Decimal(100))
    body = _history(athlete_client)
    assert "Week of 30 Nov: 80 kg, 8 reps." in body


def test_nothing_logged_draws_no_chart(athlete_client, world):
    body = _history(athlete_client)
    assert "volume-chart" not in body and "sparkline" not in body and "No finished sessions yet." in body


def test_the_history_draws_without_inline_style_or_script(athlete_client, four_mondays):
    body = _history(athlete_client)
    assert "style=" not in body and "<style" not in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)


def test_the_history_reads_in_a_fixed_number_of_queries(athlete_client, world, django_assert_num_queries):
    """One finished session or four: the same queries (the session and user; the athlete and the
    access log; the sessions, their exercises and their sets; the weekly volume; the unread count)."""
    sessions = _weekly_programme(world.coach, world.athlete)
    for session in sessions:
        _on(session.date, athlete_client, session, [("rdl_dumbbell", 1, 8, "20")], 2)
        if session in (sessions[0], sessions[-1]):
            with django_assert_num_queries(QUERIES):
                assert athlete_client.get(reverse("athlete_history")).status_code == 200
