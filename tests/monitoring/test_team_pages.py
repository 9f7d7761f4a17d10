"""The coach's team pages of monitoring: the weekly load, one session logged for the whole team
(all or nothing), and the recurrence watch (monitoring/views/team.py). The clock is pinned to a
Wednesday, so every week and date below is exact."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D
from html import unescape

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from athletes.models import AccessLog
from injuries.models import Injury, Phase
from monitoring.models import GpsRow, SessionRpe
from programmes import services as programme_services
from programmes.models import PrescribedExercise, ScheduledSession, SetLog
from programmes.services import session_totals_refresh
from tests.conftest import PERSONAS
from tests.factories import AthleteFactory, ComplaintFactory, InjuryFactory, library_template
from tests.monitoring.test_selectors import squad

TODAY = date(2026, 12, 2)  # a Wednesday: this week began on Monday 30 November


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=UTC), tick=False):
        yield


def _named(world):
    """The world's two athletes with names to look for, and a third who never trains."""
    for athlete, first, last in ((world.athlete, "Ada", "Lovelace"), (world.other_athlete, "Bob", "Marley")):
        athlete.first_name, athlete.last_name = first, last
        athlete.save()
    return AthleteFactory(team=world.team, first_name="Cy", last_name="Young")


def _session(athlete, day, rpe, minutes, **kwargs):
    return SessionRpe.objects.create(athlete=athlete, date=day, rpe=rpe, minutes=minutes, logged_by="coach", **kwargs)


def _cells(html: str, first: str) -> list[str]:
    """The text of each cell of the table row whose first cell starts with ``first``."""
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = [" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
        if cells and cells[0].startswith(first):
            return cells
    raise AssertionError(f"no row for {first}")


def _text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


# --- The team's weekly load -------------------------------------------------------------------


def test_the_weekly_load_shows_each_week_its_change_and_the_team(coach_client, world):
    _named(world)
    _session(world.athlete, date(2026, 11, 23), 6, 75)  # 450
    _session(world.athlete, date(2026, 11, 25), 5, 60)  # 300: that week 750
    _session(world.athlete, date(2026, 12, 1), 4, 50)  # this week so far 200
    _session(world.other_athlete, date(2026, 11, 24), 7, 60)  # 420
    _session(world.athlete, date(2026, 10, 20), 9, 90)  # before the six weeks: not shown
    response = coach_client.get(reverse("team_load", args=[world.team.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert _cells(html, "Athlete") == ["Athlete", "Week of 26 Oct", "Week of 2 Nov", "Week of 9 Nov", "Week of 16 Nov",
                                       "Week of 23 Nov", "This week so far"]
    assert _cells(html, "Ada Lovelace") == ["Ada Lovelace", "0", "0 (0)", "0 (0)", "0 (0)", "750 (+750)", "200 (−550)"]
    assert _cells(html, "Bob Marley") == ["Bob Marley", "0", "0 (0)", "0 (0)", "0 (0)", "420 (+420)", "0 (−420)"]
    assert _cells(html, "Cy Young")[1:] == ["0", "0 (0)", "0 (0)", "0 (0)", "0 (0)", "0 (0)"]
    assert _cells(html, "Team total")[-2:] == ["1170", "200"]
    assert _cells(html, "Mean per athlete who trained")[-3:] == ["nobody trained", "585 (2 trained)", "200 (1 trained)"]
    assert f'href="{reverse("athlete_load", args=[world.athlete.pk])}"' in html
    assert f'href="{reverse("team_session_log", args=[world.team.pk])}"' in html
    assert "ratio" not in _text(response).replace("no ratio", "")


def test_the_weekly_load_of_a_team_without_athletes_says_so(client, world):
    from tests.factories import TeamFactory

    empty = TeamFactory(name="Charlie", coaches=[world.coach])
    client.force_login(world.coach)
    response = client.get(reverse("team_load", args=[empty.pk]))
    assert response.status_code == 200 and "No athletes in this team yet." in _text(response)


def test_the_weekly_load_logs_who_opened_it(coach_client, world):
    coach_client.get(reverse("team_load", args=[world.team.pk]))
    assert list(AccessLog.objects.values_list("action", "team_id", "user_id")) == [
        (AccessLog.Action.VIEW_TEAM_LOAD, world.team.pk, world.coach.pk)
    ]


def _busy_team(world, size):
    athletes = [world.athlete, world.other_athlete, *AthleteFactory.create_batch(size - 2, team=world.team)]
    SessionRpe.objects.bulk_create(
        SessionRpe(athlete=a, date=TODAY - timedelta(days=back), rpe=5, minutes=60, logged_by="coach")
        for a in athletes for back in range(0, 42, 4)
    )
    return athletes


@pytest.mark.parametrize("size", [20, 200])
def test_the_weekly_load_takes_the_same_queries_for_20_and_200_athletes(coach_client, world, size, django_assert_num_queries):
    _busy_team(world, size)
    url = reverse("team_load", args=[world.team.pk])
    # session, user, team, access log, the athletes and their sessions (the unread count comes with the user).
    with django_assert_num_queries(6):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        response = coach_client.get(url)
    assert len(response.context["rows"]) == size


# --- Logging a session for the whole team -----------------------------------------------------


def _log_url(world):
    return reverse("team_session_log", args=[world.team.pk])


def _form(world, cy, rows, **head):
    data = {"day": "2026-12-01", "kind": "training", "label": "", "same_minutes": "", **head}
    for athlete, (rpe, minutes, pain) in zip((world.athlete, world.other_athlete, cy), rows):
        data |= {f"rpe_{athlete.pk}": rpe, f"minutes_{athlete.pk}": minutes, f"pain_{athlete.pk}": pain}
    return data


def test_the_entry_form_lists_every_active_athlete_with_labelled_inputs_and_today(coach_client, world):
    cy = _named(world)
    AthleteFactory(team=world.team, first_name="Gone", last_name="Away", archived_at=datetime(2026, 1, 1, tzinfo=UTC))
    AthleteFactory(team=world.other_team, first_name="Other", last_name="Team")
    response = coach_client.get(_log_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-label="Effort for Ada Lovelace"' in html and 'aria-label="Minutes for Cy Young"' in html
    assert 'aria-label="Hamstring pain for Bob Marley"' in html
    assert "Gone Away" not in html and "Other Team" not in html
    assert 'value="2026-12-02"' in html  # today
    assert f'name="rpe_{cy.pk}"' in html
    assert not AccessLog.objects.exists()  # a blank form: no health data shown


@pytest.mark.parametrize("size", [20, 200])
def test_the_entry_form_takes_the_same_queries_for_20_and_200_athletes(coach_client, world, size, django_assert_num_queries):
    AthleteFactory.create_batch(size - 2, team=world.team)
    # session, user, team, the athletes (the unread count comes with the user).
    with django_assert_num_queries(4):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        response = coach_client.get(_log_url(world))
    assert len(response.context["rows"]) == size


def test_a_team_session_is_saved_skipping_blank_rows_and_filling_the_same_minutes(coach_client, world):
    cy = _named(world)
    data = _form(world, cy, [("6", "", "0"), ("7", "45", ""), ("", "", "")], same_minutes="75", label="AM")
    response = coach_client.post(_log_url(world), data)
    assert response.status_code == 302 and response["Location"] == reverse("team_load", args=[world.team.pk])
    rows = {r.athlete_id: r for r in SessionRpe.objects.all()}
    assert set(rows) == {world.athlete.pk, world.other_athlete.pk}  # Cy did not train
    ada, bob = rows[world.athlete.pk], rows[world.other_athlete.pk]
    assert (ada.rpe, ada.minutes, ada.hamstring_pain, ada.label, ada.date) == (6, 75, 0, "AM", date(2026, 12, 1))
    assert (bob.rpe, bob.minutes, bob.hamstring_pain, bob.kind, bob.recorded_by) == (7, 45, None, "training", world.coach)
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Logged 2 athletes' session of 1 Dec 2026."]
    page = coach_client.get(response["Location"])
    assert _cells(page.content.decode(), "Ada Lovelace")[-1] == "450 (+450)"


def test_one_bad_row_saves_nothing_names_each_problem_and_keeps_what_was_typed(coach_client, world):
    cy = _named(world)
    data = _form(world, cy, [("6", "60", ""), ("11", "60", ""), ("", "30", "")])
    response = coach_client.post(_log_url(world), data)
    assert response.status_code == 200
    assert not SessionRpe.objects.exists()
    text = _text(response)
    assert "Nothing was saved." in text
    assert "Bob Marley: Effort is a whole number from 0 to 10." in text
    assert "Cy Young: Enter the effort, or clear the row if they did not train." in text
    assert "Ada Lovelace:" not in text
    html = response.content.decode()
    assert re.search(rf'name="rpe_{world.athlete.pk}" value="6"', html)
    assert re.search(rf'name="rpe_{world.other_athlete.pk}" value="11"', html)
    assert re.search(rf'name="minutes_{cy.pk}" value="30"', html)
    assert 'aria-invalid="true"' in html


def test_effort_without_minutes_and_no_same_minutes_is_refused(coach_client, world):
    cy = _named(world)
    response = coach_client.post(_log_url(world), _form(world, cy, [("6", "", ""), ("", "", ""), ("", "", "")]))
    assert "Ada Lovelace: Enter the minutes, or the same minutes for everyone." in _text(response)
    assert not SessionRpe.objects.exists()


@pytest.mark.parametrize("head, problem", [
    ({"day": "2026-12-03"}, "The date 3 December 2026 is in the future."),
    ({"day": "yesterday"}, "Enter the date as YYYY-MM-DD."),
    ({"kind": "scrimmage"}, "Choose training or a match."),
    ({"label": "x" * 41}, "Ensure this value has at most 40 characters"),
    ({"same_minutes": "0"}, "The minutes are a whole number from 1 to 600."),
])
def test_a_bad_date_kind_label_or_minutes_is_named_and_nothing_saved(coach_client, world, head, problem):
    cy = _named(world)
    response = coach_client.post(_log_url(world), _form(world, cy, [("6", "60", ""), ("", "", ""), ("", "", "")], **head))
    assert response.status_code == 200 and problem in _text(response)
    assert not SessionRpe.objects.exists()


def test_an_empty_table_saves_nothing_and_says_why(coach_client, world):
    cy = _named(world)
    response = coach_client.post(_log_url(world), _form(world, cy, [("", "", "")] * 3, same_minutes="60"))
    assert response.status_code == 200 and "No athlete's session was filled in." in _text(response)


@pytest.mark.parametrize("junk", ["", "x\x00y", "9" * 40, "-3", "6.5", "<b>"])
def test_junk_in_any_cell_never_gives_a_500(coach_client, world, junk):
    cy = _named(world)
    data = _form(world, cy, [(junk, junk, junk), ("5", "60", ""), ("", "", "")], same_minutes=junk, day=junk or "2026-12-01")
    response = coach_client.post(_log_url(world), data)
    assert response.status_code in (200, 302)


def test_logging_the_same_session_again_corrects_it(coach_client, world):
    cy = _named(world)
    coach_client.post(_log_url(world), _form(world, cy, [("6", "60", ""), ("5", "60", ""), ("", "", "")], kind="match"))
    response = coach_client.post(_log_url(world), _form(world, cy, [("8", "90", "1"), ("", "", ""), ("4", "30", "")], kind="match"))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == "Logged 2 athletes' session of 1 Dec 2026."
    rows = {r.athlete_id: (r.rpe, r.minutes, r.hamstring_pain) for r in SessionRpe.objects.filter(kind="match")}
    assert rows == {world.athlete.pk: (8, 90, 1), world.other_athlete.pk: (5, 60, None), cy.pk: (4, 30, None)}
    assert SessionRpe.objects.count() == 3


def test_a_session_already_logged_opens_filled_in_to_be_corrected(coach_client, world):
    cy = _named(world)
    coach_client.post(_log_url(world), _form(world, cy, [("6", "60", "2"), ("", "", ""), ("4", "45", "")], kind="match", label="Cup"))
    response = coach_client.get(_log_url(world), {"open-day": "2026-12-01", "open-kind": "match", "open-label": "Cup"})
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["day"].value(), form["kind"].value(), form["label"].value()) == (date(2026, 12, 1), "match", "Cup")
    cells = {name: form[name].value() for name in (f"rpe_{world.athlete.pk}", f"minutes_{world.athlete.pk}", f"pain_{world.athlete.pk}",
                                                   f"rpe_{world.other_athlete.pk}", f"rpe_{cy.pk}", f"pain_{cy.pk}")}
    assert cells == {f"rpe_{world.athlete.pk}": 6, f"minutes_{world.athlete.pk}": 60, f"pain_{world.athlete.pk}": 2,
                     f"rpe_{world.other_athlete.pk}": None, f"rpe_{cy.pk}": 4, f"pain_{cy.pk}": None}
    text = " ".join(response.content.decode().split())
    assert "The match of 1 Dec 2026 (Cup) is filled in below for the 2 athletes logged." in text


def test_opening_a_session_never_logged_says_so_and_a_bad_date_is_named(coach_client, world):
    response = coach_client.get(_log_url(world), {"open-day": "2026-11-20", "open-kind": "training", "open-label": ""})
    assert "Nothing was logged for a training on 20 Nov 2026: fill it in below." in " ".join(response.content.decode().split())
    response = coach_client.get(_log_url(world), {"open-day": "20/11/2026x", "open-kind": "rugby"})
    assert response.status_code == 200 and response.context["opened"] is None
    assert response.context["choice"].errors.keys() == {"day", "kind"}


def test_one_athlete_logged_is_said_in_the_singular(coach_client, world):
    cy = _named(world)
    response = coach_client.post(_log_url(world), _form(world, cy, [("", "", ""), ("", "", ""), ("3", "20", "")]))
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Logged 1 athlete's session of 1 Dec 2026."]


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_teams_coaches_and_admins_log_a_team_session(client, world, persona):
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    data = {"day": "2026-12-01", "kind": "training", f"rpe_{world.athlete.pk}": "5", f"minutes_{world.athlete.pk}": "60"}
    response = client.post(_log_url(world), data)
    expected = {"anonymous": 302, "coach": 302, "other_coach": 404, "athlete": 403, "other_athlete": 403, "admin": 302}
    assert response.status_code == expected[persona]
    assert SessionRpe.objects.exists() == (persona in ("coach", "admin"))
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("login"))


# --- The recurrence watch ---------------------------------------------------------------------


def _returned(world, athlete, days_ago):
    InjuryFactory(complaint=ComplaintFactory(athlete=athlete, reported_by=world.coach))
    Injury.objects.filter(athlete=athlete).update(phase=Phase.CLEARED, cleared_on=TODAY - timedelta(days=days_ago),
                                                  classification="grade_1")


def _nordic_kept(world, athletes):
    """On a Nordic programme for three weeks, three sessions a week, every set logged."""
    programme_services.programme_assign(template=library_template(), athletes=athletes, start_date=TODAY - timedelta(days=21),
                                        weekdays=[0, 2, 4], assigned_by=world.coach)
    for prescribed in PrescribedExercise.objects.filter(session__athlete__in=athletes, family="nordic", session__date__lt=TODAY):
        SetLog.objects.bulk_create(SetLog(prescribed=prescribed, set_number=n, reps=8) for n in range(1, prescribed.sets + 1))
    session_totals_refresh(ScheduledSession.objects.filter(athlete__in=athletes).values_list("pk", flat=True))  # as the services do


def test_the_watch_lists_returned_athletes_most_flagged_first_with_reasons_and_sources(coach_client, world):
    cy = _named(world)
    _returned(world, world.other_athlete, 10)
    _nordic_kept(world, [world.other_athlete])  # Bob keeps his Nordic dose: nothing to flag
    _returned(world, world.athlete, 20)
    _returned(world, cy, 70)  # past the two months: off the watch
    # Ada: a spike of high-speed running this week against the 4 weeks before.
    GpsRow.objects.bulk_create(
        GpsRow(athlete=world.athlete, date=TODAY - timedelta(days=back), minutes=60, total_distance_m=5000, hsr_m=hsr,
               max_velocity=D("8.0"))
        for back, hsr in ((1, 900), (8, 200), (15, 200), (22, 200), (29, 200))
    )
    response = coach_client.get(reverse("team_recurrence_watch", args=[world.team.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert [row["name"] for row in response.context["rows"]] == ["Ada Lovelace", "Bob Marley"]
    assert "Returned on 12 Nov 2026; watched until 11 Jan 2027." in text
    assert "High-speed running spike : 900 m of high-speed running is 4.5× the 4-week average of 200 m" in text
    assert "Source: Duhig 2016" in text
    assert "Bob Marley Returned on 22 Nov 2026; watched until 21 Jan 2027. Nothing flagged." in text
    assert "Cy Young" not in text
    assert f'href="{reverse("athlete_load", args=[world.athlete.pk])}"' in response.content.decode()
    assert "sprint_spike" not in response.content.decode()
    assert list(AccessLog.objects.values_list("action", "team_id")) == [(AccessLog.Action.VIEW_WATCH, world.team.pk)]


def test_the_watch_of_a_team_nobody_returned_in_says_so_in_words(coach_client, world):
    response = coach_client.get(reverse("team_recurrence_watch", args=[world.team.pk]))
    assert response.status_code == 200
    assert "Nobody in Alpha has come back from a hamstring strain in the last two months, so nobody is being watched." in _text(response)


def _watched_team(world, size):
    """``size`` returned athletes (tests/monitoring/test_selectors.py), the first two also on a Nordic
    programme with every set logged, a few with a spike of high-speed running and a few without a
    near-maximal run: every flag raised for someone, and someone clear of each."""
    athletes = squad(world, size)
    _nordic_kept(world, athletes[:2])
    GpsRow.objects.filter(athlete__in=athletes[2:6], date__gte=TODAY - timedelta(days=1)).update(hsr_m=5000)
    GpsRow.objects.filter(athlete__in=athletes[6:10]).update(max_velocity=D("7.0"))
    return athletes


@pytest.mark.parametrize("size", [20, 200])
def test_the_watch_takes_the_same_queries_for_20_and_200_athletes(coach_client, world, size, django_assert_num_queries):
    _watched_team(world, size)
    url = reverse("team_recurrence_watch", args=[world.team.pk])
    # session, user, team, access log, the selector's five (who is watched with their last return,
    # then their rows: tests/monitoring/test_selectors.py) (the unread count comes with the user).
    with django_assert_num_queries(9):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        response = coach_client.get(url)
    rows = response.context["rows"]
    assert len(rows) == size
    keys = {flag.key for row in rows for flag in row["flags"]}
    assert keys == {"asymmetry", "nordic_missed", "sprint_missing", "sprint_spike", "tightness"}
    assert any("nordic_missed" not in {flag.key for flag in row["flags"]} for row in rows)
    counts = [len(row["flags"]) for row in rows]
    assert counts == sorted(counts, reverse=True)
