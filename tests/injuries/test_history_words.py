"""The "every change" history and the side of an injury read in words: each field by its label,
each value as a page shows it, and "both legs" / "the left hamstring", never a code."""

import html
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from injuries import selectors
from injuries.display import EMPTY, field_label, value_words
from injuries.models import Injury
from injuries.sides import side_words
from tests.factories import ComplaintFactory, InjuryFactory

CODES = re.compile(
    r"\b(cramp|doms|grade_[123]|urgent|recommended|if_not_improving|not_needed|advised|seen|protect|rehab|"
    r"return_to_training|cleared|True|False|None)\b|_"
)


def _text(response) -> str:
    """What a reader sees: the page's text without tags or attributes."""
    body = response.content.decode()
    main = body[body.index("<main"):body.index("</main>")]
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main)))


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@pytest.fixture
def pinned():
    with time_machine.travel("2026-12-03 10:00Z", tick=False):
        yield


def test_every_change_shows_labels_and_values_in_words(coach_client, world, pinned):
    injury = InjuryFactory(complaint__athlete=world.athlete)  # grade 1, no doctor needed
    before = Injury.objects.get(pk=injury.pk)
    coach_client.post(
        reverse("injury_override", args=[injury.pk]), {"classification": "grade_3", "reason": "The scan shows a tear."}
    )
    coach_client.post(
        reverse("injury_doctor_review", args=[injury.pk]),
        {"reviewer": "Dr Okafor", "reviewed_on": "2026-12-03", "note": "Complete tear: see the surgeon."},
    )
    coach_client.post(reverse("injury_details", args=[injury.pk]), {"notes": "MRI booked."})
    after = Injury.objects.get(pk=injury.pk)

    response = coach_client.get(reverse("injury_history", args=[injury.pk]))
    text = _text(response)
    coach = world.coach.get_full_name()
    for line in [
        "Classification: Grade 1 strain (mild) → Grade 3 strain (severe, complete tear)",
        "Referral: See a doctor if it is not improving → See a doctor now",
        "Doctor: No doctor needed so far → Advised to see a doctor",
        f"Expected back from: {_day(before.expected_return_from)} → {_day(after.expected_return_from)}",
        f"Expected back by: {_day(before.expected_return_to)} → {_day(after.expected_return_to)}",
        "Ever referred urgently: No → Yes",
        "Doctor: Advised to see a doctor → Seen by a doctor",
        f"Doctor's review on: {EMPTY} → 3 Dec 2026",
        f"Reviewed by: {EMPTY} → Dr Okafor",
        f"Review recorded by: {EMPTY} → {coach}",
        f"Notes: {EMPTY} → MRI booked.",
        f"3 Dec 2026, 10:00 · {coach} · changed",
    ]:
        assert line in text, line
    assert text.count("opened") == 1
    assert not CODES.search(text.replace("Dr Okafor", "")), CODES.search(text)
    assert "Updated at" not in text and "Created at" not in text  # every save's own stamps: noise


def _tracked_fields():
    return [
        field for field in Injury._meta.fields
        if field.editable and not field.primary_key and field.name not in selectors.HISTORY_UNCHANGING
    ]


@pytest.mark.parametrize("field", _tracked_fields(), ids=lambda field: field.name)
def test_every_field_that_can_change_has_a_label_and_its_values_read_in_words(field, world):
    label = field_label(Injury, field.name)
    assert "_" not in label and label[:1].isupper(), label
    assert value_words(Injury, field.name, None) == value_words(Injury, field.name, "") == EMPTY
    if field.choices:
        for code, words in field.flatchoices:
            assert value_words(Injury, field.name, code) == words != code
    elif field.get_internal_type() == "BooleanField":
        assert (value_words(Injury, field.name, True), value_words(Injury, field.name, False)) == ("Yes", "No")
    elif field.get_internal_type() == "DateField":
        assert value_words(Injury, field.name, date(2026, 12, 3)) == "3 Dec 2026"
    elif field.is_relation:
        assert value_words(Injury, field.name, world.coach.pk, people={world.coach.pk: world.coach}) == str(world.coach)
        assert value_words(Injury, field.name, 10**9, people={}) == "someone since removed"
    else:
        assert value_words(Injury, field.name, "Seen at the clinic") == "Seen at the clinic"


def test_the_history_reads_in_three_queries_however_long(coach_client, world, django_assert_num_queries):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    for note in ["One", "Two", "Three", "Four"]:
        coach_client.post(reverse("injury_details", args=[injury.pk]), {"notes": note})
    coach_client.post(reverse("injury_check", args=[injury.pk, "walks_pain_free"]), {"done": "true"})
    with django_assert_num_queries(2):  # the versions, the checklist's changes
        changes = selectors.injury_changes(injury=injury)
    assert [version["action"] for version in changes["versions"]][-1] == "opened"
    assert changes["checks"][0]["item"] and changes["checks"][0]["done"] == "ticked"
    coach_client.post(
        reverse("injury_doctor_review", args=[injury.pk]),
        {"reviewer": "Dr Okafor", "reviewed_on": str(injury.onset_date), "note": "Fine."},
    )
    with django_assert_num_queries(3):  # and the people a change names
        selectors.injury_changes(injury=injury)


# --- The side, in words ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "side, part, words",
    [
        ("left", "leg", "left leg"),
        ("right", "hamstring", "right hamstring"),
        ("both", "leg", "both legs"),
        ("both", "hamstring", "both hamstrings"),
        ("left", "the hamstring", "the left hamstring"),
        ("both", "the hamstring", "both hamstrings"),
    ],
)
def test_a_side_reads_with_the_part_it_names(side, part, words):
    assert side_words(side, part) == words


def test_every_page_that_names_a_side_says_it_in_words(client, world, pinned):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"side": "both"})
    ComplaintFactory(athlete=world.athlete, pending=True, answers={"side": "both"})
    client.force_login(world.coach)
    pages = {
        "injury_detail": (reverse("injury_detail", args=[injury.pk]), f"{world.athlete.full_name}: both hamstrings"),
        "athlete_detail": (reverse("athlete_detail", args=[world.athlete.pk]), "Both hamstrings"),
        "complaint_inbox": (reverse("complaint_inbox"), "Both legs"),
        "athlete_tests": (reverse("athlete_tests", args=[world.athlete.pk]), None),
    }
    for name, (url, words) in pages.items():
        text = _text(client.get(url))
        if words:
            assert words in text, name
        assert not re.search(r"\bboth (leg|hamstring)\b|\bBoth leg\b|\bBoth\b ·", text), name
    client.force_login(world.athlete_user)
    assert "Both legs" in _text(client.get(reverse("athlete_home")))


def test_a_minor_episode_names_its_side_in_words(coach_client, world, pinned):
    from injuries import examples, services

    episode = services.complaint_log(
        athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("doms", side="left")
    )
    text = _text(coach_client.get(reverse("episode_detail", args=[episode.pk])))
    assert "minor episode, left hamstring" in text and "Leg Left leg" in text
