"""Safety never depends on the channels a person chose (docs/architecture.md#reminder-channels):
an urgent referral is on the athlete's own home page and a pain alert in the coach's notifications
whatever they turned off; the settings page offers no way to turn either off."""

import re

from django.urls import reverse

from injuries import examples
from injuries import services as injury_services
from reminders import services
from reminders.models import ChannelPreference, Kind, Notification, Reminder
from tests.reminders.test_push import _subscribe


def _every_channel_off(client):
    """Post the settings page with no box ticked: every email and push choice off."""
    response = client.post(reverse("notification_preferences"), {"time_zone": "UTC"})
    assert response.status_code == 302


def _see_a_doctor(body: str) -> str:
    start = body.index('role="alert"')
    return body[start:body.index("</section>", start)]


def test_with_push_and_email_off_an_urgent_referral_is_still_on_the_athletes_home(client, world, push_keys, push_service):
    _subscribe(world.athlete_user, push_service.device("phone"))
    client.force_login(world.athlete_user)
    page = client.get(reverse("notification_preferences")).content.decode()
    # Only email and push are choices: nothing on the page turns off the in-app list or the home page's advice.
    assert set(re.findall(r'name="(email|push)_[a-z_]+"', page)) == {"email", "push"}
    assert not re.search(r'name="(in_?app|notifications?)_', page)
    assert "advice to see a doctor always shows at the top of your home page" in page
    _every_channel_off(client)
    assert ChannelPreference.objects.filter(user=world.athlete_user).exists()
    assert not ChannelPreference.objects.filter(user=world.athlete_user, email=True).exists()
    assert not ChannelPreference.objects.filter(user=world.athlete_user, push=True).exists()

    injury_services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("grade_3"))
    card = _see_a_doctor(client.get(reverse("athlete_home")).content.decode())
    assert "See a doctor" in card


def test_with_push_off_a_coach_still_gets_the_pain_alert_in_the_app_and_by_email(client, world, push_keys, push_service, mailoutbox):
    _subscribe(world.coach, push_service.device("laptop"))
    client.force_login(world.coach)
    _every_channel_off(client)
    assert ChannelPreference.objects.get(user=world.coach, kind=Kind.PAIN_ALERT).email  # locked on: never saved off
    # The athlete's own urgent report raises a pain alert to their coaches.
    injury_services.complaint_report(athlete=world.athlete, reported_by=world.athlete_user,
                                     answers=examples.typed_answers("grade_3"))
    alert = Reminder.objects.filter(recipient=world.coach, kind=Kind.PAIN_ALERT).get()
    services.deliver(alert.pk)
    assert Notification.objects.filter(user=world.coach, kind=Kind.PAIN_ALERT).count() == 1
    assert len(mailoutbox) == 1 and not push_service.received
