import pytest
from django.urls import reverse

from tests.factories import AthleteFactory, TeamFactory


def test_coach_sees_only_athletes_of_their_teams(coach_client, world):
    stranger = AthleteFactory(team=world.other_team, last_name="Outsider")
    response = coach_client.get(reverse("roster"))
    names = [a.pk for a in response.context["page"].object_list]
    assert world.athlete.pk in names and world.other_athlete.pk in names
    assert stranger.pk not in names
    assert "Outsider" not in response.content.decode()


def test_search_matches_every_word_across_fields(coach_client, world):
    AthleteFactory(team=world.team, first_name="Zara", last_name="Quinn", position="Goalkeeper")
    AthleteFactory(team=world.team, first_name="Zara", last_name="Moss", position="Winger")
    response = coach_client.get(reverse("roster"), {"q": "zara goal"})
    assert [a.last_name for a in response.context["page"].object_list] == ["Quinn"]


def test_team_filter_and_archived_status(coach_client, world):
    second = TeamFactory(name="Charlie", coaches=[world.coach])
    in_second = AthleteFactory(team=second)
    archived = AthleteFactory(team=second, archived_at="2026-01-01T00:00Z")
    page = coach_client.get(reverse("roster"), {"team": second.pk}).context["page"]
    assert [a.pk for a in page.object_list] == [in_second.pk]
    page = coach_client.get(reverse("roster"), {"team": second.pk, "status": "archived"}).context["page"]
    assert [a.pk for a in page.object_list] == [archived.pk]


def test_a_team_the_coach_does_not_have_is_ignored_not_an_error(coach_client, world):
    response = coach_client.get(reverse("roster"), {"team": world.other_team.pk, "page": "abc"})
    assert response.status_code == 200
    assert world.athlete in response.context["page"].object_list


def test_htmx_request_gets_only_the_results_partial(coach_client, world):
    response = coach_client.get(reverse("roster"), {"q": world.athlete.last_name}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="roster-results"')
    assert "<html" not in body
    assert world.athlete.last_name in body


def test_full_page_keeps_plain_links_and_form_working_without_htmx(coach_client, world):
    body = coach_client.get(reverse("roster"), {"q": "x"}).content.decode()
    assert '<form method="get" action="/athletes/"' in body
    assert 'id="roster-results"' in body


@pytest.mark.parametrize("roster_size", [5, 200])
def test_roster_query_count_does_not_grow_with_the_roster(client, world, django_assert_num_queries, roster_size):
    second_team = TeamFactory(coaches=[world.coach])
    AthleteFactory.create_batch(roster_size - 2, team=second_team)  # the world has two already
    client.force_login(world.coach)
    # session, user (with the header's unread count: reminders/backends.py), team choices for the
    # filter, the page of athletes with their total (athletes/paging.py) and their injury status in
    # subqueries, the access log row (the statuses are health data)
    with django_assert_num_queries(5):
        response = client.get(reverse("roster"))
    assert response.status_code == 200
