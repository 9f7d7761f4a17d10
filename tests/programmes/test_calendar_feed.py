"""The athlete's calendar feed: one event per session with a stable UID, never two identical
events on a day; and the page that hands out its link: Subscribe (webcal://) and Copy link."""

from collections import Counter
from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from programmes import services
from programmes.models import Assignment, ScheduledSession
from tests.factories import ProgrammeTemplateFactory, library_template

MONDAY = date(2026, 11, 30)


@pytest.fixture(autouse=True)
def a_wednesday():
    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=UTC), tick=False):
        yield


def _events(client, athlete):
    token = services.calendar_token_regenerate(athlete=athlete)
    response = client.get(reverse("calendar_feed", args=[token]))
    assert response.status_code == 200
    return [c for c in Calendar.from_ical(response.content).walk("VEVENT")]


def test_assigning_twice_with_extend_gives_one_event_per_session_and_stable_uids(client, world):
    template = library_template()
    services.programme_assign(template=template, athletes=[world.athlete], start_date=MONDAY, weekdays=[0, 2, 4],
                              assigned_by=world.coach)
    earlier = Assignment.objects.get()
    services.programme_assign(template=template, athletes=[world.athlete], start_date=MONDAY, weekdays=[0, 2, 4],
                              assigned_by=world.coach, on_overlap="extend", seen={earlier.pk})
    events = _events(client, world.athlete)
    uids = [str(e["uid"]) for e in events]
    assert len(uids) == len(set(uids)) == ScheduledSession.objects.filter(athlete=world.athlete).count()
    assert max(Counter(e.decoded("dtstart") for e in events).values()) == 1
    again = _events(client, world.athlete)  # the same sessions keep the same UIDs
    assert {str(e["uid"]) for e in again} == set(uids)


def test_sessions_doubled_before_assigning_asked_show_once(client, world):
    """Data doubled by the old assignment (the same session twice on a day) is one event; two
    different sessions on one day stay two, each with its own title."""
    template = ProgrammeTemplateFactory(owner=world.coach)
    services.programme_assign(template=template, athletes=[world.athlete], start_date=MONDAY, weekdays=[0],
                              assigned_by=world.coach)
    first = ScheduledSession.objects.get(athlete=world.athlete)
    ScheduledSession.objects.create(assignment=first.assignment, athlete=world.athlete, date=first.date, week=1, title=first.title)
    ScheduledSession.objects.create(assignment=first.assignment, athlete=world.athlete, date=first.date, week=1, title="Running")
    events = _events(client, world.athlete)
    on_the_day = [(str(e["uid"]), str(e["summary"])) for e in events if e.decoded("dtstart") == first.date]
    assert sorted(summary for _, summary in on_the_day) == ["Training: Running", f"Training: {first.title}"]
    assert (f"session-{first.pk}@coachapp", f"Training: {first.title}") in on_the_day  # the first one's UID
    assert len({summary for _, summary in on_the_day}) == len(on_the_day)


def test_the_calendar_link_page_offers_subscribe_and_copy(client, world):
    services.calendar_token_regenerate(athlete=world.athlete)
    world.athlete.refresh_from_db()
    client.force_login(world.athlete_user)
    body = client.get(reverse("calendar_settings")).content.decode()
    feed = reverse("calendar_feed", args=[world.athlete.calendar_token])
    assert f'href="webcal://testserver{feed}"' in body
    assert 'data-copy="feed-url"' in body and 'id="feed-url"' in body
    assert "Copy link" in body and "Subscribe in my calendar app" in body
    assert "style=" not in body and "onclick" not in body  # the Content Security Policy allows neither


def test_without_a_link_the_page_offers_only_to_create_one(client, world):
    client.force_login(world.athlete_user)
    body = client.get(reverse("calendar_settings")).content.decode()
    assert "Create my calendar link" in body and "webcal://" not in body and "Copy link" not in body
