from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import ScheduledSession


def feed(athlete) -> bytes:
    """Every scheduled session of the athlete as an all-day event; no health details inside."""
    calendar = Calendar()
    calendar.add("prodid", "-//coachapp//sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "coachapp sessions")
    stamp = timezone.now()
    link = settings.SITE_URL + reverse("athlete_home")
    for session in ScheduledSession.objects.filter(athlete=athlete).only("pk", "date", "title", "completed_at"):
        event = Event()
        event.add("uid", f"session-{session.pk}@coachapp")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.date)
        event.add("summary", f"Training: {session.title or 'hamstring session'}")
        event.add("url", link)
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
