"""Dates read one way for one reader: the browser's language picks British ("3 Dec 2026") or
American ("Dec 3, 2026") English, on every page and in every message (coachapp/formats/)."""

import importlib
from datetime import date, datetime, timezone

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation

from tests.factories import InjuryFactory

BRITISH = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
AMERICAN = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
DAY = date(2026, 12, 3)
MOMENT = datetime(2026, 12, 3, 14, 5, tzinfo=timezone.utc)


@pytest.fixture
def pinned():
    with time_machine.travel("2026-12-03 14:05Z", tick=False):
        yield


@pytest.mark.parametrize(
    "accept, language",
    [
        ("en-US,en;q=0.9", "en-us"),
        ("en-GB,en;q=0.9", "en-gb"),
        ("en-AU,en;q=0.9", "en-gb"),  # any English but American writes the day first
        ("en", "en-gb"),
        ("de-DE,de;q=0.9", "en-gb"),  # a language we do not speak: the default
        ("", "en-gb"),
    ],
)
def test_the_browser_language_picks_the_date_order(client, world, pinned, accept, language):
    client.force_login(world.coach)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=accept)
    assert response["Content-Language"] == language
    assert f'<html lang="{language}">' in response.content.decode()


def test_an_american_reader_sees_american_dates_and_a_british_reader_british_ones(client, world, pinned):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    client.force_login(world.coach)
    url = reverse("injury_history", args=[injury.pk])
    british = client.get(url, **BRITISH).content.decode()
    american = client.get(url, **AMERICAN).content.decode()
    assert "3 Dec 2026, 14:05" in british and "Dec 3, 2026" not in british
    assert "Dec 3, 2026, 2:05 PM" in american and "3 Dec 2026" not in american


def test_a_date_input_keeps_its_iso_value_whatever_the_language(client, world, pinned):
    client.force_login(world.coach)
    for headers in (BRITISH, AMERICAN):
        body = client.get(reverse("team_export", args=[world.team.pk]), **headers).content.decode()
        assert 'type="date"' in body and 'value="2026-12-03"' in body and 'value="2025-12-03"' in body


def test_a_message_written_in_python_follows_the_reader(client, world, pinned):
    from injuries import examples
    from injuries.models import Episode

    client.force_login(world.coach)
    answers = examples.form_answers("doms")
    pages = {}
    for athlete, headers in ((world.athlete, BRITISH), (world.other_athlete, AMERICAN)):
        url = reverse("complaint_create", args=[athlete.pk])
        pages[athlete] = client.post(url, answers, follow=True, **headers).content.decode()
    ends = Episode.objects.get(athlete=world.athlete).ends_on
    assert Episode.objects.get(athlete=world.other_athlete).ends_on == ends
    assert f"until {ends.day} Dec 2026." in pages[world.athlete]
    assert f"until Dec {ends.day}, 2026." in pages[world.other_athlete]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en-gb", {
            "DATE_FORMAT": "3 Dec 2026", "MONTH_DAY_FORMAT": "3 Dec", "YEAR_MONTH_FORMAT": "December 2026",
            "SHORT_DATE_FORMAT": "3 Dec 2026", "DATETIME_FORMAT": "3 Dec 2026, 14:05",
            "SHORT_DATETIME_FORMAT": "3 Dec, 14:05", "weekday": "Thursday 3 Dec",
        }),
        ("en-us", {
            "DATE_FORMAT": "Dec 3, 2026", "MONTH_DAY_FORMAT": "Dec 3", "YEAR_MONTH_FORMAT": "December 2026",
            "SHORT_DATE_FORMAT": "Dec 3, 2026", "DATETIME_FORMAT": "Dec 3, 2026, 2:05 PM",
            "SHORT_DATETIME_FORMAT": "Dec 3, 2:05 PM", "weekday": "Thursday, Dec 3",
        }),
    ],
)
def test_each_named_format_reads_the_language_s_way(language, expected):
    template = Template("{% load dates %}{{ day|weekday_date }}")
    with translation.override(language):
        for name, words in expected.items():
            if name == "weekday":
                assert template.render(Context({"day": DAY})) == words
            else:
                value = MOMENT if "TIME" in name else DAY
                assert formats.date_format(value, name) == words, name


def test_both_languages_define_the_same_formats():
    """Django looks a name up in en_GB, then in en: one missing from en_GB would read American."""
    british = importlib.import_module("coachapp.formats.en_GB.formats")
    american = importlib.import_module("coachapp.formats.en.formats")
    names = {name for name in vars(british) if name.isupper()}
    assert names == {name for name in vars(american) if name.isupper()}
    assert {"DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT", "YEAR_MONTH_FORMAT", "SHORT_DATE_FORMAT"} <= names
