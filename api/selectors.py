"""What the API reads: every queryset is scoped through the one access rule
(`Athlete.objects.for_user` and the querysets built on it), each list in a fixed number of queries."""

from django.db.models import Prefetch

from athletes.models import Athlete, Team
from injuries import selectors as injury_selectors
from injuries.pathway import at_recurrence_risk
from injuries.models import ClearanceCheck, Complaint, Injury
from programmes.models import Assignment, PrescribedExercise, ScheduledSession
from reminders.models import Notification
from testing import imports
from testing import selectors as testing_selectors
from testing.models import TestResult


def teams(user):
    return Team.objects.for_user(user).order_by("name", "pk")


# What the API's athlete rows print (api/serializers.py, AthleteSerializer), and no more: not the
# notes, the calendar token or the team's other columns.
ATHLETE_COLUMNS = ["team_id", "user_id", "first_name", "last_name", "sport", "position", "dominant_leg", "archived_at", "team__name"]


def athletes(user):
    return (Athlete.objects.for_user(user).select_related("team").only(*ATHLETE_COLUMNS)
            .order_by("last_name", "first_name", "pk"))


def complaints(user):
    return Complaint.objects.for_user(user).order_by("-created_at", "-pk")


def injuries(user):
    checks = Prefetch("checks", queryset=ClearanceCheck.objects.order_by("id"))
    return Injury.objects.for_user(user).prefetch_related(checks).order_by("-onset_date", "-pk")


def board(user, team_id=None):
    """The availability board's athletes (current ones), soonest return first, each with their
    open injury or episode (``board_record``) in the same query."""
    rows = Athlete.objects.for_user(user).active().only(*injury_selectors.BOARD_COLUMNS)
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    return injury_selectors.with_board_status(rows)


def board_rows(page, today):
    """One page of the board in words, from the rows' own ``board_record``: no further query."""
    rows = []
    for athlete in page:
        record = athlete.board_record
        status, status_label, classification_label = injury_selectors.record_status(record, athlete.board_report)
        rows.append({
            "athlete": athlete,
            "status": status,
            "status_label": status_label,
            "injury": record["injury"] if record and "injury" in record else None,
            "classification_label": classification_label,
            "recurrence_risk": at_recurrence_risk(athlete.last_return, today),
        })
    return rows


def sessions(user):
    exercises = Prefetch(
        "exercises",
        queryset=PrescribedExercise.objects.select_related("exercise").prefetch_related("set_logs").order_by("order"),
    )
    return (ScheduledSession.objects.for_user(user).select_related("assignment__template")
            .prefetch_related(exercises).order_by("date", "pk"))


def test_results(user):
    return TestResult.objects.for_user(user).select_related("test_type").order_by("-tested_on", "-pk")


def notifications(user):
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")


def import_names(team, unmatched) -> list[dict]:
    """The names a refused import could not match, each with the team's current athletes it may
    be: those the name matches first (several athletes share it), then those sharing a word of it,
    then the rest. One query, whatever the number of names."""
    athletes = list(team.athletes.active().only("first_name", "last_name").order_by("last_name", "first_name", "pk"))
    folded = {athlete.pk: imports.fold(athlete.full_name) for athlete in athletes}
    rows = []
    for name in unmatched:
        keys = imports.name_keys(name.name)
        words = set(" ".join(keys).split())

        def likeness(athlete):
            return (folded[athlete.pk] not in keys, not words & set(folded[athlete.pk].split()))

        rows.append({
            "name": name.name, "lines": list(name.lines), "several": name.several,
            "candidates": [{"id": a.pk, "name": a.full_name} for a in sorted(athletes, key=likeness)],
        })
    return rows


def injury_history(injury) -> dict:
    """Every change to the injury and its checklist in words, as its history page shows them."""
    return {"injury": injury.pk, **injury_selectors.injury_changes(injury=injury)}


def screening(team, *, flagged_only: bool = False) -> dict:
    """The team's screening table (testing's own selector), in plain values: each current
    athlete's latest asymmetry in every test done on both legs, over-limit ones flagged."""
    table = testing_selectors.team_screening_table(team=team, flagged_only=flagged_only)

    def cell(cell):
        result = cell["result"]
        return {
            "test": cell["test_type"].key,
            "tested_on": result.tested_on if result else None,
            "left": result.left if result else None,
            "right": result.right if result else None,
            "asymmetry_pct": cell.get("asymmetry"),
            "over": cell["over"],
            "weaker": str(cell["weaker"]) if cell.get("weaker") else "",
        }

    return {
        "team": team.pk,
        "athlete_count": table["athlete_count"],
        "flagged_count": table["flagged_count"],
        "tests": [{"key": t.key, "name": t.name, "unit": t.unit, "limit_pct": t.asymmetry_threshold_pct}
                  for t in table["test_types"]],
        "rows": [{"athlete": row["athlete"].pk, "first_name": row["athlete"].first_name,
                  "last_name": row["athlete"].last_name, "flagged": row["flagged"],
                  "cells": [cell(c) for c in row["cells"]]} for row in table["rows"]],
    }


def programmes(user):
    """Athletes' programmes (a template assigned from a day), each with its sessions by date."""
    in_order = Prefetch("sessions", queryset=ScheduledSession.objects.order_by("date", "pk"))
    return (Assignment.objects.filter(athlete__in=Athlete.objects.for_user(user)).select_related("template")
            .prefetch_related(in_order).order_by("-start_date", "-pk"))
