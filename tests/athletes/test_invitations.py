from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from athletes.models import Invitation
from athletes.services import invitation_create
from tests.factories import AthleteFactory, CoachFactory, InvitationFactory

User = get_user_model()
GOOD = {"password1": "hamstring-strong-42", "password2": "hamstring-strong-42"}


def test_athlete_sets_a_password_and_lands_on_their_home(client, world):
    athlete = AthleteFactory(team=world.team, email="new.one@example.com")
    InvitationFactory(token="tok-athlete-1", team=world.team, athlete=athlete, email=athlete.email)
    response = client.post(reverse("invitation_accept", args=["tok-athlete-1"]), GOOD, follow=True)
    assert response.redirect_chain[-1][0] == reverse("athlete_home")
    athlete.refresh_from_db()
    assert athlete.user.email == "new.one@example.com" and athlete.user.is_athlete
    assert athlete.user.check_password(GOOD["password1"])
    assert response.context["user"] == athlete.user


def test_a_used_invitation_says_so(client, world):
    invitation = InvitationFactory(token="tok-used", team=world.team, athlete__email="used@example.com")
    client.post(reverse("invitation_accept", args=["tok-used"]), GOOD)
    client.logout()
    response = client.get(reverse("invitation_accept", args=["tok-used"]))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.is_used


def test_an_expired_invitation_says_so_and_creates_nothing(client, world):
    InvitationFactory(token="tok-old", team=world.team, athlete__email="late@example.com")
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(reverse("invitation_accept", args=["tok-old"]), GOOD)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="late@example.com").exists()


def test_an_unknown_token_says_so(client, db):
    response = client.get(reverse("invitation_accept", args=["no-such-token"]))
    assert response.status_code == 410 and "not valid" in response.content.decode()


def test_weak_or_mismatched_passwords_rerender_with_errors(client, world):
    InvitationFactory(token="tok-weak", team=world.team, athlete__email="weak@example.com")
    url = reverse("invitation_accept", args=["tok-weak"])
    response = client.post(url, {"password1": "12345", "password2": "12345"})
    assert response.status_code == 200
    assert "too short" in str(response.context["form"].errors["password1"])
    response = client.post(url, {"password1": GOOD["password1"], "password2": "different-one-99"})
    assert "do not match" in str(response.context["form"].errors["password2"])
    assert not User.objects.filter(email="weak@example.com").exists()


def test_the_same_link_twice_creates_one_account(client, world):
    InvitationFactory(token="tok-twice", team=world.team, athlete__email="twice@example.com")
    url = reverse("invitation_accept", args=["tok-twice"])
    client.post(url, GOOD)
    client.logout()
    second = client.post(url, GOOD)
    assert second.status_code == 410
    assert User.objects.filter(email="twice@example.com").count() == 1


def test_coach_invitation_adds_the_new_coach_to_the_team(client, world, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(world.coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("team_invite_coach", args=[world.team.pk]), {"email": "assistant@example.com"})
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line)
    client.logout()
    response = client.post(
        link.removeprefix("http://127.0.0.1:8000"),
        {"first_name": "Ann", "last_name": "Assist", **GOOD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assistant = User.objects.get(email="assistant@example.com")
    assert assistant.is_coach and world.team in assistant.coached_teams.all()


def test_existing_coach_joins_the_team_at_once(client, world, mailoutbox):
    client.force_login(world.coach)
    client.post(reverse("team_invite_coach", args=[world.team.pk]), {"email": world.other_coach.email.upper()})
    assert world.team in world.other_coach.coached_teams.all()
    assert not Invitation.objects.exists() and not mailoutbox


def test_an_athlete_account_cannot_be_invited_as_coach(client, world):
    client.force_login(world.coach)
    response = client.post(reverse("team_invite_coach", args=[world.team.pk]), {"email": world.athlete_user.email})
    assert response.status_code == 200
    assert "not a coach" in str(response.context["form"].errors["email"])


def test_invitation_stores_only_a_hash_of_the_token(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(invited_by=CoachFactory(), kind="coach", email="x@example.com", team=world.team)
    token = mailoutbox[0].body.split("/invitations/")[1].split("/")[0]
    assert token not in invitation.token_hash
    assert Invitation.objects.for_token(token).get() == invitation
