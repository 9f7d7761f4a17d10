"""What the API reads: every queryset is scoped through the one access rule
(`Athlete.objects.for_user` and the querysets built on it), each list in a fixed number of queries."""

from django.db.models import Prefetch

from athletes.models import Athlete, Team
from injuries import selectors as injury_selectors
from injuries.pathway import at_recurrence_risk
from injuries.models import ClearanceCheck, Complaint, Injury
from programmes.models import PrescribedExercise, ScheduledSession
from reminders.models import Notification
from testing.models import TestResult


def teams(user):
    return Team.objects.for_user(user).order_by("name", "pk")


def athletes(user):
    return Athlete.objects.for_user(user).select_related("team").order_by("last_name", "first_name", "pk")


def complaints(user):
    return Complaint.objects.for_user(user).order_by("-created_at", "-pk")


def injuries(user):
    checks = Prefetch("checks", queryset=ClearanceCheck.objects.order_by("id"))
    return Injury.objects.for_user(user).prefetch_related(checks).order_by("-onset_date", "-pk")


def board(user, team_id=None):
    """The availability board's athletes (current ones), soonest return first."""
    rows = Athlete.objects.for_user(user).active().select_related("team")
    if team_id is not None:
        rows = rows.filter(team_id=team_id)
    return injury_selectors.with_availability(rows)


def board_rows(page, today):
    """One page of the board in words: the open injuries of the page in one more query."""
    open_ones = injury_selectors.open_injuries(page)
    rows = []
    for athlete in page:
        injury = open_ones.get(athlete.injury_id)
        status, status_label = injury_selectors.status_of(injury, in_episode=athlete.episode_id is not None)
        rows.append({
            "athlete": athlete,
            "status": status,
            "status_label": status_label,
            "classification_label": injury_selectors.CLASSIFICATION_LABELS[injury.classification] if injury else "",
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
