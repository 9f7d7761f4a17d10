import pytest
from django.urls import reverse

from injuries.models import ClassificationOverride, Complaint, Injury
from tests.factories import ComplaintFactory, InjuryFactory, complaint_answers

TEAR = {"popping_sensation": True, "swelling": "severe", "pain_score": 8, "sudden_sharp_pain": True}


def test_coach_logs_a_complaint_and_an_injury_opens_with_the_snapshot(coach_client, world):
    url = reverse("complaint_create", args=[world.athlete.pk])
    response = coach_client.post(url, complaint_answers(**TEAR))
    injury = Injury.objects.get()
    assert response["Location"] == reverse("injury_detail", args=[injury.pk])
    complaint = injury.complaint
    assert (complaint.classification, complaint.referral) == ("grade_3", "urgent")
    assert complaint.triage_result["classification"] == "grade_3"
    assert complaint.status == "confirmed" and complaint.confirmed_by == world.coach
    assert (injury.classification, injury.phase, injury.side) == ("grade_3", "protect", "left")
    assert injury.expected_return_days == (84, 180)


def test_result_page_shows_grade_referral_reasons_advice_and_the_guidance_note(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={**TEAR, "numbness": True})
    body = coach_client.get(reverse("injury_detail", args=[injury.pk])).content.decode()
    assert "Grade 3 strain" in body
    assert "See a doctor now" in body and 'role="alert"' in body
    assert "Numbness in the lower back, hips or legs" in body
    assert "Felt a pop at the moment of injury: yes" in body  # a reason with the answer that fired it
    assert "Article, tear signs" in body  # and the criterion it comes from
    assert "not a diagnosis" in body
    assert "84–180 days" in body


@pytest.mark.parametrize(
    "answers, expected",
    [
        ({"pain_quality": "cramping", "onset": "during_activity", "swelling": "none", "hours_since_onset": 1}, "Cramp"),
        ({"pain_quality": "dull_ache", "onset": "after_activity", "hours_since_onset": 30}, "DOMS"),
        ({"pain_score": 6, "bruising": "heavy"}, "Grade 2 strain"),
    ],
)
def test_htmx_preview_reruns_the_triage_on_the_server(coach_client, world, answers, expected):
    url = reverse("complaint_preview", args=[world.athlete.pk])
    response = coach_client.post(url, complaint_answers(**answers), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<aside id="triage-preview"')
    assert expected in body and "not a diagnosis" in body
    assert not Complaint.objects.exists()  # a preview saves nothing


def test_preview_of_an_unfinished_form_says_what_is_missing(coach_client, world):
    answers = complaint_answers()
    del answers["side"]
    answers["pain_score"] = "11"
    body = coach_client.post(reverse("complaint_preview", args=[world.athlete.pk]), answers).content.decode()
    assert "once every question is answered" in body
    assert "Which leg" in body and "Pain now" in body


def test_doms_result_carries_the_rhabdomyolysis_warning(coach_client, world):
    answers = complaint_answers(pain_quality="stiffness", onset="after_activity", hours_since_onset=20, swelling="none")
    body = coach_client.post(reverse("complaint_preview", args=[world.athlete.pk]), answers).content.decode()
    assert "DOMS" in body and "rhabdomyolysis" in body


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("pain_score", "11", "Select a valid choice"),
        ("hours_since_onset", "-2", "greater than or equal to 0"),
        ("hours_since_onset", "soon", "Enter a number"),
        ("side", "middle", "Select a valid choice"),
        ("numbness", "", "Answer this question"),
    ],
)
def test_bad_answers_rerender_with_the_question_named_and_nothing_saved(coach_client, world, field, value, message):
    response = coach_client.post(reverse("complaint_create", args=[world.athlete.pk]), complaint_answers(**{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Complaint.objects.exists() and not Injury.objects.exists()


def test_override_keeps_the_original_and_records_who_why_and_when(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    assert injury.classification == "grade_1"
    response = coach_client.post(
        reverse("injury_override", args=[injury.pk]),
        {"classification": "grade_2", "reason": "Physio found a palpable defect."},
    )
    assert response.status_code == 302
    injury.refresh_from_db()
    assert injury.classification == "grade_2" and injury.referral == "recommended"
    assert injury.expected_return_days == (21, 42)
    assert injury.complaint.classification == "grade_1"
    assert injury.complaint.triage_result["classification"] == "grade_1"
    change = ClassificationOverride.objects.get()
    assert (change.from_classification, change.to_classification, change.overridden_by) == ("grade_1", "grade_2", world.coach)
    body = coach_client.get(reverse("injury_detail", args=[injury.pk])).content.decode()
    assert "as it ran (original)" in body and "Physio found a palpable defect." in body


def test_override_keeps_urgent_when_the_triage_found_red_flags(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"numbness": True})
    coach_client.post(reverse("injury_override", args=[injury.pk]), {"classification": "doms", "reason": "It was soreness after all."})
    injury.refresh_from_db()
    assert injury.classification == "doms" and injury.referral == "urgent"


@pytest.mark.parametrize(
    "data, field",
    [
        ({"classification": "grade_2", "reason": ""}, "reason"),
        ({"classification": "grade_2", "reason": "short"}, "reason"),
        ({"classification": "grade_1", "reason": "Same as before, really."}, "classification"),
        ({"classification": "grade_9", "reason": "Not a real grade at all."}, "classification"),
    ],
)
def test_an_invalid_override_changes_nothing(coach_client, world, data, field):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    response = coach_client.post(reverse("injury_override", args=[injury.pk]), data)
    assert response.status_code == 200 and field in response.context["override_form"].errors
    injury.refresh_from_db()
    assert injury.classification == "grade_1" and not ClassificationOverride.objects.exists()


def test_athlete_reports_from_the_phone_into_the_inbox(client, world):
    client.force_login(world.athlete_user)
    response = client.post(reverse("report_create"), complaint_answers(numbness=True))
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("report_sent", args=[complaint.pk])
    assert (complaint.status, complaint.source, complaint.reported_by) == ("pending", "athlete", world.athlete_user)
    assert not Injury.objects.exists()
    sent = client.get(response["Location"]).content.decode()
    assert "Contact a doctor now" in sent and "not a diagnosis" in sent


def test_inbox_puts_unconfirmed_first_and_urgent_on_top(coach_client, world):
    routine = ComplaintFactory(athlete=world.athlete, pending=True)
    urgent = ComplaintFactory(athlete=world.other_athlete, pending=True, answers={"walking_difficulty_ongoing": True})
    confirmed = ComplaintFactory(athlete=world.athlete)
    InjuryFactory(complaint=confirmed)
    response = coach_client.get(reverse("complaint_inbox"))
    assert list(response.context["pending"]) == [urgent, routine]
    assert list(response.context["recent"]) == [confirmed]
    page = response.content.decode()
    assert "Urgent: see a doctor now" in page
    assert "gentle holds only for a possible strain or an urgent case" in page  # what waiting means for the athlete


def test_coach_confirms_a_report_with_corrections_and_the_triage_runs_on_them(coach_client, world):
    report = ComplaintFactory(athlete=world.athlete, pending=True)
    page = coach_client.get(reverse("complaint_confirm", args=[report.pk]))
    assert page.context["form"].initial["side"] == "left"
    assert page.context["preview"]["classification"] == "grade_1"  # the athlete's answers, provisionally
    response = coach_client.post(reverse("complaint_confirm", args=[report.pk]), complaint_answers(pain_score=6))
    report.refresh_from_db()
    assert report.status == "confirmed" and report.confirmed_by == world.coach
    assert report.classification == "grade_2" and report.pain_score == 6
    assert response["Location"] == reverse("injury_detail", args=[report.injury.pk])


def test_confirming_twice_opens_one_injury(coach_client, world):
    report = ComplaintFactory(athlete=world.athlete, pending=True)
    url = reverse("complaint_confirm", args=[report.pk])
    coach_client.post(url, complaint_answers())
    again = coach_client.post(url, complaint_answers(pain_score=9))
    assert again.status_code == 302
    assert Injury.objects.count() == 1 and Injury.objects.get().classification == "grade_1"


def test_other_coach_cannot_see_or_confirm_a_report(client, world):
    report = ComplaintFactory(athlete=world.athlete, pending=True)
    client.force_login(world.other_coach)
    assert client.get(reverse("complaint_inbox")).context["pending"].count() == 0
    assert client.post(reverse("complaint_confirm", args=[report.pk]), complaint_answers()).status_code == 404
    report.refresh_from_db()
    assert report.status == "pending"


@pytest.mark.parametrize("reports", [2, 40])
def test_inbox_query_count_is_flat(client, world, django_assert_num_queries, reports):
    for _ in range(reports):
        ComplaintFactory(athlete=world.athlete, pending=True)
        InjuryFactory(complaint__athlete=world.athlete)
    client.force_login(world.coach)
    # session, user, the access log entry, pending, recent, unread notifications
    with django_assert_num_queries(5):  # one fewer since the header's unread count comes with the user (reminders/backends.py)
        client.get(reverse("complaint_inbox"))
