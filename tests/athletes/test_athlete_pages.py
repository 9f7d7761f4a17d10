import pytest
from django.urls import reverse

from athletes.models import Athlete, Invitation
from tests.factories import AthleteFactory


def _form(world, **overrides):
    data = {
        "first_name": "Nia",
        "last_name": "Hughes",
        "email": "Nia.Hughes@Example.com",
        "team": world.team.pk,
        "sport": "Rugby",
        "position": "Wing",
        "dominant_leg": "left",
        "date_of_birth": "2001-04-09",
        "notes": "Tight hamstrings after long flights.",
    }
    data.update(overrides)
    return data


def test_coach_adds_an_athlete_and_invites_them(coach_client, world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(reverse("athlete_create"), _form(world, send_invitation="on"))
    athlete = Athlete.objects.get(last_name="Hughes")
    assert response.status_code == 302 and response["Location"] == reverse("athlete_detail", args=[athlete.pk])
    assert athlete.email == "nia.hughes@example.com" and athlete.team == world.team
    assert Invitation.objects.get(athlete=athlete).email == "nia.hughes@example.com"
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["nia.hughes@example.com"]
    assert "/invitations/" in mailoutbox[0].body


def test_adding_without_invitation_sends_nothing(coach_client, world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(reverse("athlete_create"), _form(world, email=""))
    assert Athlete.objects.filter(last_name="Hughes").exists()
    assert not Invitation.objects.exists() and not mailoutbox


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"first_name": ""}, "first_name", "This field is required."),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "not-a-date"}, "date_of_birth", "Enter a valid date."),
        ({"dominant_leg": "middle"}, "dominant_leg", "Select a valid choice."),
        ({"email": "nope"}, "email", "Enter a valid email address."),
        ({"email": "", "send_invitation": "on"}, "email", "needed to send an invitation"),
        ({"first_name": "x" * 500}, "first_name", "at most 60 characters"),
    ],
)
def test_invalid_athlete_form_rerenders_with_the_field_named(coach_client, world, overrides, field, message):
    before = Athlete.objects.count()  # not a surname: the world's athletes have random ones
    response = coach_client.post(reverse("athlete_create"), _form(world, **overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert "problem" in response.content.decode()
    assert Athlete.objects.count() == before


def test_coach_cannot_put_an_athlete_in_another_coaches_team(coach_client, world):
    before = Athlete.objects.count()
    response = coach_client.post(reverse("athlete_create"), _form(world, team=world.other_team.pk))
    assert "team" in response.context["form"].errors
    assert Athlete.objects.count() == before


def test_inviting_an_email_that_has_an_account_says_nothing_about_it(coach_client, world, mailoutbox, django_capture_on_commit_callbacks):
    """Whether an address has an account is for its owner to learn, from the invitation."""
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_client.post(
            reverse("athlete_create"), _form(world, email=world.other_coach.email, send_invitation="on"), follow=True
        )
    assert "invited them by email" in response.content.decode()
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line)
    coach_client.logout()
    page = coach_client.get(link.removeprefix("http://127.0.0.1:8000"))
    assert page.status_code == 410 and "already exists" in page.content.decode()


def test_coach_edits_an_athlete(coach_client, world):
    response = coach_client.post(
        reverse("athlete_edit", args=[world.athlete.pk]), _form(world, first_name="Renamed")
    )
    assert response.status_code == 302
    world.athlete.refresh_from_db()
    assert world.athlete.first_name == "Renamed"
    # The athlete signed up: their login email is theirs, not the coach's to change.
    assert world.athlete.email == world.athlete_user.email


def test_other_coach_cannot_edit_and_nothing_changes(client, world):
    client.force_login(world.other_coach)
    response = client.post(reverse("athlete_edit", args=[world.athlete.pk]), _form(world, first_name="Hacked"))
    assert response.status_code == 404
    world.athlete.refresh_from_db()
    assert world.athlete.first_name != "Hacked"


def test_archive_and_restore(coach_client, world):
    url = reverse("athlete_archive", args=[world.athlete.pk])
    coach_client.post(url, {"archive": "1"})
    world.athlete.refresh_from_db()
    assert world.athlete.is_archived
    roster = coach_client.get(reverse("roster")).context["page"].object_list
    assert world.athlete not in roster
    coach_client.post(url, {"archive": "0"})
    world.athlete.refresh_from_db()
    assert not world.athlete.is_archived


def test_archive_needs_post(coach_client, world):
    assert coach_client.get(reverse("athlete_archive", args=[world.athlete.pk])).status_code == 405


def test_detail_page_shows_profile_and_sections_for_later_work(coach_client, world):
    body = coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])).content.decode()
    for text in [world.athlete.full_name, "Injuries", "Programme", world.team.name]:
        assert text in body


def test_invite_button_sends_a_fresh_invitation(coach_client, world, mailoutbox, django_capture_on_commit_callbacks):
    newcomer = AthleteFactory(team=world.team, email="late@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        coach_client.post(reverse("athlete_invite", args=[newcomer.pk]))
        coach_client.post(reverse("athlete_invite", args=[newcomer.pk]))
    invitations = Invitation.objects.filter(athlete=newcomer)
    assert invitations.count() == 2 and len(mailoutbox) == 2
    # Only the newest link still works.
    assert sorted(i.is_expired for i in invitations) == [False, True]


def test_coach_home_lists_their_teams_with_counts(coach_client, world):
    response = coach_client.get(reverse("home"))
    teams = list(response.context["teams"])
    assert teams == [world.team] and teams[0].active_athletes == 2


def test_athlete_lands_on_their_phone_home(client, world):
    client.force_login(world.athlete_user)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("athlete_home")
    assert "Your sessions" in response.content.decode()
    assert response.context["athlete"] == world.athlete


def test_admin_is_sent_to_the_admin(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("home"))["Location"] == reverse("admin:index")
