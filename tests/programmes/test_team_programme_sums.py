"""The team programme's sums (sets due, sets done, Nordic reps per week), read from each session's
totals in one grouped query, must say exactly what each athlete's own calendar says, and what
counting the set logs one by one says: recovery sessions, withheld exercises and sessions still to
come never count for adherence; the Nordic reps count every set logged in the week."""

from datetime import UTC, date, datetime, time, timedelta

import time_machine
from django.urls import reverse

from programmes import selectors, services
from programmes.models import PrescribedExercise, ScheduledSession, SetLog
from programmes.services import session_totals_refresh
from tests.factories import AthleteFactory, library_template

MONDAY = date(2026, 11, 2)
TODAY = MONDAY + timedelta(weeks=4, days=2)  # a Wednesday, the fifth week running


def _log_every_set(prescribed, reps=6):
    SetLog.objects.bulk_create(SetLog(prescribed=prescribed, set_number=n, reps=reps) for n in range(1, prescribed.sets + 1))
    session_totals_refresh([prescribed.session_id])  # as the services do after a write


def _by_hand(athlete, this_monday):
    """The same sums, counted over the rows one by one."""
    due = PrescribedExercise.objects.filter(
        session__athlete=athlete, session__date__lte=TODAY, session__is_recovery=False, withheld_reason=""
    )
    due_pks = {pe.pk for pe in due}
    logs = list(SetLog.objects.filter(prescribed__session__athlete=athlete).select_related("prescribed__session"))
    weeks = [this_monday - timedelta(weeks=n) for n in range(selectors.DOSE_WEEKS, -1, -1)]
    reps = [
        sum(log.reps for log in logs if log.prescribed.family == "nordic" and week <= log.prescribed.session.date < week + timedelta(weeks=1))
        for week in weeks
    ]
    return {
        "sets_prescribed": sum(pe.sets for pe in due),
        "sets_done": sum(1 for log in logs if log.prescribed_id in due_pks),
        "weekly": reps[:-1],
        "this_week": reps[-1],
    }


def test_the_team_sums_match_the_calendar_and_the_rows_one_by_one(world):
    others = AthleteFactory.create_batch(2, team=world.team)
    athletes = [world.athlete, world.other_athlete, *others]
    services.programme_assign(template=library_template(), athletes=athletes, start_date=MONDAY,
                              weekdays=[0, 2, 4], assigned_by=world.coach)
    sessions = ScheduledSession.objects.filter(athlete__in=athletes).order_by("athlete_id", "date")
    for n, session in enumerate(sessions):
        for prescribed in session.exercises.all():
            if (n + prescribed.pk) % 3:
                _log_every_set(prescribed, reps=4 + n % 5)
    mine = ScheduledSession.objects.filter(athlete=world.athlete, date__lte=TODAY).order_by("date")
    mine.filter(pk=mine[1].pk).update(is_recovery=True)  # logged, then emptied: never counts
    PrescribedExercise.objects.filter(session=mine[2], family="nordic").update(withheld_reason="pain")  # logged, withheld
    session_totals_refresh([mine[2].pk])  # as prescriptions_rebuild does when it withholds
    ScheduledSession.objects.filter(athlete=others[0]).update(is_recovery=True)  # nothing due at all
    # A set logged ahead of time this week, after today: reps this week, but not due yet.
    ahead = PrescribedExercise.objects.filter(session__athlete=others[1], session__date__gt=TODAY).order_by("session__date").first()
    SetLog.objects.filter(prescribed=ahead).delete()
    _log_every_set(ahead)

    programme = selectors.team_programme(team=world.team, today=TODAY)
    rows = {row["athlete"].pk: row for row in programme["rows"]}
    assert set(rows) >= {athlete.pk for athlete in athletes}
    for athlete in athletes:
        row, expected = rows[athlete.pk], _by_hand(athlete, programme["this_monday"])
        calendar = selectors.athlete_calendar(athlete=athlete, month=TODAY.replace(day=1), today=TODAY)
        assert calendar["sets"] == {"sets_prescribed": expected["sets_prescribed"], "sets_done": expected["sets_done"]}
        assert (row["sets_prescribed"], row["sets_done"]) == (expected["sets_prescribed"], expected["sets_done"])
        assert row["adherence"] == calendar["adherence"]
        assert row["weekly"] == expected["weekly"] and row["this_week"] == expected["this_week"]
    assert rows[others[0].pk]["adherence"] is None and '<td data-label="Sets done">—</td>' in rows[others[0].pk]["cells_html"]
    assert rows[others[1].pk]["this_week"] > 0
    done = sum(rows[a.pk]["sets_done"] for a in athletes)
    due = sum(rows[a.pk]["sets_prescribed"] for a in athletes)
    assert programme["team_adherence"] == round(100 * done / due)


def test_the_page_prints_each_rows_sums_and_weeks(client, world):
    services.programme_assign(template=library_template(), athletes=[world.athlete], start_date=MONDAY,
                              weekdays=[0, 2, 4], assigned_by=world.coach)
    first = ScheduledSession.objects.filter(athlete=world.athlete).order_by("date").first()
    for prescribed in first.exercises.all():
        _log_every_set(prescribed)
    with time_machine.travel(datetime.combine(TODAY, time(10, 0), tzinfo=UTC), tick=False):
        client.force_login(world.coach)
        response = client.get(reverse("team_programme", args=[world.team.pk]))
    body = response.content.decode()
    row = next(row for row in response.context["rows"] if row["athlete"] == world.athlete)
    cells = (f'<td data-label="Sets done">{row["adherence"]}% <span class="muted">({row["sets_done"]} of {row["sets_prescribed"]})</span></td>\n      '
             + "".join(f'<td data-label="Week of {label}">{reps}</td>' for label, reps in zip(response.context["week_labels"], row["weekly"])))
    assert cells in body and '<td data-label="Week of 26 Oct">0</td>' in body
    assert f'<td data-label="This week so far" class="this-week">{row["this_week"]}</td>' in body
    assert body.count('<td data-label="Sets done">—</td>') == 1  # the other athlete: nothing due
