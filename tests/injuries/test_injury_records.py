import csv
import io
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from athletes.models import AccessLog
from injuries import examples, services
from injuries import triage as t
from injuries.models import ChecklistItem, Episode, Injury, PhaseChange, RecoveryDefault
from tests.factories import AthleteFactory, InjuryFactory, TeamFactory, move_on

GRADE_2 = {"pain_score": 6}


def _tick_all(injury, user, skip=()):
    for item in ChecklistItem.values:
        if item not in skip:
            services.clearance_check_set(injury=injury, item=item, done=True, changed_by=user)


def test_recovery_defaults_are_seeded_with_the_domain_numbers(db):
    for classification, window in t.RECOVERY_WINDOWS.items():
        row = RecoveryDefault.objects.get(classification=classification)
        protect = t.PROTECT_PHASES[classification]
        assert (row.return_min_days, row.return_max_days) == (window.min_days, window.max_days)
        assert (row.protect_min_days, row.protect_max_days) == (protect.min_days, protect.max_days)
        assert row.source


def test_tuning_a_default_changes_new_injuries_only(world):
    old = InjuryFactory(complaint__athlete=world.athlete)  # grade 1: 7–21 days
    RecoveryDefault.objects.filter(classification="grade_1").update(return_min_days=10, return_max_days=30)
    new = InjuryFactory(complaint__athlete=world.other_athlete)
    old.refresh_from_db()
    assert old.expected_return_days == (7, 21)
    assert new.expected_return_days == (10, 30)


def test_an_injury_opens_with_a_plan_a_first_phase_and_a_checklist(world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers=GRADE_2)
    assert injury.phase == "protect" and injury.doctor_status == "advised"
    assert (injury.protect_until - injury.onset_date).days == 5
    assert injury.checks.count() == len(ChecklistItem.values)
    assert PhaseChange.objects.get(injury=injury).to_phase == "protect"
    # A DOMS without a red flag is a minor episode: lighter training for a few days, no checklist.
    doms = services.complaint_log(athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("doms"))
    assert isinstance(doms, Episode) and doms.is_open
    assert (doms.ends_on - doms.started_on).days == 4
    assert Injury.objects.count() == 1


@pytest.mark.calendar
def test_clearing_needs_the_checklist(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    with pytest.raises(services.PhaseChangeError, match="Not met yet: Walks normally without pain"):
        services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=world.coach)
    _tick_all(injury, world.coach, skip={"doctor_clearance"})  # not needed for grade 1
    injury = services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=world.coach)
    assert injury.phase == "cleared" and injury.cleared_on == timezone.localdate()
    change = injury.phase_changes.last()
    assert (change.from_phase, change.to_phase, change.changed_by, change.checklist_overridden) == (
        "protect", "cleared", world.coach, False,
    )


def test_grade_2_also_needs_a_doctors_clearance(world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers=GRADE_2)
    _tick_all(injury, world.coach, skip={"doctor_clearance"})
    with pytest.raises(services.PhaseChangeError, match="A doctor has cleared the athlete"):
        services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=world.coach)
    services.clearance_check_set(injury=injury, item="doctor_clearance", done=True, changed_by=world.coach)
    assert services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=world.coach).phase == "cleared"


def test_override_clears_only_with_a_written_reason(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    with pytest.raises(services.PhaseChangeError, match="Write why"):
        services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=world.coach, override=True)
    services.injury_change_phase(
        injury=injury, to_phase="cleared", changed_by=world.coach, override=True, reason="Cup final; physio agrees."
    )
    change = injury.phase_changes.last()
    assert change.checklist_overridden and change.reason == "Cup final; physio agrees."


def test_a_cleared_injury_is_closed(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=world.coach, override=True, reason="Fine now, coach.")
    with pytest.raises(services.PhaseChangeError, match="already cleared"):
        services.injury_change_phase(injury=injury, to_phase="rehab", changed_by=world.coach)


def test_setbacks_may_move_back_a_phase(world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    move_on(injury, "rehab", world.coach)
    # A step back needs no criteria.
    injury = services.injury_change_phase(injury=injury, to_phase="protect", changed_by=world.coach, reason="Flared up")
    assert injury.phase == "protect"
    assert [c.to_phase for c in injury.phase_changes.all()] == ["protect", "rehab", "protect"]


def test_phase_view_shows_why_clearing_was_refused(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    response = coach_client.post(reverse("injury_phase", args=[injury.pk]), {"to_phase": "cleared"})
    assert response.status_code == 200
    assert "Not met yet: Walks normally without pain" in response.content.decode()
    injury.refresh_from_db()
    assert injury.phase == "protect"


def _cleared_on(athlete, user, day, side="left"):
    with time_machine.travel(day):
        injury = InjuryFactory(complaint__athlete=athlete, complaint__answers={"side": side})
        services.injury_change_phase(injury=injury, to_phase="cleared", changed_by=user, override=True, reason="Back to training.")
    return injury


@pytest.mark.parametrize("days_after, side, expected", [(59, "left", True), (61, "left", False), (30, "right", False), (30, "both", True)])
def test_recurrence_is_the_same_side_within_two_months_of_return(world, days_after, side, expected):
    returned = date(2026, 3, 1)
    _cleared_on(world.athlete, world.coach, returned)
    # The new complaint is logged an hour after it began, on the day in question.
    with time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 1, 12)) + timedelta(days=days_after)):
        injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"side": side, "hours_since_onset": 1})
    assert injury.is_recurrence is expected


def test_recurrence_risk_badge_for_two_months_after_return(coach_client, world):
    _cleared_on(world.athlete, world.coach, date(2026, 3, 1))
    url = reverse("athlete_detail", args=[world.athlete.pk])
    with time_machine.travel(date(2026, 4, 30)):
        assert "recurrence risk until" in coach_client.get(url).content.decode()
        board = coach_client.get(reverse("availability_board")).content.decode()
        assert "recurrence risk" in board
    with time_machine.travel(date(2026, 5, 2)):
        assert "recurrence risk until" not in coach_client.get(url).content.decode()


def test_board_sorts_by_expected_return_and_shows_each_status(coach_client, world):
    fit = world.athlete
    modified = AthleteFactory(team=world.team, last_name="Modified")
    move_on(move_on(InjuryFactory(complaint__athlete=modified), "rehab", world.coach), "return_to_training", world.coach)
    out_long = AthleteFactory(team=world.team, last_name="Longterm")
    InjuryFactory(complaint__athlete=out_long, complaint__answers={"swelling": "severe"})
    out_short = AthleteFactory(team=world.team, last_name="Shortterm")
    InjuryFactory(complaint__athlete=out_short)
    lighter = AthleteFactory(team=world.team, last_name="Lighter")
    services.complaint_log(athlete=lighter, logged_by=world.coach, answers=examples.typed_answers("doms"))
    response = coach_client.get(reverse("availability_board"), {"team": world.team.pk})
    rows = [(row["athlete"].pk, row["status"], row["status_label"]) for row in response.context["rows"]]
    assert rows[:3] == [
        (modified.pk, "modified", "Modified training"),
        (out_short.pk, "unavailable", "Unavailable"),
        # Severe swelling is a grade 3, urgent: out until a doctor has seen the athlete.
        (out_long.pk, "unavailable", "Waiting for a doctor"),
    ]
    assert (lighter.pk, "modified", "Training lighter") in rows[3:]
    assert (fit.pk, "available", "Available") in rows[3:]


def test_board_only_shows_the_coaches_teams(client, world):
    client.force_login(world.other_coach)
    response = client.get(reverse("availability_board"), {"team": world.team.pk})
    assert world.athlete.pk not in [row["athlete"].pk for row in response.context["rows"]]


@pytest.mark.parametrize("squad", [10, 500])
def test_board_query_count_is_flat(client, world, django_assert_num_queries, squad):
    team = TeamFactory(coaches=[world.coach])
    athletes = AthleteFactory.create_batch(squad, team=team)
    for athlete in athletes[: squad // 5]:
        InjuryFactory(complaint__athlete=athlete)
    client.force_login(world.coach)
    # session, user (with the header's unread count), teams, the access log entry, the annotated
    # page with its total (athletes/paging.py; each row's open injury or episode in it:
    # injuries/selectors.py `with_board_status`)
    with django_assert_num_queries(5):
        client.get(reverse("availability_board"), {"team": team.pk})


@pytest.mark.calendar
def test_timeline_svg_draws_the_plan_the_phases_and_today(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers=GRADE_2)
    move_on(injury, "rehab", world.coach)
    body = coach_client.get(reverse("injury_detail", args=[injury.pk])).content.decode()
    assert '<svg' in body and 'role="img"' in body
    for text in ['data-phase="Protect (planned)"', 'data-phase="Rehab (planned)"', 'class="tl-window"',
                 'data-phase="Protect"', 'data-phase="Rehab"', 'class="tl-today"', ">Today<"]:
        assert text in body, text
    assert "Recovery timeline" in body and "return expected between" in body  # the text equivalent


def test_history_keeps_every_change_with_who_and_when(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    for item in ("walks_pain_free", "rest_pain_low"):  # the criteria of leaving protect
        coach_client.post(reverse("injury_check", args=[injury.pk, item]), {"done": "true"})
    coach_client.post(reverse("injury_phase", args=[injury.pk]), {"to_phase": "rehab", "expected_phase": "protect"})
    coach_client.post(reverse("injury_check", args=[injury.pk, "walk_jog_pain_free"]), {"done": "true"})
    coach_client.post(reverse("injury_details", args=[injury.pk]), {"notes": "MRI booked."})
    assert injury.history.count() >= 3
    body = coach_client.get(reverse("injury_history", args=[injury.pk])).content.decode()
    assert world.coach.get_full_name() in body
    assert "Walks and jogs without pain: ticked" in body
    assert "MRI booked." in body and "rehab" in body


def test_checklist_toggle_returns_the_partial_for_htmx(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    url = reverse("injury_check", args=[injury.pk, "sprint_pain_free"])
    response = coach_client.post(url, {"done": "true"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="checklist"') and 'aria-pressed="true"' in body
    assert injury.checks.get(item="sprint_pain_free").done
    assert coach_client.post(reverse("injury_check", args=[injury.pk, "nonsense"]), {"done": "true"}).status_code == 404


def test_reading_an_injury_is_logged_without_health_content(coach_client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    coach_client.get(reverse("injury_detail", args=[injury.pk]))
    log = AccessLog.objects.get()
    assert (log.user, log.action, log.athlete_id, log.record) == (world.coach, "view_injury", world.athlete.pk, f"injury:{injury.pk}")
    stored = " ".join(str(v) for v in AccessLog.objects.values().first().values())
    assert "grade" not in stored and "left" not in stored


def test_team_export_is_a_csv_of_the_date_range_and_is_logged(coach_client, world):
    with time_machine.travel("2026-02-10 12:00Z"):
        InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"hours_since_onset": 1})
    with time_machine.travel("2026-06-10 12:00Z"):
        InjuryFactory(complaint__athlete=world.other_athlete, complaint__answers={"hours_since_onset": 1})
    InjuryFactory(complaint__athlete=AthleteFactory(team=world.other_team))
    world.athlete.first_name = "=HYPERLINK(1)"
    world.athlete.save()
    response = coach_client.get(reverse("team_export", args=[world.team.pk]), {"start": "2026-01-01", "end": "2026-03-31"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1 and rows[0]["Began on"] == "2026-02-10" and rows[0]["classification_code"] == "grade_1"
    assert rows[0]["Athlete"].startswith("'=")  # no spreadsheet formula
    log = AccessLog.objects.get(action="export_injuries")
    assert log.team_id == world.team.pk and log.user == world.coach


def test_export_with_a_bad_range_explains_and_exports_nothing(coach_client, world):
    response = coach_client.get(reverse("team_export", args=[world.team.pk]), {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 200 and "must not be before" in response.content.decode()
    assert not AccessLog.objects.exists()


def test_injury_page_has_no_duplicate_ids(coach_client, world):
    import re
    from collections import Counter

    injury = InjuryFactory(complaint__athlete=world.athlete)
    body = coach_client.get(reverse("injury_detail", args=[injury.pk])).content.decode()
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', body)).items() if n > 1]
    assert not repeated
