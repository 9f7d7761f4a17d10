"""The pathway as the athlete's phone shows it (docs/clinical-rules.md#urgent-pathway,
#phase-gating, #nordic-dose, #running): what a coach or the athlete records changes what the
athlete sees and may log, at once, through the views and services."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from injuries import examples
from injuries import services as injury_services
from injuries.models import ChecklistItem, Complaint
from injuries.triage import RHABDOMYOLYSIS_WARNING, advice_for
from phone import selectors
from programmes import gating, services
from programmes.display import dose_text
from programmes.models import Exercise, LadderPosition, PrescribedExercise, SetLog, TemplateEntry, TemplateSession
from tests.factories import InjuryFactory, ProgrammeTemplateFactory, assigned_session, library_template

WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
MONDAY = date(2026, 11, 30)  # of the same week


def _todays_session(athlete):
    return athlete.scheduled_sessions.get(date=timezone.localdate())


def _prescribed(session):
    return list(PrescribedExercise.objects.filter(session=session).select_related("exercise").order_by("order"))


def _on_the_prevention_programme(world):
    """The Nordic prevention programme from today: today's session has Nordic, hinge and curl work."""
    services.programme_assign(
        template=library_template(), athletes=[world.athlete], start_date=timezone.localdate(),
        weekdays=[0, 2, 4], assigned_by=world.coach,
    )
    session = _todays_session(world.athlete)
    assert {pe.family for pe in _prescribed(session)} == {"nordic", "hip_hinge", "knee_flexion"}
    return session


def _holds_only(session):
    rows = _prescribed(session)
    return bool(rows) and all(pe.exercise.isometric for pe in rows) and "nordic" not in {pe.family for pe in rows}


def _see_a_doctor_card(body):
    start = body.index('role="alert"')
    return body[start:body.index("</section>", start)]


def test_a_grade_3_logged_by_the_coach_puts_see_a_doctor_on_the_athletes_home_and_holds_only(athlete_client, world):
    session = _on_the_prevention_programme(world)
    loaded = [pe.exercise.name for pe in _prescribed(session)]
    injury = injury_services.complaint_log(
        athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("grade_3")
    )
    assert injury.waiting_for_doctor

    assert _holds_only(session)  # no Nordic, no loaded hinge or curl
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    card = _see_a_doctor_card(body)
    assert "See a doctor" in card and selectors.REASON_WAITING_FOR_DOCTOR.replace("'", "&#x27;") in card
    assert escape(advice_for("grade_3", "urgent")) in card  # the advice agrees with the referral
    assert body.index("See a doctor") < body.index("Today's session")  # at the very top
    assert "Why this session is lighter" in body and escape(gating.REASON_WAITING_FOR_DOCTOR) in body
    focus = body.split("Today's session")[1].split("Start today's session")[0]
    assert not [name for name in loaded if name in focus]

    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Why this session is lighter" in page
    assert not [name for name in loaded if name in page]
    assert [pe.exercise.name in page for pe in _prescribed(session)] == [True, True]


def test_an_athletes_urgent_report_holds_loaded_work_before_any_coach_confirms_it(athlete_client, world):
    session = _on_the_prevention_programme(world)
    urgent = examples.form_answers("grade_1", numbness="True")  # a red flag: urgent, whatever the grade
    response = athlete_client.post(reverse("report_create"), urgent)
    assert response.status_code == 302
    report = Complaint.objects.get(athlete=world.athlete)
    assert (report.status, report.referral) == ("pending", "urgent")

    assert _holds_only(session)
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    card = _see_a_doctor_card(body)
    assert "See a doctor" in card and "What you reported needs a doctor: see one today." in card
    assert escape(advice_for(report.classification, "urgent")) in card
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert escape(gating.REASON_URGENT_REPORT) in page


def test_a_report_that_may_be_a_strain_holds_loaded_work_and_says_so_before_any_coach_confirms_it(athlete_client, world):
    session = _on_the_prevention_programme(world)
    response = athlete_client.post(reverse("report_create"), examples.form_answers("grade_1"))
    report = Complaint.objects.get(athlete=world.athlete)
    assert (report.status, report.referral, report.classification) == ("pending", "if_not_improving", "grade_1")
    sent = athlete_client.get(response["Location"]).content.decode()
    assert "your sessions have gentle holds only" in sent and 'role="alert"' not in sent

    assert _holds_only(session)
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert "Why this session is lighter" in body and escape(gating.REASON_REPORT_STRAIN) in body
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert escape(gating.REASON_REPORT_STRAIN) in page


def test_a_report_of_soreness_keeps_the_session_and_holds_the_next_step(athlete_client, world):
    session = _on_the_prevention_programme(world)
    before = [(pe.family, pe.exercise.key) for pe in _prescribed(session)]
    response = athlete_client.post(reverse("report_create"), examples.form_answers("doms"))
    sent = athlete_client.get(response["Location"]).content.decode()
    assert "your sessions stay as planned, with no step up" in sent
    assert [(pe.family, pe.exercise.key) for pe in _prescribed(session)] == before
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert escape(gating.REASON_REPORT_MINOR) in body


def test_a_recommended_referral_asks_for_a_doctor_until_the_review_is_recorded(athlete_client, world):
    injury = injury_services.complaint_log(
        athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("grade_2")
    )
    assert injury.referral == "recommended" and not injury.waiting_for_doctor
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert "A doctor should assess your injury" in _see_a_doctor_card(body)
    assert escape(advice_for("grade_2", "recommended")) in body
    injury_services.doctor_review_record(
        injury=injury, reviewer="Dr Example", reviewed_on=timezone.localdate(), note="Seen.", recorded_by=world.coach
    )
    assert 'role="alert"' not in athlete_client.get(reverse("athlete_home")).content.decode()


def test_no_injury_no_report_no_see_a_doctor(athlete_client, world):
    _on_the_prevention_programme(world)
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert "See a doctor" not in body and "Why this session is lighter" not in body


def test_a_minor_episode_trains_lighter_until_it_ends(athlete_client, world):
    _on_the_prevention_programme(world)
    episode = injury_services.complaint_log(
        athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("doms")
    )
    body = athlete_client.get(reverse("athlete_home")).content.decode()
    assert f"Training lighter until {episode.ends_on:%A %-d %b}: no step up." in body
    assert "See a doctor" not in body


def test_a_set_logged_on_an_exercise_now_forbidden_is_withheld_and_a_new_tap_is_refused(athlete_client, world):
    session = _on_the_prevention_programme(world)
    nordic = next(pe for pe in _prescribed(session) if pe.family == "nordic")
    athlete_client.post(reverse("set_log", args=[nordic.pk, 1]), headers={"HX-Request": "true"})
    assert SetLog.objects.filter(prescribed=nordic).count() == 1

    InjuryFactory(complaint__athlete=world.athlete)  # grade 1: protect, gentle holds only
    nordic.refresh_from_db()
    assert nordic.withheld_reason  # kept, with the set already logged, but stopped

    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert f"<del>{nordic.exercise.name}</del>" in page and "Stopped for now." in page
    assert escape(nordic.withheld_reason) in page
    assert reverse("set_log", args=[nordic.pk, 2]) not in page  # no set buttons

    body = athlete_client.post(reverse("set_log", args=[nordic.pk, 2]), headers={"HX-Request": "true"}).content.decode()
    assert "stopped for now" in body.lower()
    response = athlete_client.post(reverse("set_log", args=[nordic.pk, 2]), follow=True)
    assert "stopped for now" in response.content.decode().lower()
    assert SetLog.objects.filter(prescribed=nordic).count() == 1


def test_a_session_of_a_later_day_has_no_finish_form_and_cannot_be_finished(athlete_client, world):
    later = assigned_session(world.athlete, world.coach, start=timezone.localdate() + timedelta(days=2))
    page = athlete_client.get(reverse("session_detail", args=[later.pk])).content.decode()
    assert "Finish session" not in page and reverse("session_finish", args=[later.pk]) not in page
    assert "you can log it and finish it on that day" in page
    response = athlete_client.post(
        reverse("session_finish", args=[later.pk]), {"worst_pain": "1", "sharp_pain": "False"}, follow=True
    )
    assert f"planned for {later.date:%A %-d %b}" in response.content.decode()
    later.refresh_from_db()
    assert later.completed_at is None


def test_today_the_session_has_its_finish_form(athlete_client, world):
    session = assigned_session(world.athlete, world.coach)
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Finish session" in page


def _nordic_only_template(owner):
    template = ProgrammeTemplateFactory(owner=owner, with_session=False)
    session = TemplateSession.objects.create(template=template, week=1, order=1, title="Nordics")
    TemplateEntry.objects.create(session=session, order=1, exercise=Exercise.objects.get(key="nordic_full"),
                                 sets=2, reps_min=5, reps_max=5)
    return template


def test_adherence_counts_sets_and_leaves_out_recovery_sessions(client, world):
    with time_machine.travel(WEDNESDAY - timedelta(days=1)):
        yesterday = assigned_session(world.athlete, world.coach)  # a hinge and a curl, 3 sets each
        for prescribed in _prescribed(yesterday)[:1]:
            for number in (1, 2, 3):
                services.set_log(prescribed=prescribed, set_number=number)
        services.session_complete(session=yesterday, worst_pain=1, sharp_pain=False)
    InjuryFactory(complaint__athlete=world.athlete)  # protect: a Nordic-only session empties
    recovery = assigned_session(world.athlete, world.coach, template=_nordic_only_template(world.coach))
    recovery.refresh_from_db()
    assert recovery.is_recovery and _holds_only(recovery)

    client.force_login(world.coach)
    team = client.get(reverse("team_programme", args=[world.team.pk]))
    row = next(r for r in team.context["rows"] if r["athlete"] == world.athlete)
    assert row["adherence"] == 50  # 3 of the 6 sets due; the recovery session does not count
    assert "(3 of 6)" in team.content.decode()
    calendar = client.get(reverse("athlete_programme", args=[world.athlete.pk]), {"month": "2026-12"})
    assert calendar.context["adherence"] == 50
    page = calendar.content.decode()
    assert "Recovery: gentle holds only" in page and "Lighter:" in page
    assert "Sessions follow: <strong>Protect</strong>" in page and escape(gating.REASON_PROTECT) in page
    assert "(open injury)" not in page


def test_a_session_finished_without_a_set_is_missed_and_counts_nothing(client, world):
    with time_machine.travel(WEDNESDAY - timedelta(days=1)):
        yesterday = assigned_session(world.athlete, world.coach)
        services.session_complete(session=yesterday, worst_pain=1, sharp_pain=False)
    client.force_login(world.coach)
    response = client.get(reverse("athlete_programme", args=[world.athlete.pk]), {"month": "2026-12"})
    cells = [cell for week in response.context["weeks"] for _, cells in week for cell in cells]
    assert [c["status"] for c in cells if c["session"].pk == yesterday.pk] == ["missed"]
    assert response.context["adherence"] == 0


def _nordic_warning_on(client, session, user) -> bool:
    client.force_login(user)  # weeks pass between visits: sign in again, as the athlete would
    return escape(RHABDOMYOLYSIS_WARNING) in client.get(reverse("session_detail", args=[session.pk])).content.decode()


def _do_the_nordics(session):
    for prescribed in PrescribedExercise.objects.filter(session=session, family="nordic"):
        services.set_log(prescribed=prescribed, set_number=1)
    services.session_complete(session=session, worst_pain=1, sharp_pain=False)


def test_the_rhabdomyolysis_warning_follows_a_four_week_break_not_the_programme_week(client, world):
    with time_machine.travel(MONDAY):
        services.programme_assign(template=library_template(), athletes=[world.athlete], start_date=MONDAY,
                                  weekdays=[0, 2, 4], assigned_by=world.coach)
    sessions = {(s.week, s.date): s for s in world.athlete.scheduled_sessions.all()}
    week = lambda n: sorted((s for (w, _), s in sessions.items() if w == n), key=lambda s: s.date)  # noqa: E731
    with time_machine.travel(MONDAY):
        assert _nordic_warning_on(client, week(1)[0], world.athlete_user)  # the very first Nordic session
        _do_the_nordics(week(1)[0])
    with time_machine.travel(week(2)[0].date):
        assert not _nordic_warning_on(client, week(2)[0], world.athlete_user)  # week 2, one week after: no warning
    # Weeks 2 to 5 missed: five weeks without Nordic work.
    first, second = week(6)[0], week(6)[1]
    with time_machine.travel(first.date):
        assert first.week == 6 and _nordic_warning_on(client, first, world.athlete_user)
        _do_the_nordics(first)
    with time_machine.travel(second.date):
        assert not _nordic_warning_on(client, second, world.athlete_user)  # the second Nordic session after the break


def _into_return_to_training(injury, coach):
    for step, items in (("rehab", (ChecklistItem.WALKS, ChecklistItem.REST_PAIN)),
                        ("return_to_training", (ChecklistItem.WALK_JOG, ChecklistItem.ISOMETRIC, ChecklistItem.NO_PAIN_ON_TOUCH))):
        for item in items:
            injury_services.clearance_check_set(injury=injury, item=item, done=True, changed_by=coach)
        injury = injury_services.injury_change_phase(injury=injury, to_phase=step, changed_by=coach)
    return injury


def test_return_to_training_adds_running_with_its_dose_and_effort(athlete_client, world):
    _into_return_to_training(InjuryFactory(complaint__athlete=world.athlete), world.coach)
    session = assigned_session(world.athlete, world.coach)
    run = PrescribedExercise.objects.get(session=session, family="running")
    assert (run.exercise.key, run.minutes) == ("run_brisk_walk", 20)

    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert "Brisk walk" in page and '<span class="dose">20 min</span>' in page
    assert "A brisk, steady walk; you can still talk." in page  # the effort, in words
    assert "Run 1" in page
    home = athlete_client.get(reverse("athlete_home")).content.decode()
    assert "Brisk walk" in home and "20 min" in home

    athlete_client.post(reverse("set_log", args=[run.pk, 1]), headers={"HX-Request": "true"})
    assert SetLog.objects.filter(prescribed=run).count() == 1


@pytest.mark.parametrize("key, sets, minutes, words", [
    ("run_brisk_walk", 1, 20, "20 min"),
    ("run_easy_jog", 2, 8, "2 × 8 min"),
    ("run_tempo", 6, None, "6 × 100 m"),
    ("run_strides", 6, None, "6 × 60 m"),
    ("run_sprints_90", 5, None, "5 × 40 m"),
    ("run_max_sprint", 3, None, "3 × 30 m"),
])
def test_every_run_reads_as_time_or_distance(db, key, sets, minutes, words):
    run = PrescribedExercise(
        family="running", exercise=Exercise.objects.get(key=key), sets=sets, reps_min=1, reps_max=1, minutes=minutes
    )
    assert dose_text(run) == words
    assert selectors.set_row(run, 1, 1, None)["todo"] == words.split(" × ")[-1]


def test_faster_runs_show_their_distance_on_the_session_page(athlete_client, world):
    _into_return_to_training(InjuryFactory(complaint__athlete=world.athlete), world.coach)
    LadderPosition.objects.update_or_create(athlete=world.athlete, family="running", defaults={"rung": 3})
    session = assigned_session(world.athlete, world.coach)
    run = PrescribedExercise.objects.get(session=session, family="running")
    assert run.exercise.key == "run_strides"
    page = athlete_client.get(reverse("session_detail", args=[session.pk])).content.decode()
    assert '<span class="dose">6 × 60 m</span>' in page and "about 80% effort" in page


def test_the_library_names_phases_in_words(client, world):
    client.force_login(world.coach)
    body = client.get(reverse("exercise_library")).content.decode()
    assert "return to training" in body and "return_to_training" not in body
    assert "Brisk walk" in client.get(reverse("exercise_library"), {"family": "running"}).content.decode()
