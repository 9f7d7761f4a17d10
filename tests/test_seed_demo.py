import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from django.urls import reverse

from athletes.models import Athlete, Team

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
