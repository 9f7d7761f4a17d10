"""The pathway on the coach's pages (docs/clinical-rules.md#answers-are-asked, #phases-and-criteria,
#urgent-pathway, #minor-episodes): answers asked, reports confirmed beside the athlete's own
answers, criteria shown before a phase change, the doctor's review, overrides and minor episodes."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from athletes.models import AccessLog
from injuries import examples, services
from injuries import triage as t
from injuries.forms import COACH_LABELS
from injuries.models import COMPLAINT_FIELDS, Complaint, Episode, Injury, PhaseChange
from tests.factories import ComplaintFactory, InjuryFactory, complaint_answers, move_on

TODAY = date(2026, 3, 10)
RED_FLAG_QUESTIONS = ["cannot_move_leg", "walking_difficulty_ongoing", "numbness"]
STRAIN_SIGN_QUESTIONS = ["popping_sensation", "sudden_sharp_pain", "weakness", "can_bear_weight", "swelling", "bruising"]
WARNING_TITLES = [warning.title for warning in t.EXTRA_WARNINGS]


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 10, 12)), tick=False):
        yield


def _body(response):
    return response.content.decode()


def _top_alert(body):
    """The role="alert" block right after the page's heading."""
    after_h1 = body[body.index("</h1>"):]
    match = re.search(r'<div[^>]*role="alert"[^>]*>(.*?)</div>', after_h1, re.S)
    return match.group(1) if match else ""


# --- Answers are asked, not assumed -------------------------------------------------------------


def test_the_coach_form_has_no_pre_answered_question(coach_client, world):
    body = _body(coach_client.get(reverse("complaint_create", args=[world.athlete.pk])))
    assert " checked" not in body
    assert "none is filled in for you" in body


def test_an_empty_complaint_lists_every_unanswered_question_and_saves_nothing(coach_client, world):
    response = coach_client.post(reverse("complaint_create", args=[world.athlete.pk]), {})
    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in RED_FLAG_QUESTIONS + STRAIN_SIGN_QUESTIONS:
        assert errors[name] == ["Answer this question."], name
    assert set(errors) == set(COMPLAINT_FIELDS)
    body = _body(response)
    assert "Please answer or correct the 16 questions marked below" in body
    for name in COMPLAINT_FIELDS:
        assert f'<a href="#q-{name}">{COACH_LABELS[name]}</a>' in body
    assert not Complaint.objects.exists() and not Injury.objects.exists() and not Episode.objects.exists()


@pytest.mark.parametrize("question", RED_FLAG_QUESTIONS + STRAIN_SIGN_QUESTIONS)
def test_one_red_flag_or_strain_sign_left_out_is_asked_for_not_assumed(coach_client, world, question):
    answers = complaint_answers()
    del answers[question]
    response = coach_client.post(reverse("complaint_create", args=[world.athlete.pk]), answers)
    assert response.context["form"].errors == {question: ["Answer this question."]}
    assert not Complaint.objects.exists()


def test_the_athletes_phone_form_asks_every_question_too(client, world):
    client.force_login(world.athlete_user)
    assert " checked" not in _body(client.get(reverse("report_create")))
    response = client.post(reverse("report_create"), {"side": "left"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(COMPLAINT_FIELDS) - {"side"}
    assert "Answer this question." in _body(response)
    assert not Complaint.objects.exists()


def test_the_htmx_preview_waits_for_every_answer_then_shows_the_result(coach_client, world):
    url = reverse("complaint_preview", args=[world.athlete.pk])
    answers = complaint_answers()
    del answers["numbness"]
    waiting = _body(coach_client.post(url, answers, headers={"HX-Request": "true"}))
    assert "once every question is answered" in waiting and COACH_LABELS["numbness"] in waiting
    shown = _body(coach_client.post(url, complaint_answers(), headers={"HX-Request": "true"}))
    assert shown.lstrip().startswith('<aside id="triage-preview"') and "Grade 1 strain" in shown


# --- The four extra warnings ----------------------------------------------------------------------


def test_the_result_shows_the_four_see_a_doctor_warnings(coach_client, world):
    body = _body(coach_client.post(reverse("complaint_preview", args=[world.athlete.pk]), complaint_answers()))
    assert "See a doctor if…" in body
    for title in WARNING_TITLES:
        assert title in body, title
    assert "Emergency" in body


def test_a_doms_result_puts_the_rhabdomyolysis_warning_first(coach_client, world):
    body = _body(coach_client.post(reverse("complaint_preview", args=[world.athlete.pk]), examples.form_answers("doms")))
    codes = re.findall(r'data-warning="([a-z_]+)"', body)
    assert codes[0] == "rhabdomyolysis" and len(codes) == 4


def test_the_injury_page_lists_the_warnings_once(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    body = _body(coach_client.get(reverse("injury_detail", args=[injury.pk])))
    assert body.count("See a doctor if…") == 1
    assert all(body.count(title) == 1 for title in WARNING_TITLES)


# --- Confirming an athlete's report ---------------------------------------------------------------


def _report(client, world, answers=None, **overrides):
    client.force_login(world.athlete_user)
    client.post(reverse("report_create"), answers or complaint_answers(**overrides))
    client.logout()
    return Complaint.objects.get()


def test_the_confirm_page_shows_what_the_athlete_said_and_marks_each_change(client, world):
    report = _report(client, world, numbness=True, pain_score=4)
    client.force_login(world.coach)
    url = reverse("complaint_confirm", args=[report.pk])
    body = _body(client.get(url))
    assert body.count("The athlete said:") == len(COMPLAINT_FIELDS)
    assert "reported red flags" in body and "Numbness in the lower back, hips or legs" in body
    assert "changed</span>" not in body
    response = client.post(url, complaint_answers(numbness=True, pain_score=6))  # pain corrected, flag kept
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.pain_score == 6 and report.athlete_answers["pain_score"] == 4


def test_removing_a_red_flag_the_athlete_reported_needs_a_reason(client, world):
    report = _report(client, world, numbness=True)
    client.force_login(world.coach)
    url = reverse("complaint_confirm", args=[report.pk])
    response = client.post(url, complaint_answers(numbness=False))
    assert response.status_code == 200
    body = _body(response)
    message = "The athlete reported numbness in the lower back, hips or legs. Write why you are removing it."
    assert message in _top_alert(body)  # at the top of the page
    assert message in str(response.context["form"].errors["reason"])  # and next to the reason
    assert "changed</span> The athlete said: <strong>Yes</strong>" in body  # the difference marked
    assert response.context["preview"]["classification"] == "grade_1"  # the answers' result stays in view
    report.refresh_from_db()
    assert report.status == "pending" and report.numbness and not report.confirm_reason
    assert not Injury.objects.exists() and not Episode.objects.exists()


def test_with_a_reason_the_red_flag_goes_and_the_athletes_answers_stay_on_the_record(client, world):
    report = _report(client, world, numbness=True)
    client.force_login(world.coach)
    reason = "Numbness was a cold pack left on too long; gone when I examined her."
    response = client.post(reverse("complaint_confirm", args=[report.pk]), {**complaint_answers(numbness=False), "reason": reason})
    report.refresh_from_db()
    injury = report.injury
    assert response["Location"] == reverse("injury_detail", args=[injury.pk])
    assert (report.status, report.referral, report.confirm_reason) == ("confirmed", "if_not_improving", reason)
    assert report.athlete_answers["numbness"] is True
    body = _body(client.get(response["Location"]))
    assert "The athlete's own answers" in body and reason in body
    assert re.search(r'<tr class="row-warn"><td>Numbness in the lower back, hips or legs</td><td>Yes</td><td>No', body)


def test_a_confirmed_minor_report_opens_an_episode_and_goes_to_its_page(client, world):
    report = _report(client, world, examples.form_answers("doms"))
    client.force_login(world.coach)
    response = client.post(reverse("complaint_confirm", args=[report.pk]), examples.form_answers("doms"), follow=True)
    episode = Episode.objects.get()
    assert response.redirect_chain[-1][0] == reverse("episode_detail", args=[episode.pk])
    assert "Minor episode: lighter training, no step up, until 13 Mar 2026." in _body(response)
    inbox = _body(client.get(reverse("complaint_inbox")))
    assert f'href="{reverse("episode_detail", args=[episode.pk])}"' in inbox and "minor episode" in inbox


def test_the_inbox_marks_urgent_reports_and_links_confirmed_ones_to_their_record(coach_client, world):
    ComplaintFactory(athlete=world.athlete, pending=True, answers={"walking_difficulty_ongoing": True})
    injury = InjuryFactory(complaint__athlete=world.other_athlete)
    body = _body(coach_client.get(reverse("complaint_inbox")))
    assert "Urgent: see a doctor" in body and "Walking is still difficult" in body
    assert f'href="{reverse("injury_detail", args=[injury.pk])}"' in body


# --- The injury page: next step, criteria, phase control ------------------------------------------


def test_the_injury_page_proposes_the_next_phase_and_lists_what_it_still_needs(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    response = coach_client.get(reverse("injury_detail", args=[injury.pk]))
    body = _body(response)
    assert "Next step: rehab." in body
    assert "Still missing: Walks normally without pain; Pain at rest is 2/10 or less." in body
    assert 'data-criterion="walks_pain_free" data-met="false"' in body
    form = response.context["phase_form"]
    assert form["to_phase"].value() == "rehab" and form["expected_phase"].value() == "protect"
    assert '<option value="rehab" selected>Rehab</option>' in body

    services.clearance_check_set(injury=injury, item="walks_pain_free", done=True, changed_by=world.coach)
    body = _body(coach_client.get(reverse("injury_detail", args=[injury.pk])))
    assert 'data-criterion="walks_pain_free" data-met="true"' in body
    assert "Still missing: Pain at rest is 2/10 or less." in body


def test_a_step_back_is_offered_but_never_proposed(coach_client, world):
    injury = move_on(InjuryFactory(complaint__athlete=world.athlete), "rehab", world.coach)
    body = _body(coach_client.get(reverse("injury_detail", args=[injury.pk])))
    assert '<option value="protect">Protect (step back)</option>' in body
    assert '<option value="return_to_training" selected>Return to training</option>' in body
    assert "Next step: return to training." in body


def test_ticking_a_criterion_with_htmx_refreshes_the_next_step_too(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    url = reverse("injury_check", args=[injury.pk, "rest_pain_low"])
    body = _body(coach_client.post(url, {"done": "true"}, headers={"HX-Request": "true"}))
    assert body.lstrip().startswith('<section class="card" id="checklist"')
    assert '<div id="next-step" hx-swap-oob="true">' in body and '<div id="criteria" hx-swap-oob="true">' in body
    assert "Still missing: Walks normally without pain." in body


def test_moving_on_without_the_criteria_is_refused_with_the_reason_at_the_top(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    url = reverse("injury_phase", args=[injury.pk])
    response = coach_client.post(url, {"to_phase": "rehab", "expected_phase": "protect"})
    assert response.status_code == 200
    top = _top_alert(_body(response))
    assert "Not met yet: Walks normally without pain; Pain at rest is 2/10 or less" in top
    assert 'href="#phase-control"' in top
    assert 'id="phase-error"' in _body(response)  # and next to the control
    refused = coach_client.post(url, {"to_phase": "rehab", "override": "on", "expected_phase": "protect"})
    assert "Write why you are moving on without" in _top_alert(_body(refused))
    injury.refresh_from_db()
    assert injury.phase == "protect" and injury.phase_changes.count() == 1


def test_moving_on_without_the_criteria_with_a_reason_is_kept_with_the_record(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    reason = "Physio assessed him: walks fine, rest pain 1/10, not ticked yet."
    response = coach_client.post(
        reverse("injury_phase", args=[injury.pk]),
        {"to_phase": "rehab", "override": "on", "reason": reason, "expected_phase": "protect"},
    )
    assert response.status_code == 302
    injury.refresh_from_db()
    change = injury.phase_changes.last()
    assert injury.phase == "rehab" and change.checklist_overridden and change.reason == reason
    body = _body(coach_client.get(reverse("injury_detail", args=[injury.pk])))
    assert "(moved on without every criterion)" in body and reason in body


@pytest.mark.parametrize("to_phase", ["rehab", "return_to_training"])
def test_a_stale_page_gets_a_warning_and_the_fresh_page_and_changes_nothing(coach_client, world, to_phase):
    injury = move_on(InjuryFactory(complaint__athlete=world.athlete), "rehab", world.coach)  # moved meanwhile
    changes = PhaseChange.objects.count()
    response = coach_client.post(  # from a tab opened while the injury was in protect
        reverse("injury_phase", args=[injury.pk]),
        {"to_phase": to_phase, "override": "on", "reason": "Looks fine.", "expected_phase": "protect"},
        follow=True,
    )
    assert response.redirect_chain == [(reverse("injury_detail", args=[injury.pk]), 302)]
    message = next(iter(response.context["messages"]))
    assert message.level_tag == "warning" and "Someone moved this injury to rehab" in message.message
    assert response.context["phase_form"].is_bound is False  # a fresh page, not a form error
    injury.refresh_from_db()
    assert injury.phase == "rehab" and PhaseChange.objects.count() == changes


# --- The doctor's review and urgent cases ---------------------------------------------------------


def _urgent(world):
    return InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"numbness": True})


def test_an_urgent_case_waits_for_a_doctor_and_the_review_is_recorded_and_shown(coach_client, world):
    injury = _urgent(world)
    page = _body(coach_client.get(reverse("injury_detail", args=[injury.pk])))
    assert "Waiting for a doctor's review" in page and 'id="doctor-review"' in page
    response = coach_client.post(
        reverse("injury_doctor_review", args=[injury.pk]),
        {"reviewer": "Dr Amara Okafor", "reviewed_on": "2026-03-10", "note": "No nerve involvement; start rehab."},
    )
    assert response.status_code == 302
    injury.refresh_from_db()
    assert (injury.doctor_reviewer, injury.doctor_reviewed_on, injury.doctor_review_recorded_by) == (
        "Dr Amara Okafor", TODAY, world.coach,
    )
    page = _body(coach_client.get(reverse("injury_detail", args=[injury.pk])))
    assert "Waiting for a doctor" not in page
    assert "Dr Amara Okafor" in page and "No nerve involvement; start rehab." in page


@pytest.mark.parametrize(
    "day, message",
    [("2026-03-11", "cannot be in the future"), ("2026-03-01", "cannot be before the injury began")],
)
def test_a_review_dated_in_the_future_or_before_the_injury_is_refused(coach_client, world, day, message):
    injury = _urgent(world)
    response = coach_client.post(
        reverse("injury_doctor_review", args=[injury.pk]), {"reviewer": "Dr Who", "reviewed_on": day, "note": "Fine."}
    )
    assert response.status_code == 200 and message in _body(response)
    injury.refresh_from_db()
    assert injury.doctor_reviewed_on is None


def test_the_review_form_is_offered_only_where_a_doctor_is_needed(coach_client, world):
    mild = InjuryFactory(complaint__athlete=world.athlete)
    assert 'id="doctor-review"' not in _body(coach_client.get(reverse("injury_detail", args=[mild.pk])))
    moderate = InjuryFactory(complaint__athlete=world.other_athlete, complaint__answers={"pain_score": 6})
    assert 'id="doctor-review"' in _body(coach_client.get(reverse("injury_detail", args=[moderate.pk])))


def test_an_urgent_case_cannot_leave_protect_before_the_doctors_review(coach_client, world):
    injury = _urgent(world)
    for item in ("walks_pain_free", "rest_pain_low"):
        services.clearance_check_set(injury=injury, item=item, done=True, changed_by=world.coach)
    url = reverse("injury_phase", args=[injury.pk])
    data = {"to_phase": "rehab", "override": "on", "reason": "He says he feels fine.", "expected_phase": "protect"}
    response = coach_client.post(url, data)
    assert "record the doctor&#x27;s review before the athlete leaves protect" in _top_alert(_body(response))
    injury.refresh_from_db()
    assert injury.phase == "protect"
    services.doctor_review_record(injury=injury, reviewer="Dr Who", reviewed_on=TODAY, note="Fine.", recorded_by=world.coach)
    assert coach_client.post(url, {"to_phase": "rehab", "expected_phase": "protect"}).status_code == 302
    injury.refresh_from_db()
    assert injury.phase == "rehab"


def test_the_doctors_clearance_line_says_why_it_is_needed(coach_client, world):
    body = _body(coach_client.get(reverse("injury_detail", args=[_urgent(world).pk])))
    assert "(needed: the most severe result was grade 2 or worse, or an urgent referral)" in body
    mild = InjuryFactory(complaint__athlete=world.other_athlete)
    assert "(not needed:" in _body(coach_client.get(reverse("injury_detail", args=[mild.pk])))


# --- Overrides ------------------------------------------------------------------------------------


def test_an_override_refreshes_the_label_and_advice_on_the_page_the_inbox_and_the_board(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    coach_client.post(
        reverse("injury_override", args=[injury.pk]),
        {"classification": "grade_3", "reason": "Scan: complete tear of the biceps femoris."},
    )
    body = _body(coach_client.get(reverse("injury_detail", args=[injury.pk])))
    summary = body[body.index('id="summary-heading"'):body.index('id="triage-heading"')]
    assert 'data-classification="grade_3"' in summary and "Grade 3 strain" in summary
    assert escape(t.advice_for("grade_3", "urgent")) in summary
    assert escape(t.advice_for("grade_1", "if_not_improving")) not in summary
    assert "Waiting for a doctor" in body  # grade 3 is urgent: protect until a review
    original = body[body.index('id="triage-heading"'):]
    assert "as it ran (original)" in original and 'data-classification="grade_1"' in original
    inbox = _body(coach_client.get(reverse("complaint_inbox")))
    assert 'data-classification="grade_3">Grade 3 strain' in inbox and "urgent referral" in inbox
    board = coach_client.get(reverse("availability_board"), {"team": world.team.pk})
    row = next(row for row in board.context["rows"] if row["athlete"] == world.athlete)
    assert (row["classification_label"], row["status_label"]) == ("Grade 3 strain (severe, complete tear)", "Waiting for a doctor")


# --- Minor episodes -------------------------------------------------------------------------------


def test_a_logged_doms_opens_a_minor_episode_page(coach_client, world):
    response = coach_client.post(reverse("complaint_create", args=[world.athlete.pk]), examples.form_answers("doms"))
    episode = Episode.objects.get()
    assert response["Location"] == reverse("episode_detail", args=[episode.pk])
    assert not Injury.objects.exists()
    page = coach_client.get(response["Location"])
    body = _body(page)
    assert "Complaint saved and triaged. Minor episode: lighter training, no step up, until" in body
    assert "Delayed-onset muscle soreness (DOMS)" in body and "Training lighter" in body
    assert "No step up until it ends" in body and episode.ends_on.strftime("%-d %b %Y") in body
    assert "Not asked" in body and "End it now" in body and "Still hurting? Log a new complaint" in body
    assert "Possible rhabdomyolysis" in body  # the triage result, with its warnings
    log = AccessLog.objects.filter(record=f"episode:{episode.pk}").get()
    assert (log.user, log.athlete_id) == (world.coach, world.athlete.pk)
    athlete_page = _body(coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])))
    assert f'href="{reverse("episode_detail", args=[episode.pk])}"' in athlete_page


def test_the_coach_ends_an_episode_now(coach_client, world):
    episode = services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("cramp"))
    response = coach_client.post(reverse("episode_end", args=[episode.pk]), follow=True)
    episode.refresh_from_db()
    assert (episode.ended_on, episode.ending) == (TODAY, "coach")
    body = _body(response)
    assert "ended by a coach" in body and "End it now" not in body
    assert 'href="%s"' % reverse("episode_detail", args=[episode.pk]) not in _body(
        coach_client.get(reverse("athlete_detail", args=[world.athlete.pk]))
    )


def test_an_episode_shows_when_a_re_triage_was_asked(coach_client, world):
    episode = services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("doms"))
    services.episode_ask_retriage(episode=episode, on=TODAY + timedelta(days=4))
    body = _body(coach_client.get(reverse("episode_detail", args=[episode.pk])))
    assert "Asked on 14 Mar 2026" in body


def test_another_coach_cannot_open_or_end_an_episode(client, world):
    episode = services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("doms"))
    client.force_login(world.other_coach)
    assert client.get(reverse("episode_detail", args=[episode.pk])).status_code == 404
    assert client.post(reverse("episode_end", args=[episode.pk])).status_code == 404
    episode.refresh_from_db()
    assert episode.is_open


def test_the_board_shows_an_open_episode_as_training_lighter(coach_client, world):
    episode = services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("doms"))
    response = coach_client.get(reverse("availability_board"), {"team": world.team.pk})
    row = next(row for row in response.context["rows"] if row["athlete"] == world.athlete)
    assert (row["status"], row["status_label"]) == ("modified", "Training lighter")
    assert f'href="{reverse("episode_detail", args=[episode.pk])}"' in _body(response)


@pytest.mark.calendar  # the athlete page, board and roster read today's date
def test_the_board_and_home_count_a_report_waiting_as_its_gating_does(coach_client, world):
    """A report waiting for its coach already holds the athlete's work (docs/clinical-rules.md#phase-gating):
    the board says so, links to the review, and the home's counts follow the same rule."""
    from tests.factories import AthleteFactory

    def reported(last_name, classification, **answers):
        athlete = AthleteFactory(team=world.team, last_name=last_name)
        complaint = services.complaint_report(athlete=athlete, reported_by=None,
                                              answers=examples.typed_answers(classification, **answers))
        return athlete, complaint

    strain, strain_report = reported("Strain", "grade_1")
    urgent, urgent_report = reported("Urgent", "doms", numbness=True)
    sore, sore_report = reported("Sore", "doms")
    injured = AthleteFactory(team=world.team, last_name="Injured")
    move_on(InjuryFactory(complaint__athlete=injured), "rehab", world.coach)
    injured_report = services.complaint_report(athlete=injured, reported_by=None, answers=examples.typed_answers("grade_2"))

    response = coach_client.get(reverse("availability_board"), {"team": world.team.pk})
    rows = {row["athlete"]: row for row in response.context["rows"]}
    assert (rows[strain]["status"], rows[strain]["status_label"]) == ("unavailable", "Report waiting")
    assert (rows[urgent]["status"], rows[urgent]["status_label"]) == ("unavailable", "Urgent report waiting")
    assert (rows[sore]["status"], rows[sore]["status_label"]) == ("modified", "Report waiting")
    assert (rows[injured]["status"], rows[injured]["status_label"]) == ("unavailable", "Unavailable")  # the injury's words
    assert rows[world.athlete]["status"] == "available"
    body = _body(response)
    for report in (strain_report, urgent_report, sore_report):
        assert f'<a href="{reverse("complaint_confirm", args=[report.pk])}">Report to review</a>' in body
    assert f'<a class="badge badge-warn" href="{reverse("complaint_confirm", args=[injured_report.pk])}">report to review</a>' in body

    home = coach_client.get(reverse("home")).context["availability"]
    counts = {entry["status"]: entry["count"] for entry in home}
    board = [row["status"] for row in rows.values()]
    assert counts == {status: board.count(status) for status in ("available", "modified", "unavailable")}

    # once the coach has looked (soreness confirmed for the strain report), the row follows the record
    services.complaint_confirm(complaint=strain_report, confirmed_by=world.coach, answers=examples.typed_answers("doms"))
    response = coach_client.get(reverse("availability_board"), {"team": world.team.pk})
    row = next(row for row in response.context["rows"] if row["athlete"] == strain)
    assert (row["status"], row["status_label"]) == ("modified", "Training lighter")


def test_the_boards_choice_of_a_waiting_report_rests_on_the_choices_own_order():
    """injuries/selectors.py picks the report that restricts most by sorting the stored values:
    "urgent" after every other referral, every strain after the cramp and soreness."""
    from injuries import pathway

    assert max(t.Referral, key=str) == t.Referral.URGENT
    assert min(pathway.STRAINS) > max(pathway.EPISODE_CLASSIFICATIONS)
