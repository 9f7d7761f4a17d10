"""The roster's team and status selects, printed from plain lists (RosterFilterForm.selects), read
as Django's own widgets would render them, whatever the query string says."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from athletes.forms import RosterFilterForm
from athletes.models import Team
from tests.factories import TeamFactory


class DjangoRendered(RosterFilterForm):
    """The roster's form with Django's own team field (one query to validate a team)."""

    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All my teams")


WIDGETS = Template(
    '<div class="field">{{ f.team.label_tag }} {{ f.team }}</div><div class="field">{{ f.status.label_tag }} {{ f.status }}</div>'
)


def _squeeze(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", html)).strip()


def _selects(body: str) -> str:
    return "".join(re.findall(r'<div class="field"><label for="id_(?:team|status)">.*?</select></div>', body, re.S))


@pytest.fixture
def params(world):
    second = TeamFactory(name="Bravo & Co", coaches=[world.coach])
    mine = str(world.team.pk)
    return [
        {},
        {"team": mine},
        {"team": str(second.pk), "status": "archived"},
        {"team": ""},
        {"team": "abc", "status": "zzz"},
        {"team": str(world.other_team.pk)},  # not the coach's
        {"team": f" {mine} "},  # valid (as int() reads it), yet no option is that string
        {"team": [mine, str(second.pk)]},  # the last one counts
        {"team": "99999999999999999999"},
        {"team": "-1"},
        {"team": "1.0"},
        {"team": "1\x00"},
        {"status": ""},
        {"status": ["archived", "active"]},
    ]


def test_the_selects_read_as_djangos_widgets_and_validate_the_same(coach_client, world, params):
    for query in params:
        response = coach_client.get(reverse("roster"), query)
        assert response.status_code == 200, query
        reference = DjangoRendered(response.wsgi_request.GET, user=world.coach)
        reference.is_valid()
        expected = _squeeze(WIDGETS.render(Context({"f": reference})))
        assert _squeeze(_selects(response.content.decode())) == expected, query
        filters = response.context["filters"]
        assert filters.errors.keys() == reference.errors.keys(), query
        assert filters.cleaned_data == reference.cleaned_data, query


def test_a_team_filter_is_checked_against_the_teams_read_for_the_select(client, world, django_assert_num_queries):
    client.force_login(world.coach)
    # session, user (with the header's unread count), the teams (for the select and the check),
    # the page with its total (athletes/paging.py), the access log row: Django's ModelChoiceField
    # read the team once more
    with django_assert_num_queries(5):
        response = client.get(reverse("roster"), {"team": world.team.pk})
    assert response.context["filters"].cleaned_data["team"] == world.team
    assert {a.pk for a in response.context["page"].object_list} == {world.athlete.pk, world.other_athlete.pk}
