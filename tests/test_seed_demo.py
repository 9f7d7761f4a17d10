from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from athletes.models import Athlete, Team
from injuries.models import Complaint, Injury
from testing.models import TestResult

User = get_user_model()
LOGINS = ["admin@example.com", "coach@example.com", "coach2@example.com", "athlete@example.com"]


def test_seed_demo_is_idempotent_and_every_login_works(db, settings, client, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Team.objects.count(), Athlete.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Team.objects.count(), Athlete.objects.count()) == counts
    out = capsys.readouterr().out
    for email in LOGINS:
        assert email in out
        response = client.post(reverse("login"), {"username": email, "password": "coachapp-demo"})
        assert response.status_code == 302, email
        client.logout()


def test_demo_teams_have_their_own_coach_and_five_athletes(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    coach, coach2 = User.objects.get(email="coach@example.com"), User.objects.get(email="coach2@example.com")
    team, team2 = coach.coached_teams.get(), coach2.coached_teams.get()
    assert team != team2
    assert team.athletes.count() >= 5 and team2.athletes.count() >= 5
    assert Athlete.objects.get(user__email="athlete@example.com").team == team
    assert User.objects.get(email="admin@example.com").is_superuser


def test_seed_demo_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert not User.objects.exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(email="coach@example.com").exists()


@pytest.mark.calendar
def test_the_demo_has_a_story_to_look_at_and_tells_it_once(db, settings, client):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    coach = User.objects.get(email="coach@example.com")
    team = coach.coached_teams.get()
    open_injuries = Injury.objects.filter(athlete__team=team, cleared_on__isnull=True)
    assert sorted(open_injuries.values_list("phase", flat=True)) == ["protect", "rehab", "return_to_training"]
    urgent = open_injuries.get(phase="protect")
    assert urgent.waiting_for_doctor  # the urgent case waits for a doctor's review
    assert Injury.objects.filter(athlete__team=team, phase="cleared").count() == 1
    assert Complaint.objects.filter(athlete__team=team, status="pending").count() == 1
    assert TestResult.objects.filter(athlete__team=team).count() == 3 * team.athletes.count()

    client.force_login(coach)
    screening = client.get(reverse("team_screening", args=[team.pk]), {"show": "flagged"}).content.decode()
    assert "<strong>1 of 6 athletes</strong> over a limit" in screening and "Becker" in screening
    client.force_login(User.objects.get(email="athlete@example.com"))
    home = client.get(reverse("athlete_home")).content.decode()
    assert "Today's session" in home


@pytest.mark.calendar
def test_the_demo_webhook_is_switched_off_at_a_reserved_address_with_a_log_to_look_at(db, settings, client, monkeypatch):
    from webhooks import services as webhook_services
    from webhooks.models import Attempt, Delivery, Endpoint, WebhookEvent

    sent = []
    monkeypatch.setattr(webhook_services, "enqueue", sent.extend)
    monkeypatch.setattr(webhook_services, "post", lambda *args: sent.append(args))
    settings.DEBUG = True
    call_command("seed_demo")
    coach = User.objects.get(email="coach@example.com")
    team = coach.coached_teams.get()
    endpoint = Endpoint.objects.get()
    assert endpoint.team == team and not endpoint.active
    assert endpoint.url.startswith("https://") and urlsplit(endpoint.url).hostname.endswith(".example")  # RFC 2606
    statuses = sorted(Delivery.objects.values_list("status", flat=True))
    assert statuses == ["cancelled"] + ["delivered"] * 4
    assert Attempt.objects.count() == 5  # one delivery took two tries, the cancelled one none
    assert set(WebhookEvent.objects.values_list("type", flat=True)) == {
        "injury.opened", "injury.phase_changed", "injury.cleared",
    }
    assert all("notes" not in event.payload["data"] for event in WebhookEvent.objects.all())
    counts = (Endpoint.objects.count(), WebhookEvent.objects.count(), Delivery.objects.count(), Attempt.objects.count())

    call_command("seed_demo")  # idempotent
    assert (Endpoint.objects.count(), WebhookEvent.objects.count(), Delivery.objects.count(), Attempt.objects.count()) == counts
    assert sent == []  # nothing queued, nothing posted

    client.force_login(User.objects.get(email="coach@example.com"))  # its password was set again
    response = client.get(reverse("team_webhooks", args=[team.pk]))
    assert response.status_code == 200, response.get("Location")
    page = response.content.decode()
    assert "receiver.harbour-city.example" in page and "Switched off: A demo address" in page
    assert page.count("Delivered (answer 200)") == 4 and "Not sent: the webhook was switched off" in page


def test_the_demo_webhook_comes_back_after_a_coach_deleted_it(db, settings):
    from webhooks.models import Delivery, Endpoint

    settings.DEBUG = True
    call_command("seed_demo")
    Endpoint.objects.get().delete()
    call_command("seed_demo")  # its events are still there: the deliveries point at them again
    assert Endpoint.objects.count() == 1 and Delivery.objects.count() == 5
