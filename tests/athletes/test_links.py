"""A list page's row links, reversed once per page (athletes/links.py), and the header's links
(coachapp/context_processors.py): the very URLs reverse() gives."""

import pytest
from django.test import RequestFactory
from django.urls import reverse, set_script_prefix

from athletes import links
from coachapp.context_processors import SITE_LINKS, site_links


@pytest.mark.parametrize("name", ["athlete_detail", "athlete_programme", "athlete_tests", "injury_detail", "episode_detail", "session_move"])
@pytest.mark.parametrize("pk", [1, 7, 42, 123456789])
def test_a_row_link_is_the_url_reverse_gives(name, pk):
    assert links.by_pk(name)(pk) == reverse(name, args=[pk])


def test_the_header_links_are_the_urls_reverse_gives():
    shown = site_links(RequestFactory().get("/"))["site_links"]
    assert shown == {key: reverse(name) for key, name in SITE_LINKS.items()}


def test_the_header_links_follow_the_script_prefix():
    set_script_prefix("/coach/")
    try:
        shown = site_links(RequestFactory().get("/"))["site_links"]
        assert shown["roster"] == reverse("roster") == "/coach/athletes/"
    finally:
        set_script_prefix("/")
