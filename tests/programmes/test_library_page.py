"""The coach's exercise library page: plain words only, each exercise's facts, steps and cues."""

import re
from html import unescape

import pytest
from django.urls import reverse

from programmes import progression as p
from programmes.models import Exercise


def _text(response):
    """What a person reads: the page's main content without tags, attributes or extra spaces."""
    main = response.content.decode().split('id="main"', 1)[1]
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main)))


@pytest.fixture
def library(coach_client):
    return lambda **query: coach_client.get(reverse("exercise_library"), query)


def test_the_library_shows_no_internal_code(library):
    text = _text(library())
    codes = {phase.value for phase in p.TrainingPhase} | {family.value for family in p.Family}
    codes |= {key for key in p.RUNGS_BY_KEY}
    assert not [code for code in codes if "_" in code and code in text]
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", text), re.findall(r"\b[a-z]+_[a-z0-9_]+\b", text)
    assert ".." not in text and "week.." not in text
    assert "return to training" in text


def test_phases_are_listed_in_the_pathways_order_in_plain_words(library):
    text = _text(library(family="hip_hinge"))
    assert "Isometric hip-hinge hold" in text
    assert "Allowed in Protect, rehab, return to training, cleared, prevention" in text
    assert "Range Hold at the depth that stays comfortable; a little deeper each week. " in text


def test_a_run_shows_its_effort_not_a_range(library):
    text = _text(library(family="running"))
    assert "Effort About 80% effort." in text and "Range About" not in text
    assert "Allowed in Return to training" in text


def test_each_exercise_has_its_numbered_steps_and_cues(library):
    body = library(family="nordic").content.decode()
    full = body.split("<h3>Full Nordic curl", 1)[1].split("</li>\n", 1)[0]
    assert "How to do it" in full
    steps = re.findall(r"<li>([^<]+)</li>", full.split('<ol class="how-to-steps">', 1)[1].split("</ol>", 1)[0])
    assert steps == Exercise.objects.get(key="nordic_full").step_list and len(steps) >= 3
    assert '<span class="how-to-label">Cues:</span> Lower as slowly as you can' in full


def test_every_seeded_exercise_is_on_the_page_with_its_steps(library):
    body = library().content.decode()
    assert body.count('<ol class="how-to-steps">') == Exercise.objects.count() == len(p.RUNGS_BY_KEY)


def test_the_library_is_a_fixed_number_of_queries(library, django_assert_num_queries):
    library()
    Exercise.objects.filter(key="nordic_full").update(video_url="https://videos.example.org/nordic")
    with django_assert_num_queries(3):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        library()
