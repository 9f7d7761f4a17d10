"""What the coaches' programme pages read: the exercise library, open pain alerts, what already
exists when a programme is assigned again, an athlete's programme calendar, and a team's adherence
and Nordic dose.

Each takes the user (or an athlete or team already fetched through athletes/access.py) and
returns rows ready to render, in a fixed number of queries whatever the squad size
(docs/architecture.md#services-selectors-and-views).
"""

import calendar
from datetime import date, timedelta

from django.db.models import Exists, FilteredRelation, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from athletes import links
from athletes.models import Athlete, Team

from . import services
from . import progression as p
from .models import Assignment, Exercise, PrescribedExercise, ProgressionDecision, ScheduledSession, SetLog
from .display import dose_text  # the dose as the athlete reads it: the coach sees the same words

DOSE_WEEKS = 6
ALERTS_SHOWN = 20
STATUS_WORDS = {"done": "Done", "missed": "Missed", "upcoming": "Upcoming"}


def _phase_words(phases) -> str:
    """The library's phases as a coach reads them ("return to training, prevention")."""
    known = {phase.value for phase in p.TrainingPhase}
    return ", ".join(p.PHASE_LABELS[p.TrainingPhase(phase)] for phase in phases if phase in known)


def exercise_rows(*, family: str | None) -> list[tuple[Exercise, str]]:
    """The library, one family or all, each exercise with the phases that may prescribe it."""
    exercises = Exercise.objects.order_by("family", "rung")
    if family in {f.value for f in p.Family}:
        exercises = exercises.filter(family=family)
    return [(exercise, _phase_words(exercise.allowed_phases)) for exercise in exercises]


def alerts_open(*, user):
    """The pain alerts of the user's athletes that no coach has dealt with yet, newest first."""
    return ProgressionDecision.objects.filter(
        athlete__in=Athlete.objects.for_user(user), alert_coach=True, resolved_at__isnull=True
    ).select_related("athlete")[:ALERTS_SHOWN]


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _in_words(names: list[str]) -> str:
    """"Monday, Wednesday and Friday"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def assign_overlaps(overlaps: list[services.Overlap], *, athletes, weekdays: list[int], changed: bool) -> dict:
    """What the assign page shows before asking replace, extend or cancel: each athlete's earlier
    programme on the new dates, how many of its upcoming sessions replacing would remove, how many
    of the chosen athletes have nothing on those dates, and the ids the answer must match."""
    rows = [
        {"name": o.athlete.full_name, "template": o.template_name, "first": o.first, "last": o.last, "upcoming": o.upcoming}
        for o in sorted(overlaps, key=lambda o: (o.athlete.last_name, o.athlete.first_name, o.first))
    ]
    with_overlap = {o.athlete.pk for o in overlaps}
    return {
        "overlaps": rows,
        "overlap_seen": ",".join(str(o.assignment_id) for o in overlaps),
        "overlap_changed": changed,
        "overlap_athletes": len(with_overlap),
        "free_athletes": sum(1 for athlete in athletes if athlete.pk not in with_overlap),
        "replace_removes": sum(o.upcoming for o in overlaps),
        "weekdays_in_words": _in_words([WEEKDAY_NAMES[day] for day in sorted(set(weekdays))]),
    }


def template_session_followers(*, session) -> int:
    """How many athletes an edit of this template session reaches (``template_session_save``)."""
    return services.athletes_following(session).count()


def _counted(today, prefix: str = "") -> Q:
    """The sessions that count for adherence: due so far (today included) and not recovery
    sessions (docs/clinical-rules.md#pain-guided-progression). ``prefix``: the path to them."""
    return Q(**{f"{prefix}date__lte": today, f"{prefix}is_recovery": False})


def _adherence(today) -> dict:
    """Sets logged against sets prescribed in the sessions due so far, per athlete: recovery
    sessions and stopped exercises do not count, and a session finished with no set logged counts
    0 (docs/clinical-rules.md#pain-guided-progression). From each session's totals
    (programmes/services/totals.py): the season's exercises and set logs are not read."""
    counted = _counted(today, "scheduled_sessions__")
    return {
        "sets_prescribed": Coalesce(Sum("scheduled_sessions__sets_counted", filter=counted), 0),
        "sets_done": Coalesce(Sum("scheduled_sessions__sets_logged", filter=counted), 0),
    }


def _percent(done: int, of: int) -> int | None:
    return round(100 * done / of) if of else None


def _status(session: ScheduledSession, today: date) -> str:
    """Done only with a set logged: a session finished with none is missed."""
    if session.completed_at and session.has_sets:
        return "done"
    return "missed" if session.completed_at or session.date < today else "upcoming"


def _calendar_cell(session: ScheduledSession, today: date, move_url) -> dict:
    status = _status(session, today)
    exercises = [
        {"name": item.exercise.name, "dose": dose_text(item), "withheld": item.withheld_reason}
        for item in session.exercises.all()
    ]
    # The cell up to its "Move" form, built once here: the template prints it (a month of a
    # programme is 12 to 20 sessions of 3 to 6 exercises each, a tag and a filter per line)
    # (docs/architecture.md#services-selectors-and-views).
    recovery = session.is_recovery
    html = [
        f'<div class="session session-{status}{" session-recovery" if recovery else ""}" data-status="{status}">\n'
        f'          <span class="session-status">{STATUS_WORDS[status]}</span>\n          ',
        '<span class="cell-note">Recovery: gentle holds only (not counted)</span>' if recovery else "",
        "\n          ",
        f'<span class="cell-note">Lighter: {escape(Truncator(session.gating_note).words(10, truncate=" …"))}</span>'
        if session.gating_note else "",
        "\n          <ul>",
        *(
            f"<li><del>{escape(item['name'])}</del> (stopped)</li>" if item["withheld"]
            else f"<li>{escape(item['name'])}: {escape(item['dose'])}</li>"
            for item in exercises
        ),
        "</ul>\n          ",
        f'<span class="muted">pain {int(session.worst_pain)}/10</span>' if session.worst_pain is not None else "",
    ]
    return {
        "session": session,
        "status": status,
        "status_words": STATUS_WORDS[status],
        "move_url": move_url(session.pk) if status == "upcoming" else "",
        "exercises": exercises,
        "html": mark_safe("".join(html)),
    }


def _calendar_day(day: date, month: date, today: date, cells: list, words: dict | None = None) -> dict:
    """A day of the calendar with its words and classes, so that the template prints them (35
    days a month: no date filter per day); ``head_html``, its cell's opening and the day's name,
    built here. ``words`` keeps the weekdays' and months' names for the page: 7 and 2 or 3
    lookups a month rather than 35 each."""
    words = {} if words is None else words
    css = ("other-month" if day.month != month.month else "") + (" today" if day == today else "") + ("" if cells else " no-sessions")
    weekday = words.get(("l", day.weekday()))
    if weekday is None:
        weekday = words[("l", day.weekday())] = date_format(day, "l")
    month_name = words.get(("F", day.month))
    if month_name is None:
        month_name = words[("F", day.month)] = date_format(day, "F")
    today_html = '<span class="day-long"> (today)</span>' if day == today else ""
    return {
        "day": day,
        "css": css,
        "weekday": weekday,
        "month_name": month_name,
        "label": date_format(day, "MONTH_DAY_FORMAT") if cells else "",
        "iso": day.isoformat(),
        "is_today": day == today,
        "cells": cells,
        "head_html": mark_safe(
            f'<td class="{css}">\n        <span class="day"><span class="day-long">{escape(weekday)} </span>{day.day}'
            f'<span class="day-long"> {escape(month_name)}</span>{today_html}</span>'
        ),
    }


def athlete_calendar(*, athlete: Athlete, month: date, today: date) -> dict:
    """The athlete's programme for the month that starts on ``month``, in whole weeks: each day's
    sessions (done, missed, upcoming) with their exercises; adherence so far; the latest
    progression decisions; and what the gating rule allows today."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    sessions = (
        ScheduledSession.objects.filter(athlete=athlete, date__range=(weeks[0][0], weeks[-1][-1]))
        .annotate(has_sets=Exists(SetLog.objects.filter(prescribed__session=OuterRef("pk"))))
        # Each session's exercises in their order: by the session's id, not the model's ordering
        # by the session (its date), which joins the sessions again for nothing.
        .prefetch_related(Prefetch("exercises", queryset=PrescribedExercise.objects.select_related("exercise").order_by("session_id", "order")))
    )
    move_url = links.by_pk("session_move")
    words = {}
    by_day = {}
    for session in sessions:
        by_day.setdefault(session.date, []).append(_calendar_cell(session, today, move_url))
    sets = Athlete.objects.filter(pk=athlete.pk).annotate(**_adherence(today)).values("sets_prescribed", "sets_done").get()
    gating = services.gate_for(athlete)
    return {
        "month": month,
        "previous": (month - timedelta(days=1)).strftime("%Y-%m"),
        "next": (month + timedelta(days=32)).replace(day=1).strftime("%Y-%m"),
        "weeks": [[(day, by_day.get(day, [])) for day in week] for week in weeks],
        "calendar": [[_calendar_day(day, month, today, by_day.get(day, []), words) for day in week] for week in weeks],
        "today_iso": today.isoformat(),
        "has_sessions": bool(by_day),
        "adherence": _percent(sets["sets_done"], sets["sets_prescribed"]),
        "sets": sets,
        "decisions": ProgressionDecision.objects.filter(athlete=athlete).select_related("session")[:10],
        "gate": gating,
        "gate_phase": p.PHASE_LABELS[gating.phase].capitalize(),
        "nordic_allowed": gating.ceiling(p.Family.NORDIC.value) is not None,
    }


def _on_programme_since(last_monday: date):
    """Per athlete (``OuterRef("pk")``): when the programme they are on began, that is the
    earliest start of their assignments with a session from ``last_monday`` on; None when they
    have none (not on a programme, so no dose is expected). An EXISTS per assignment rather than a
    join to all its sessions from that Monday: PostgreSQL stops at the first (team of 100 on the
    bench's data: 3.3 to 0.7 ms)."""
    later = ScheduledSession.objects.filter(assignment=OuterRef("pk"), date__gte=last_monday)
    return Subquery(
        Assignment.objects.filter(Exists(later), athlete=OuterRef("pk")).order_by("start_date").values("start_date")[:1]
    )


def team_programme(*, team: Team, today: date) -> dict:
    """Adherence per athlete on the roster (sets done of sets due) and the Nordic reps of the
    last DOSE_WEEKS complete weeks and of this week so far (docs/clinical-rules.md#nordic-dose).

    An athlete is flagged below the maintenance dose on the last complete week only, and only
    when they were on the programme for all of it: this week is still running, and a week they
    joined half-way (or after) says nothing about their dose."""
    this_monday = today - timedelta(days=today.weekday())
    last_monday = this_monday - timedelta(weeks=1)
    weeks = [this_monday - timedelta(weeks=n) for n in range(DOSE_WEEKS, 0, -1)]  # complete weeks
    # One query, from each session's totals (programmes/services/totals.py): only the sessions up
    # to the end of this week are joined, none of their exercises or set logs. On the bench's data
    # (100 athletes of 2,000, a season of sessions each) the page's two queries over every
    # exercise and set log took about 36 ms; this one takes about 4
    # (docs/architecture.md#services-selectors-and-views).
    shown = [*weeks, this_monday]
    in_week = {f"week{n}": Coalesce(Sum("sessions_so_far__nordic_reps", filter=Q(
        sessions_so_far__date__gte=week, sessions_so_far__date__lt=week + timedelta(weeks=1))), 0)
        for n, week in enumerate(shown)}
    counted = _counted(today, "sessions_so_far__")
    athletes = list(
        Athlete.objects.filter(team=team).active()
        .alias(sessions_so_far=FilteredRelation(
            "scheduled_sessions", condition=Q(scheduled_sessions__date__lt=this_monday + timedelta(weeks=1))))
        .annotate(
            sets_prescribed=Coalesce(Sum("sessions_so_far__sets_counted", filter=counted), 0),
            sets_done=Coalesce(Sum("sessions_so_far__sets_logged", filter=counted), 0),
            on_programme_since=_on_programme_since(last_monday),
            **in_week,
        )
        .only("first_name", "last_name", "team_id")
        .order_by("last_name", "first_name", "pk")
    )
    # Labels and links once for the page: the template only prints (no date filter, no {% url %}
    # per row). The cells after the name are filled here, the labels escaped once for the page,
    # the numbers printed as they are (no localize per cell): 8 cells a row, 800 for a team of
    # 100, took the template about 10 ms of CPU a request on the bench's data, now under 2
    # (docs/architecture.md#services-selectors-and-views).
    week_labels = [date_format(week, "MONTH_DAY_FORMAT") for week in weeks]
    week_tds = [format_html('<td data-label="Week of {}">', label) for label in week_labels]
    programme_url = links.by_pk("athlete_programme")
    rows = []
    sets_done = sets_prescribed = 0
    for athlete in athletes:
        reps = [getattr(athlete, f"week{n}") for n in range(len(shown))]
        sets_done += athlete.sets_done
        sets_prescribed += athlete.sets_prescribed
        weekly = reps[:-1]
        full_week = athlete.on_programme_since is not None and athlete.on_programme_since <= last_monday
        adherence = _percent(athlete.sets_done, athlete.sets_prescribed)
        done_td = (
            f'<td data-label="Sets done">{adherence}% <span class="muted">({athlete.sets_done} of {athlete.sets_prescribed})</span></td>'
            if adherence is not None else '<td data-label="Sets done">—</td>'
        )
        week_cells = "".join(f"{td}{reps}</td>" for td, reps in zip(week_tds, weekly))  # numbers only: nothing to escape
        rows.append({
            "athlete": athlete,
            "name": f"{athlete.last_name}, {athlete.first_name}",
            "url": programme_url(athlete.pk),
            "adherence": adherence,
            "sets_done": athlete.sets_done,
            "sets_prescribed": athlete.sets_prescribed,
            "weekly": weekly,
            "this_week": reps[-1],
            "cells_html": mark_safe(
                f'{done_td}\n      {week_cells}\n      <td data-label="This week so far" class="this-week">{reps[-1]}</td>'
            ),
            "below": full_week and weekly[-1] < p.MAINTENANCE_WEEKLY_REPS_MIN,
            "first_week": athlete.on_programme_since is not None and not full_week,
        })
    return {
        "weeks": weeks,
        "week_labels": week_labels,
        "this_monday": this_monday,
        "rows": rows,
        "team_adherence": _percent(sets_done, sets_prescribed),
        "maintenance": p.MAINTENANCE_WEEKLY_REPS_MIN,
    }
