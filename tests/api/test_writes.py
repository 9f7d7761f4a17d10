"""The API's writes: a coach logs a complaint (triaged on the server, the result in the answer)
and records a test result, through the same services as the pages; bad input saves nothing."""

import pytest
from django.urls import reverse

from api.examples import TRIAGE
from athletes.models import AccessLog
from injuries.models import Complaint, Injury
from testing.models import TestResult


def test_a_logged_complaint_is_triaged_and_opens_an_injury(api, world):
    answers = {**TRIAGE, "hours_since_onset": 5, "pain_score": 6, "pain_quality": "sharp",
               "popping_sensation": True, "sudden_sharp_pain": True, "swelling": "moderate"}
    response = api(world.coach, write=True).post(reverse("api:complaint-list"),
                                                  {"athlete": world.athlete.pk, "answers": answers}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get()
    assert body["id"] == complaint.pk and body["classification"] == "grade_2" == complaint.classification
    assert body["classification_label"] and body["triage_result"]["classification"] == "grade_2"
    assert body["answers"]["pain_score"] == 6 and complaint.reported_by == world.coach
    assert Injury.objects.get().complaint == complaint
    assert list(AccessLog.objects.values_list("action", "athlete_id")) == [("view_complaint", world.athlete.pk)]


@pytest.mark.parametrize("body, field", [
    ({"answers": TRIAGE}, "athlete"),
    ({"athlete": 0, "answers": TRIAGE}, "athlete"),
    ({"athlete": "x", "answers": TRIAGE}, "athlete"),
    (lambda world: {"athlete": world.athlete.pk, "answers": {**TRIAGE, "pain_score": 12}}, "answers"),
    (lambda world: {"athlete": world.athlete.pk, "answers": {**TRIAGE, "numbness": "no"}}, "answers"),
    (lambda world: {"athlete": world.athlete.pk, "answers": {**TRIAGE, "hours_since_onset": 1e9}}, "answers"),
    (lambda world: {"athlete": world.athlete.pk, "answers": {**TRIAGE, "extra": 1}}, "answers"),
    (lambda world: {"athlete": world.athlete.pk, "answers": []}, "answers"),
    (lambda world: {"athlete": world.other_athlete.pk + 1000, "answers": TRIAGE}, "athlete"),
])
def test_a_bad_complaint_saves_nothing_and_names_the_field(api, world, body, field):
    body = body(world) if callable(body) else body
    response = api(world.coach, write=True).post(reverse("api:complaint-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert not Complaint.objects.exists()


def test_an_archived_athlete_takes_no_complaint(api, world):
    from django.utils import timezone

    world.athlete.archived_at = timezone.now()
    world.athlete.save()
    response = api(world.coach, write=True).post(reverse("api:complaint-list"),
                                                  {"athlete": world.athlete.pk, "answers": TRIAGE}, format="json")
    assert response.status_code == 400 and not Complaint.objects.exists()


def test_a_recorded_test_result_comes_back(api, world):
    response = api(world.coach, write=True).post(reverse("api:test-result-list"), {
        "athlete": world.athlete.pk, "test": "nordic", "tested_on": "2026-03-02", "left": "300", "right": 310.5,
        "notes": "Fresh legs"}, format="json")
    assert response.status_code == 201, response.content
    result = TestResult.objects.get()
    assert response.json()["id"] == result.pk and response.json()["test_key"] == "nordic"
    assert (str(result.left), str(result.right), result.recorded_by) == ("300.00", "310.50", world.coach)


@pytest.mark.parametrize("overrides, words", [
    ({"test": "nope"}, "No test"),
    ({"right": None}, "each leg"),
    ({"value": "3"}, "each leg"),
    ({"tested_on": "2999-01-01"}, "future"),
    ({"tested_on": "02/03/2026"}, "Date"),
    ({"left": "-1"}, "greater than or equal"),
    ({"left": "1e400"}, ""),
    ({"notes": "a\x00b"}, "Null"),
])
def test_a_bad_test_result_saves_nothing(api, world, overrides, words):
    body = {"athlete": world.athlete.pk, "test": "nordic", "tested_on": "2026-03-02", "left": "300", "right": "310",
            **overrides}
    response = api(world.coach, write=True).post(reverse("api:test-result-list"), body, format="json")
    assert response.status_code == 400, response.content
    assert words in str(response.json()["error"])
    assert not TestResult.objects.exists()


def test_a_second_result_on_the_same_day_is_refused(api, world):
    client = api(world.coach, write=True)
    body = {"athlete": world.athlete.pk, "test": "nordic", "tested_on": "2026-03-02", "left": "300", "right": "310"}
    assert client.post(reverse("api:test-result-list"), body, format="json").status_code == 201
    again = client.post(reverse("api:test-result-list"), body, format="json")
    assert again.status_code == 400 and "already has" in again.json()["error"]["message"]
    assert TestResult.objects.count() == 1
