from django.urls import reverse

from tests.factories import PASSWORD


def test_login_with_email_in_any_case(client, world):
    response = client.post(reverse("login"), {"username": world.coach.email.upper(), "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_wrong_password_rerenders_with_a_clear_message(client, world):
    response = client.post(reverse("login"), {"username": world.coach.email, "password": "wrong"})
    assert response.status_code == 200
    assert "email and password do not match" in response.content.decode()


def test_password_reset_sends_an_email_with_a_working_link(client, world, mailoutbox):
    client.post(reverse("password_reset"), {"email": world.coach.email})
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path, follow=True)
    assert response.context["validlink"]
    new = "a-much-better-password-7"
    client.post(response.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    world.coach.refresh_from_db()
    assert world.coach.check_password(new)


def test_logout_ends_the_session(coach_client):
    coach_client.post(reverse("logout"))
    assert coach_client.get(reverse("roster")).status_code == 302


def test_a_wrong_password_says_what_is_wrong_without_counting_field_problems(client, world):
    response = client.post(reverse("login"), {"username": world.coach.email, "password": "not-it"})
    page = response.content.decode()
    assert response.status_code == 200 and "do not match an account" in page
    assert "problem below" not in page


def test_signing_out_says_so(client, world):
    client.force_login(world.coach)
    response = client.post(reverse("logout"), follow=True)
    assert "You are signed out." in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("login")
