from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from athletes.models import Invitation
from athletes.services import invitation_create
from tests.factories import PASSWORD, AthleteFactory, CoachFactory, InvitationFactory

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


def _invite_coach(client, world, email, capture):
    client.force_login(world.coach)
    with capture(execute=True):
        return client.post(reverse("team_invite_coach", args=[world.team.pk]), {"email": email}, follow=True)


def _link(mail):
    return next(line for line in mail.body.splitlines() if "/invitations/" in line).removeprefix("http://127.0.0.1:8000")


def test_an_existing_coach_is_invited_and_joins_nobody_until_they_accept(client, world, mailoutbox, django_capture_on_commit_callbacks):
    _invite_coach(client, world, world.other_coach.email.upper(), django_capture_on_commit_callbacks)
    assert world.team not in world.other_coach.coached_teams.all()
    assert len(mailoutbox) == 1 and "sign in and accept" in mailoutbox[0].body
    client.force_login(world.other_coach)
    assert client.get(reverse("athlete_detail", args=[world.athlete.pk])).status_code == 404  # no health data yet

    page = client.get(_link(mailoutbox[0]))
    assert page.status_code == 200 and "Accept and coach Alpha" in page.content.decode()
    assert world.team not in world.other_coach.coached_teams.all()  # opening the link is not accepting
    response = client.post(_link(mailoutbox[0]), {"action": "accept"})
    assert response.status_code == 302
    assert world.team in world.other_coach.coached_teams.all()
    assert client.get(reverse("athlete_detail", args=[world.athlete.pk])).status_code == 200
    assert client.get(_link(mailoutbox[0])).status_code == 410  # used


def test_an_invited_coach_who_is_signed_out_is_asked_to_sign_in_first(client, world, mailoutbox, django_capture_on_commit_callbacks):
    _invite_coach(client, world, world.other_coach.email, django_capture_on_commit_callbacks)
    client.logout()
    link = _link(mailoutbox[0])
    page = client.get(link).content.decode()
    assert "Sign in to accept" in page and "password1" not in page
    response = client.post(reverse("login"), {"username": world.other_coach.email, "password": PASSWORD, "next": link})
    assert response["Location"] == link


def test_the_answer_is_the_same_whoever_the_address_belongs_to(client, world, mailoutbox, django_capture_on_commit_callbacks):
    """A coach's, an athlete's, an admin's or nobody's address: the inviter learns nothing."""
    pages = []
    for email in [world.other_coach.email, world.athlete_user.email, world.admin.email, "nobody@example.com"]:
        response = _invite_coach(client, world, email, django_capture_on_commit_callbacks)
        assert response.redirect_chain == [(reverse("home"), 302)]
        pages.append([str(m).replace(email, "EMAIL") for m in response.context["messages"]])
    assert all(page == pages[0] for page in pages)
    assert len(mailoutbox) == 4 and Invitation.objects.filter(kind="coach").count() == 4
    assert world.team.coaches.count() == 1  # nobody joined


def test_only_a_coach_account_can_accept_a_coach_invitation(client, world, mailoutbox, django_capture_on_commit_callbacks):
    _invite_coach(client, world, world.athlete_user.email, django_capture_on_commit_callbacks)
    client.force_login(world.athlete_user)
    link = _link(mailoutbox[0])
    assert client.get(link).status_code == 403
    assert client.post(link, {"action": "accept"}).status_code == 403
    assert world.team.coaches.count() == 1


def test_someone_else_cannot_accept_an_invitation_sent_to_a_coach(client, world, mailoutbox, django_capture_on_commit_callbacks):
    outsider = CoachFactory(email="outsider@example.com")
    _invite_coach(client, world, world.other_coach.email, django_capture_on_commit_callbacks)
    client.force_login(outsider)
    assert client.post(_link(mailoutbox[0]), {"action": "accept"}).status_code == 403
    assert outsider not in world.team.coaches.all() and world.other_coach not in world.team.coaches.all()


def test_an_empty_accept_changes_nothing(client, world, mailoutbox, django_capture_on_commit_callbacks):
    _invite_coach(client, world, world.other_coach.email, django_capture_on_commit_callbacks)
    client.force_login(world.other_coach)
    for body in [{}, {"action": "yes"}]:
        assert client.post(_link(mailoutbox[0]), body).status_code == 400
    assert world.team not in world.other_coach.coached_teams.all()
    assert not Invitation.objects.filter(accepted_at__isnull=False).exists()


def test_a_coach_who_already_coaches_the_team_is_not_invited_again(coach_client, world, mailoutbox):
    response = coach_client.post(reverse("team_invite_coach", args=[world.team.pk]), {"email": world.coach.email}, follow=True)
    assert "already coaches" in response.content.decode()
    assert not Invitation.objects.exists() and not mailoutbox


def test_invitation_emails_are_throttled_per_coach(coach_client, world, settings, django_capture_on_commit_callbacks, mailoutbox):
    settings.INVITATION_EMAILS_PER_COACH_HOUR = 3
    url = reverse("team_invite_coach", args=[world.team.pk])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(3):
            assert coach_client.post(url, {"email": f"c{n}@example.com"}).status_code == 302
        refused = coach_client.post(url, {"email": "c3@example.com"})
    assert refused.status_code == 200 and "in the last hour" in refused.content.decode()
    assert len(mailoutbox) == 3 and Invitation.objects.count() == 3
    with time_machine.travel(timezone.now() + timedelta(hours=1, minutes=1)):
        assert coach_client.post(url, {"email": "c3@example.com"}).status_code == 302


def test_one_address_gets_a_few_invitations_a_day_whoever_sends_them(client, world, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.INVITATION_EMAILS_PER_ADDRESS_DAY = 2
    world.other_team.coaches.add(world.coach)
    for team in [world.team, world.other_team]:
        client.force_login(world.coach)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("team_invite_coach", args=[team.pk]), {"email": "target@example.com"})
    client.force_login(world.admin)
    refused = client.post(reverse("team_invite_coach", args=[world.team.pk]), {"email": "TARGET@example.com"})
    assert "in the last day" in refused.content.decode()
    assert len(mailoutbox) == 2


def test_a_throttled_athlete_invitation_saves_nothing(coach_client, world, settings):
    settings.INVITATION_EMAILS_PER_COACH_HOUR = 0
    data = {"first_name": "Tia", "last_name": "Throttle", "email": "tia@example.com", "team": world.team.pk,
            "dominant_leg": "right", "send_invitation": "on"}
    response = coach_client.post(reverse("athlete_create"), data)
    assert response.status_code == 200 and "in the last hour" in response.content.decode()
    assert not world.team.athletes.filter(last_name="Throttle").exists()


def test_invitation_stores_only_a_hash_of_the_token(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_create(invited_by=CoachFactory(), kind="coach", email="x@example.com", team=world.team)
    token = mailoutbox[0].body.split("/invitations/")[1].split("/")[0]
    assert token not in invitation.token_hash
    assert Invitation.objects.for_token(token).get() == invitation
