"""A coach's team pages of monitoring: the weekly load, one session logged for the whole team,
and the recurrence watch (docs/load-and-risk.md)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from athletes import audit, links
from athletes.access import coach_required, get_team_for_user
from athletes.models import Athlete

from .. import selectors
from ..forms import SessionChoiceForm, TeamSessionForm
from ..models import SessionKind
from ..services import MonitoringError, team_session_rpe_log, today_for


def _week_label(monday, this_monday) -> str:
    return "This week so far" if monday == this_monday else f"Week of {date_format(monday, 'MONTH_DAY_FORMAT')}"


def load_table(*, user, team, today) -> dict:
    """The team's weekly load as plain rows: labels, numbers and links worked out once here, so
    the template only loops (a fixed number of queries whatever the team's size).

    Each row's week cells are printed here, one string per row (``cells_html``): 600 cells through
    the template engine cost more than the rest of the page (docs/architecture.md#services-selectors-and-views).
    The numbers are whole numbers and the changes signed ones, so only the labels need escaping."""
    table = selectors.team_weekly_load(user=user, team=team, today=today)
    labels = [_week_label(week, table["weeks"][-1]) for week in table["weeks"]]
    opens = [f'<td data-label="{escape(label)}"><span class="team-load-number">' for label in labels]
    load_url = links.by_pk("athlete_load")
    rows = []
    for row in table["rows"]:
        cells = []
        for opened, week in zip(opens, row["weeks"]):
            change = selectors.signed(week.change)
            cells.append(f'{opened}{week.load}</span> <span class="muted team-load-change">({change})</span></td>' if change
                         else f"{opened}{week.load}</span></td>")
        athlete = row["athlete"]
        rows.append({"name": athlete.full_name, "url": load_url(athlete.pk), "cells_html": mark_safe("".join(cells))})
    team_weeks = [{"label": label, "total": week.total, "athletes": week.athletes, "mean": week.mean}
                  for label, week in zip(labels, table["team"])]
    return {"labels": labels, "rows": rows, "team_weeks": team_weeks}


@coach_required
def team_load(request, pk):
    """Each athlete's load for the last six weeks and the team's total and mean; no ratio, no score."""
    team = get_team_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_TEAM_LOAD, team_id=team.pk, record=f"load:{team.pk}")
    table = load_table(user=request.user, team=team, today=today_for(request.user))
    return render(request, "monitoring/team_load.html", {"team": team, **table})


@coach_required
def team_session_log(request, pk):
    """One training or match for the whole team at once: all saved, or nothing (each problem named)."""
    team = get_team_for_user(request.user, pk)
    athletes = Athlete.objects.for_user(request.user).active().filter(team=team).order_by("last_name", "first_name", "id")
    initial, opened = {"day": today_for(request.user)}, None
    choice = SessionChoiceForm(request.GET if "open-day" in request.GET else None, prefix="open")
    if request.method == "GET" and choice.is_valid():  # a session already logged, opened to correct it
        logged = selectors.team_session_logged(user=request.user, team=team, **choice.cleaned_data)
        initial = {**choice.cleaned_data, **logged}
        opened = {**choice.cleaned_data, "what": SessionKind(choice.cleaned_data["kind"]).label.lower(), "athletes": len(logged) // 3}
    form = TeamSessionForm(request.POST or None, athletes=athletes, initial=initial)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        try:
            rows = team_session_rpe_log(team=team, day=day, entries=form.entries(), by=request.user,
                                        kind=form.cleaned_data["kind"], label=form.cleaned_data["label"])
        except MonitoringError as error:
            form.add_error(None, str(error))
        else:
            whose = "athlete's" if len(rows) == 1 else "athletes'"
            messages.success(request, f"Logged {len(rows)} {whose} session of {date_format(day)}.")
            return redirect("team_load", pk=team.pk)
    context = {"team": team, "form": form, "rows": form.rows(), "choice": choice if choice.is_bound else SessionChoiceForm(prefix="open"),
               "opened": opened}
    return render(request, "monitoring/team_session_log.html", context)


def watch_list(*, user, team, today) -> list[dict]:
    """The recurrence watch as plain rows: each athlete's link, name, dates in words (each distinct
    date once) and badge worked out here, so the template only prints them
    (docs/architecture.md#services-selectors-and-views)."""
    load_url = links.by_pk("athlete_load")
    dates = {}

    def words(day) -> str:
        if day not in dates:
            dates[day] = date_format(day)
        return dates[day]

    return [{
        "name": row["athlete"].full_name,
        "url": load_url(row["athlete"].pk),
        "returned_on": words(row["returned_on"]),
        "watch_ends": words(row["watch_ends"]),
        "badge": f"{len(row['flags'])} flag{pluralize(len(row['flags']))}" if row["flags"] else "",
        "flags": row["flags"],
    } for row in selectors.team_recurrence_watch(user=user, team=team, today=today)]


@coach_required
def team_watch(request, pk):
    """The team's athletes in the two months after a return from a strain, the most flagged first."""
    team = get_team_for_user(request.user, pk)
    audit.record_shown(request.user, audit.Action.VIEW_WATCH, team_id=team.pk, record=f"watch:{team.pk}")
    rows = watch_list(user=request.user, team=team, today=today_for(request.user))
    return render(request, "monitoring/team_watch.html", {"team": team, "rows": rows})
