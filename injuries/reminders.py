"""The reminders an injury brings, and their wording; the reminder engine delivers them.

Who is told what, and when: the coaches and the athlete as the return window nears, the coaches
when it has passed, and the coaches after a clearance (docs/clinical-rules.md#recurrence); every
coach at once about an athlete's urgent report or a minor episode's pain that persists
(docs/clinical-rules.md#minor-episodes). The wording is registered with the engine in
`InjuriesConfig.ready()` (docs/architecture.md#background-work).
"""

from datetime import time, timedelta

from django.urls import reverse

from reminders import services as engine
from reminders.models import Kind

DAYTIME = time(9, 0)  # in the recipient's own time zone
CHECK_INS_AFTER_RETURN = (7, 14)  # days after the clearance


def _coaches(athlete):
    return list(athlete.team.coaches.all())


def schedule_injury(injury) -> None:
    """Return-near and overdue reminders for an open injury; check-ins after its return. Planned
    together, in a few queries whatever the number of coaches (engine.schedule_many)."""
    athlete = injury.athlete
    coaches = _coaches(athlete)
    about = {"injury": injury}
    if injury.cleared_on:
        engine.cancel(injury=injury, kind__in=[Kind.RETURN_NEAR, Kind.RETURN_OVERDUE])
        engine.schedule_many(
            engine.Plan(Kind.RECURRENCE_CHECK_IN, coach, f"injury:{injury.pk}:after-return-{days}d", athlete,
                        engine.local_time(coach, injury.cleared_on + timedelta(days=days), DAYTIME), about)
            for days in CHECK_INS_AFTER_RETURN
            for coach in coaches
        )
        return
    people = coaches + ([athlete.user] if athlete.user_id else [])
    near = (("3d", injury.expected_return_from - timedelta(days=3)), ("day", injury.expected_return_from))
    engine.schedule_many([
        *(engine.Plan(Kind.RETURN_NEAR, person, f"injury:{injury.pk}:return-{label}", athlete,
                      engine.local_time(person, day, DAYTIME), about)
          for label, day in near for person in people),
        *(engine.Plan(Kind.RETURN_OVERDUE, coach, f"injury:{injury.pk}:overdue", athlete,
                      engine.local_time(coach, injury.expected_return_to + timedelta(days=1), DAYTIME), about)
          for coach in coaches),
    ])


def pain_alert(athlete, occurrence: str) -> None:
    """Every coach of the athlete, at once (an urgent report, a minor episode's pain persisting)."""
    engine.schedule_now(Kind.PAIN_ALERT, _coaches(athlete), occurrence, athlete)


# --- Wording (registered in InjuriesConfig.ready) ----------------------------------------------


def _coach_link(reminder) -> str:
    if reminder.injury_id:
        return reverse("injury_detail", args=[reminder.injury_id])
    return reverse("athlete_detail", args=[reminder.athlete_id])


def return_near_message(reminder) -> dict:
    name, injury = reminder.athlete.full_name, reminder.injury
    return {
        "title": f"{name}: return to training from {injury.expected_return_from:%-d %b}",
        "body": f"{name}'s expected return window opens on {injury.expected_return_from:%A %-d %B}. Check the clearance checklist before then; the dates are a guide, the checklist decides.",
        "url": reverse("athlete_home") if reminder.recipient.is_athlete else _coach_link(reminder),
    }


def return_overdue_message(reminder) -> dict:
    name, injury = reminder.athlete.full_name, reminder.injury
    return {
        "title": f"{name}: return is overdue",
        "body": f"{name}'s expected return window closed on {injury.expected_return_to:%-d %B} and the injury is not cleared. Review the phase, the checklist and whether a doctor should see them.",
        "url": _coach_link(reminder),
    }


def recurrence_check_in_message(reminder) -> dict:
    name = reminder.athlete.full_name
    return {
        "title": f"{name}: check in after the return",
        "body": f"{name} returned to training recently; the next weeks carry the highest risk of a re-injury. How is the hamstring holding up?",
        "url": _coach_link(reminder),
    }


def pain_alert_message(reminder) -> dict:
    """Every pain alert's words; this link (a new complaint, to re-triage) unless the alert is
    about a session (programmes/reminders.py)."""
    name = reminder.athlete.full_name
    return {
        "title": f"Pain alert: {name}",
        "body": f"{name} reported pain that needs your attention. Review their programme and consider a re-triage.",
        "url": reverse("complaint_create", args=[reminder.athlete_id]),
    }
