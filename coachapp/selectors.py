"""What the coach's own pages read across the apps: the home page and the athlete page.

They gather the apps' own selectors (athletes, injuries, programmes), which only the project may
import together (docs/architecture.md#layers).
"""

from datetime import date

from athletes import selectors as athletes
from athletes.models import Athlete
from injuries import selectors as injuries
from programmes import selectors as programmes


def coach_home(*, user) -> dict:
    """The coach's teams with their roster sizes, the athletes' reports waiting (urgent ones
    counted apart) and the open pain alerts."""
    waiting = injuries.complaints_waiting(user=user)
    return {
        "teams": athletes.team_list(user=user),
        "waiting": waiting["waiting"],
        "urgent_waiting": waiting["urgent"],
        "alerts": programmes.alerts_open(user=user),
    }


def athlete_page(*, athlete: Athlete, today: date) -> dict:
    """One athlete for their coach: the profile, any invitation still open, and their injuries
    with the history strip and the recurrence window after the latest return."""
    return {
        "athlete": athlete,
        "pending_invitation": athletes.invitation_pending(athlete=athlete),
        **injuries.injury_history(athlete=athlete, today=today),
    }
