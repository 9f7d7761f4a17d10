"""The reminders monitoring raises, and their wording; the reminder engine delivers them.

Tightness rising two mornings running alerts every coach of the athlete at once, with a link to
re-triage (docs/load-and-risk.md#tightness); a recurrence-watch flag tells them once per flag and
week (docs/load-and-risk.md#recurrence-watch). The wording is registered with the engine in
`MonitoringConfig.ready()` (docs/architecture.md#background-work).
"""

from django.urls import reverse

from reminders import services as engine
from reminders.models import Kind


def _coaches(athlete):
    return list(athlete.team.coaches.all())


def tightness_alert(athlete, day, sides) -> None:
    """Every coach of the athlete, at once; one alert per athlete and day."""
    engine.schedule_now(Kind.TIGHTNESS_RISING, _coaches(athlete), f"tightness:{athlete.pk}:{day.isoformat()}", athlete)


def training_pain_alert(athlete, row) -> None:
    """Every coach of the athlete, at once: hamstring pain in a team session (a pain alert, worded
    by injuries with its link to re-triage). One per logged session and pain: a session logged
    again with the same pain alerts no one twice."""
    engine.schedule_now(Kind.PAIN_ALERT, _coaches(athlete), training_pain_occurrence(row), athlete)


def training_pain_occurrence(row) -> str:
    return f"training-pain:{row.pk}:{row.hamstring_pain}"


def recurrence_flag(athlete, flag_key: str, week) -> None:
    """Every coach of the athlete, at once; one reminder per flag and ISO week."""
    engine.schedule_now(Kind.RECURRENCE_WATCH, _coaches(athlete), f"watch:{athlete.pk}:{flag_key}:{week.isoformat()}", athlete)


# --- Wording (registered in MonitoringConfig.ready) --------------------------------------------


def tightness_rising_message(reminder) -> dict:
    name = reminder.athlete.full_name
    return {
        "title": f"Tightness rising: {name}",
        "body": f"{name}'s hamstring has felt tighter two mornings running. Talk to them, and consider a re-triage.",
        "url": reverse("complaint_create", args=[reminder.athlete_id]),
    }


def recurrence_watch_message(reminder) -> dict:
    name = reminder.athlete.full_name
    return {
        "title": f"{name}: a flag after the return",
        "body": f"{name} returned from a hamstring injury recently and something in their load, dose or strength needs a look. Open their page to see what and why.",
        "url": reverse("athlete_detail", args=[reminder.athlete_id]),
    }
