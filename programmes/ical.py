from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import ScheduledSession


def feed(athlete) -> bytes:
    """Every scheduled session of the athlete as an all-day event; no health details inside.

    One event per session, its UID the session's own so a calendar app updates it in place. Two
    sessions with the same title on one day (a programme assigned twice, before assigning again
    asked what to do) are one event, not two identical ones; different sessions on one day stay
    apart, each with its own title.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//coachapp//sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "coachapp sessions")
    stamp = timezone.now()
    link = settings.SITE_URL + reverse("athlete_home")
    shown = set()
    sessions = ScheduledSession.objects.filter(athlete=athlete).only("pk", "date", "title").order_by("date", "pk")
    for session in sessions:
        summary = f"Training: {session.title or 'hamstring session'}"
        if (session.date, summary) in shown:
            continue
        shown.add((session.date, summary))
        event = Event()
        event.add("uid", f"session-{session.pk}@coachapp")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.date)
        event.add("summary", summary)
        event.add("url", link)
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
