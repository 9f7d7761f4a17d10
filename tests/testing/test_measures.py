"""Strength and range tests: recording, CSV import, the checklist auto-tick, pages and queries."""

import re
from collections import Counter
from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from injuries import services as injury_services
from injuries.models import ChecklistItem, ClearanceCheck
from testing import imports, services
from testing.models import TestResult, TestType
from tests.factories import AthleteFactory, InjuryFactory, TeamFactory, TestResultFactory

# Results are dated days before today (days_ago): pinned, and run at other weekdays (tests/conftest.py).
pytestmark = pytest.mark.calendar

STRENGTH, FLEXIBILITY = ChecklistItem.STRENGTH, ChecklistItem.FLEXIBILITY


def days_ago(n):
    return timezone.localdate() - timedelta(days=n)


@pytest.fixture
def nordic(db):
    return TestType.objects.get(key="nordic")


@pytest.fixture
def injured(world):
    """A left grade 1 strain that began 20 days ago."""
    return InjuryFactory(complaint__athlete=world.athlete, onset_date=days_ago(20))


def record(world, key="nordic", day=None, **values):
    return services.test_result_record(
        athlete=world.athlete,
        test_type=TestType.objects.get(key=key),
        tested_on=day or days_ago(1),
        recorded_by=world.coach,
        **values,
    )


def check(injury, item=STRENGTH):
    return injury.checks.get(item=item)


# --- Seeded types and recording ------------------------------------------------------------------


def test_the_tests_of_the_issue_are_seeded(db):
    types = {tt.key: tt for tt in TestType.objects.all()}
    assert set(types) == {"nordic", "iso90", "iso30", "aslr", "sprint10", "sprint30"}
    assert all(types[k].checklist_item == STRENGTH and types[k].unit == "N" for k in ("nordic", "iso90", "iso30"))
    assert types["aslr"].checklist_item == FLEXIBILITY and types["aslr"].baseline_threshold_pct is None
    assert not types["sprint10"].bilateral and not types["sprint10"].higher_is_better
    assert types["nordic"].asymmetry_threshold_pct == 10 and types["nordic"].baseline_threshold_pct == 10


def test_recording_keeps_the_values_who_and_when(world):
    result = record(world, left="310.456", right=285, notes=" NordBord ")
    result.refresh_from_db()
    assert (result.left, result.right, result.value) == (D("310.46"), D("285.00"), None)
    assert (result.recorded_by, result.notes) == (world.coach, "NordBord")
    sprint = record(world, key="sprint10", value="1.12")
    assert sprint.value == D("1.12") and sprint.left is None


@pytest.mark.parametrize(
    "key, values, message",
    [
        ("nordic", {"left": 300}, "fill in left and right"),
        ("nordic", {"left": 300, "right": 290, "value": 1}, "leave value empty"),
        ("sprint10", {"left": 1, "right": 1}, "has one value"),
        ("nordic", {"left": -1, "right": 290}, "0 or more"),
        ("nordic", {"left": "lots", "right": 290}, "not a number"),
        ("nordic", {"left": 10**7, "right": 290}, "too large"),
        ("nordic", {"left": "1e400", "right": 290}, "too large"),
        ("nordic", {"left": "312,5", "right": 290}, "with a point"),
    ],
)
def test_a_result_of_the_wrong_shape_or_value_is_refused_and_nothing_saved(world, key, values, message):
    with pytest.raises(services.TestResultError, match=message):
        record(world, key=key, **values)
    assert not TestResult.objects.exists()


def test_one_result_per_athlete_test_and_day(world):
    record(world, left=300, right=300)
    with pytest.raises(services.TestResultError, match="already has a Nordic eccentric peak force result"):
        record(world, left=310, right=300)
    with pytest.raises(services.TestResultError, match="in the future"):
        record(world, day=days_ago(-1), left=300, right=300)
    assert TestResult.objects.count() == 1


# --- The checklist follows the measurements ------------------------------------------------------


@pytest.mark.parametrize("right, ticked", [("180.2", True), ("179.8", False)])  # 9.9% and 10.1%
def test_strength_ticks_itself_at_9_9pct_and_not_at_10_1pct(world, injured, right, ticked):
    record(world, left=200, right=right)
    strength = check(injured)
    assert strength.done is ticked
    assert strength.source == ClearanceCheck.Source.MEASURED and strength.changed_by == world.coach


def test_a_later_result_unticks_and_reticks(world, injured):
    record(world, day=days_ago(10), left=200, right=195)
    assert check(injured).done
    record(world, day=days_ago(5), left=200, right=150)
    assert not check(injured).done
    record(world, day=days_ago(1), left=200, right=192)
    assert check(injured).done


def test_the_injured_leg_must_be_back_within_10pct_of_its_pre_injury_baseline(world, injured):
    record(world, day=days_ago(40), left=320, right=320)  # baseline: the last result before onset
    record(world, day=days_ago(30), left=300, right=300)
    record(world, day=days_ago(5), left=260, right=265)  # left 13.3% below the baseline
    assert not check(injured).done
    record(world, day=days_ago(1), left=275, right=280)  # left 8.3% below
    assert check(injured).done


def test_a_result_on_the_day_of_onset_is_neither_baseline_nor_recovery(world, injured):
    record(world, day=injured.onset_date, left=200, right=200)
    assert not check(injured).done and check(injured).source == ClearanceCheck.Source.MANUAL


def test_flexibility_follows_the_straight_leg_raise(world, injured):
    record(world, key="aslr", left=80, right=75)  # 6.3%
    assert check(injured, FLEXIBILITY).done and not check(injured).done


def test_sprints_do_not_touch_the_checklist(world, injured):
    record(world, key="sprint10", value="1.10")
    assert not injured.checks.filter(source=ClearanceCheck.Source.MEASURED).exists()


def test_a_coachs_override_needs_a_reason_and_is_never_undone(world, injured):
    record(world, day=days_ago(5), left=200, right=150)  # 25%: not met
    with pytest.raises(injury_services.ChecklistOverrideNeedsReason, match="not met yet"):
        injury_services.clearance_check_set(injury=injured, item=STRENGTH, done=True, changed_by=world.coach)
    assert not check(injured).done
    injury_services.clearance_check_set(
        injury=injured, item=STRENGTH, done=True, changed_by=world.coach, reason="Handheld device was faulty."
    )
    record(world, day=days_ago(3), left=200, right=140)
    record(world, day=days_ago(1), left=200, right=100)
    strength = check(injured)
    assert strength.done and strength.override_reason == "Handheld device was faulty."
    assert strength.source == ClearanceCheck.Source.MANUAL


def test_unticking_against_a_good_measurement_also_needs_a_reason(world, injured):
    record(world, left=200, right=198)
    with pytest.raises(injury_services.ChecklistOverrideNeedsReason, match="say this is met"):
        injury_services.clearance_check_set(injury=injured, item=STRENGTH, done=False, changed_by=world.coach)
    injury_services.clearance_check_set(injury=injured, item=STRENGTH, done=False, changed_by=world.coach, reason="Still guarding.")
    record(world, day=days_ago(0), left=200, right=199)
    assert not check(injured).done and check(injured).override_reason == "Still guarding."


def test_agreeing_with_the_measurement_hands_the_item_back(world, injured):
    record(world, day=days_ago(5), left=200, right=150)
    injury_services.clearance_check_set(injury=injured, item=STRENGTH, done=True, changed_by=world.coach, reason="Trust me.")
    injury_services.clearance_check_set(injury=injured, item=STRENGTH, done=False, changed_by=world.coach)  # no reason needed
    strength = check(injured)
    assert strength.override_reason == "" and strength.source == ClearanceCheck.Source.MEASURED
    record(world, day=days_ago(1), left=200, right=195)
    assert check(injured).done


def test_a_tick_taken_on_trust_gives_way_to_a_measurement(world, injured):
    injury_services.clearance_check_set(injury=injured, item=STRENGTH, done=True, changed_by=world.coach)  # nothing measured
    assert check(injured).done
    record(world, left=200, right=150)
    assert not check(injured).done


def test_deleting_the_result_that_ticked_the_item_unticks_it(world, injured):
    result = record(world, left=200, right=195)
    assert check(injured).done
    services.test_result_delete(result=result, deleted_by=world.coach)
    assert not check(injured).done


def test_a_cleared_injury_is_left_alone(world, injured):
    injury_services.injury_change_phase(injury=injured, to_phase="cleared", changed_by=world.coach, override=True, reason="Back.")
    record(world, left=200, right=195)
    assert not check(injured).done


def test_the_other_items_still_tick_without_a_reason(world, injured):
    injury_services.clearance_check_set(injury=injured, item="no_pain_on_touch", done=True, changed_by=world.coach)
    assert check(injured, "no_pain_on_touch").done


# --- CSV import ----------------------------------------------------------------------------------

HEADER = "athlete,test,date,left,right,value,notes\n"


def import_csv(world, text, team=None):
    return imports.test_results_import_csv(team=team or world.team, text=text, recorded_by=world.coach)


def test_a_good_file_is_imported_whole(world):
    day = days_ago(2).isoformat()
    text = HEADER + (
        f"{world.athlete.email.upper()},nordic,{day},312.5,298,,Best of three\n"
        f"{world.other_athlete.pk},Active straight-leg raise,{day},84,79,,\n"
        "\n"
        f"{world.other_athlete.full_name},sprint10,{day},,,1.12,\n"
    )
    outcome = import_csv(world, text)
    assert outcome.ok and (outcome.imported, outcome.athletes) == (3, 2)
    nordic = TestResult.objects.get(test_type__key="nordic")
    assert (nordic.athlete, nordic.left, nordic.right, nordic.notes, nordic.recorded_by) == (
        world.athlete, D("312.50"), D("298.00"), "Best of three", world.coach,
    )
    assert TestResult.objects.get(test_type__key="sprint10").value == D("1.12")


def test_excel_files_with_a_bom_semicolons_and_shuffled_columns_are_read(world):
    text = f"\ufeffDate;Test;Athlete;Right;Left\n{days_ago(1)};nordic;{world.athlete.email};290;300\n"
    assert import_csv(world, text).imported == 1


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(world):
    outsider = AthleteFactory(team=world.other_team, email="outsider@example.com")
    TestResultFactory(athlete=world.athlete, tested_on=days_ago(3))
    day = days_ago(1).isoformat()
    text = HEADER + "\n".join([
        f"{world.athlete.email},nordic,{day},300,290,,",  # line 2: fine
        f"{outsider.email},nordic,{day},300,290,,",  # 3: another team's athlete
        f"{world.athlete.email},squats,{day},300,290,,",  # 4: unknown test
        f"{world.athlete.email},iso90,31/03/2026,300,290,,",  # 5: not ISO
        f"{world.athlete.email},iso90,{days_ago(-2)},300,290,,",  # 6: future
        f"{world.athlete.email},iso30,{day},300,,,",  # 7: right missing
        f"{world.athlete.email},sprint10,{day},1.1,1.2,,",  # 8: legs on a one-value test
        f"{world.athlete.email},aslr,{day},-5,80,,",  # 9: negative
        f"{world.athlete.email},nordic,{day},300,290,,",  # 10: repeats line 2
        f"{world.athlete.email},nordic,{days_ago(3)},300,290,,",  # 11: already recorded
        f",nordic,{day},1,1,,",  # 12: athlete missing
    ]) + "\n"
    outcome = import_csv(world, text)
    assert not outcome.ok and outcome.imported == 0
    lines = {problem.line: problem.message for problem in outcome.problems}
    assert 2 not in lines
    assert "No athlete “outsider@example.com” in Alpha" in lines[3]
    assert "Unknown test “squats”: use one of" in lines[4] and "nordic" in lines[4]
    assert "YYYY-MM-DD" in lines[5] and "in the future" in lines[6]
    assert "fill in left and right" in lines[7] and "has one value" in lines[8]
    assert "0 or more" in lines[9] and "Repeats line 2" in lines[10]
    assert "Already recorded" in lines[11] and "athlete is missing" in lines[12]
    assert TestResult.objects.count() == 1  # only the one recorded before


def test_a_mixed_file_imports_nothing(world):
    day = days_ago(1).isoformat()
    text = HEADER + f"{world.athlete.email},nordic,{day},300,290,,\n{world.athlete.email},nordic,yesterday,300,290,,\n"
    outcome = import_csv(world, text)
    assert [problem.line for problem in outcome.problems] == [3]
    assert not TestResult.objects.exists()


def test_a_failure_while_writing_leaves_nothing_behind(world, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "clearance_apply_measures", fail)
    text = HEADER + f"{world.athlete.email},nordic,{days_ago(1)},300,290,,\n"
    with pytest.raises(RuntimeError):
        import_csv(world, text)
    assert not TestResult.objects.exists()


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "The file is empty"),
        (HEADER, "no results below its header"),
        ("athlete,test,when,left,right\n", "Unknown column(s) when"),
        ("athlete,left,right\nx,1,2\n", "Missing column(s): test, date"),
        ("athlete,test,date,date\n", "named twice"),
    ],
)
def test_header_problems_are_reported_on_line_1(world, text, message):
    outcome = import_csv(world, text)
    assert outcome.problems and {problem.line for problem in outcome.problems} == {1}
    assert any(message in problem.message for problem in outcome.problems)


def test_names_shared_by_two_athletes_must_be_told_apart(world):
    AthleteFactory(team=world.team, first_name=world.athlete.first_name, last_name=world.athlete.last_name)
    outcome = import_csv(world, HEADER + f"{world.athlete.full_name},nordic,{days_ago(1)},300,290,,\n")
    assert "2 athletes in Alpha match" in outcome.problems[0].message


def test_an_import_ticks_the_checklist_of_an_injured_athlete(world, injured):
    import_csv(world, HEADER + f"{world.athlete.email},nordic,{days_ago(1)},300,295,,\n")
    assert check(injured).done


def upload(text, name="results.csv"):
    return SimpleUploadedFile(name, text if isinstance(text, bytes) else text.encode(), content_type="text/csv")


def test_import_page_imports_and_goes_to_the_screening(coach_client, world):
    url = reverse("team_tests_import", args=[world.team.pk])
    page = coach_client.get(url).content.decode()
    assert "YYYY-MM-DD" in page and "<code>nordic</code>" in page and world.athlete.email in page
    review = coach_client.post(url, {"file": upload(HEADER + f"{world.athlete.email},nordic,{days_ago(1)},300,290,,\n")})
    assert review.status_code == 200 and "Nothing is saved yet" in review.content.decode()
    assert not TestResult.objects.exists()  # the review first, then the coach confirms
    response = coach_client.post(url, {"upload": review.context["review"]["upload"].value()})
    assert response.status_code == 302 and response["Location"] == reverse("team_screening", args=[world.team.pk])
    assert "Imported 1 result for 1 athlete." in coach_client.get(response["Location"]).content.decode()


def test_import_page_lists_the_problems_by_line(coach_client, world):
    url = reverse("team_tests_import", args=[world.team.pk])
    response = coach_client.post(url, {"file": upload(HEADER + f"nobody,nordic,{days_ago(1)},300,290,,\n")})
    body = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in body
    assert "<td>2</td><td>No athlete “nobody” in Alpha" in body
    assert not TestResult.objects.exists()


@pytest.mark.parametrize(
    "content, message",
    [
        ("athlete,test,date\n".encode("utf-16"), "spreadsheet"),
        ("athlète,test,date\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_files_that_are_not_utf8_csv_are_explained(coach_client, world, content, message):
    response = coach_client.post(reverse("team_tests_import", args=[world.team.pk]), {"file": upload(content)})
    assert response.status_code == 200 and message in response.content.decode()


def test_no_file_is_explained(coach_client, world):
    response = coach_client.post(reverse("team_tests_import", args=[world.team.pk]), {})
    assert response.status_code == 200 and "This field is required" in response.content.decode()


def test_the_example_file_has_the_documented_columns_and_one_row_per_test(coach_client, world):
    response = coach_client.get(reverse("tests_import_example"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0] == ",".join(imports.IMPORT_COLUMNS) and len(lines) == 1 + TestType.objects.count()
    assert any(",nordic," in line for line in lines) and any(",sprint10," in line and ",1.12," in line for line in lines)
    # Every row is well formed: only the made-up athletes are unknown.
    outcome = import_csv(world, response.content.decode())
    assert {problem.message.split(":")[0] for problem in outcome.problems} <= {
        "No athlete “alex.morgan@example.com” in Alpha", "No athlete “Sam Taylor” in Alpha",
    }


# --- Pages ---------------------------------------------------------------------------------------


def test_recording_from_the_athletes_page_in_a_few_taps(coach_client, world):
    athlete_page = coach_client.get(reverse("athlete_detail", args=[world.athlete.pk])).content.decode()
    url = reverse("test_result_create", args=[world.athlete.pk])
    assert url in athlete_page
    chooser = coach_client.get(url).content.decode()
    assert f"{url}?test=nordic" in chooser and "Flying 10 m sprint" in chooser
    form = coach_client.get(url, {"test": "nordic"}).content.decode()
    assert "Left leg (N)" in form and "Right leg (N)" in form and 'name="value"' not in form
    response = coach_client.post(url, {"test": "nordic", "tested_on": days_ago(0).isoformat(), "left": "310", "right": "285"})
    assert response["Location"] == reverse("athlete_tests", args=[world.athlete.pk])
    page = coach_client.get(response["Location"]).content.decode()
    assert "left 310 N, right 285 N (asymmetry 8.1%)" in page  # the saved message
    assert TestResult.objects.get().recorded_by == world.coach


def test_a_one_value_test_asks_for_one_value(coach_client, world):
    form = coach_client.get(reverse("test_result_create", args=[world.athlete.pk]), {"test": "sprint30"}).content.decode()
    assert "Result (s)" in form and "Lower is better" in form and 'name="left"' not in form


def test_a_bad_form_explains_and_saves_nothing(coach_client, world):
    url = reverse("test_result_create", args=[world.athlete.pk])
    response = coach_client.post(url, {"test": "nordic", "tested_on": days_ago(0).isoformat(), "left": "310", "right": "-3"})
    assert response.status_code == 200 and "greater than or equal to 0" in response.content.decode()
    response = coach_client.post(url, {"test": "nordic", "tested_on": "tomorrow", "left": "310"})
    body = response.content.decode()
    assert "Enter a valid date" in body and "This field is required" in body
    TestResultFactory(athlete=world.athlete, tested_on=days_ago(0))
    response = coach_client.post(url, {"test": "nordic", "tested_on": days_ago(0).isoformat(), "left": "1", "right": "1"})
    assert response.status_code == 200 and "already has a" in response.content.decode()
    assert TestResult.objects.count() == 1


def test_an_unknown_test_shows_the_choice_again(coach_client, world):
    response = coach_client.get(reverse("test_result_create", args=[world.athlete.pk]), {"test": "squats"})
    assert response.status_code == 200 and "There is no test called “squats”" in response.content.decode()


def test_the_tests_page_shows_asymmetry_baseline_and_a_trend_per_test(coach_client, world, injured):
    for day, left, right in [(40, 320, 318), (10, 250, 300), (2, 300, 290)]:
        record(world, day=days_ago(day), left=left, right=right)
    record(world, key="sprint10", day=days_ago(2), value="1.15")
    body = coach_client.get(reverse("athlete_tests", args=[world.athlete.pk])).content.decode()
    assert 'data-test="nordic">3.3% (right weaker)' in body
    assert "Change since: left -6.3%, right -8.8%" in body  # -6.25 rounds half away from zero
    assert body.count('role="img"') == 2 and "Nordic eccentric peak force (N) over time" in body
    assert 'class="trend-marker trend-marker-onset"' in body and f"Injury {injured.onset_date.day} " in body
    assert "Left leg: 320 on" in body  # the text equivalent lists every value
    assert "Lower is better." in body
    assert "✓ Ticked</strong>: Strength within about 10% of the other side" in body
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', body)).items() if n > 1]
    assert not repeated


def test_a_coach_deletes_a_mistyped_result(coach_client, world):
    result = TestResultFactory(athlete=world.athlete)
    response = coach_client.post(reverse("test_result_delete", args=[result.pk]))
    assert response["Location"] == reverse("athlete_tests", args=[world.athlete.pk])
    assert not TestResult.objects.exists()


def test_another_teams_coach_cannot_delete_or_see_results(client, world):
    result = TestResultFactory(athlete=world.athlete)
    client.force_login(world.other_coach)
    assert client.post(reverse("test_result_delete", args=[result.pk])).status_code == 404
    assert client.get(reverse("athlete_tests", args=[world.athlete.pk])).status_code == 404
    assert client.get(reverse("team_tests_import", args=[world.team.pk])).status_code == 404
    assert TestResult.objects.exists()


def test_the_injury_checklist_shows_the_measured_values(coach_client, world, injured):
    record(world, left=200, right="180.2")
    body = coach_client.get(reverse("injury_detail", args=[injured.pk])).content.decode()
    assert "left 200, right 180.2 N" in body and "Asymmetry 9.9%, within the 10% limit" in body
    assert "ticked from the measured tests" in body
    assert "Not measured since the injury" in body  # flexibility


def test_ticking_against_the_measurement_asks_for_a_reason_in_place(coach_client, world, injured):
    record(world, left=200, right=150)
    url = reverse("injury_check", args=[injured.pk, STRENGTH])
    response = coach_client.post(url, {"done": "true"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section class="card" id="checklist"')
    assert "Write why you tick it anyway" in body and 'name="reason"' in body
    assert not check(injured).done
    # Without htmx, the whole page comes back with the same question.
    full = coach_client.post(url, {"done": "true"}).content.decode()
    assert "Write why you tick it anyway" in full and "<h1>" in full
    coach_client.post(url, {"done": "true", "reason": "Physio retested by hand: equal."}, headers={"HX-Request": "true"})
    assert check(injured).done
    body = coach_client.get(reverse("injury_detail", args=[injured.pk])).content.decode()
    assert "Coach's override of the measurement: “Physio retested by hand: equal.”" in body


@pytest.mark.parametrize("reason, problem", [
    ("Faulty\x00device", "Null characters are not allowed."),  # PostgreSQL cannot store it
    ("x" * 2001, "Ensure this value has at most 2000 characters (it has 2001)."),
])
def test_a_reason_that_cannot_be_kept_is_asked_for_again_with_the_problem(coach_client, world, injured, reason, problem):
    record(world, left=200, right=150)
    url = reverse("injury_check", args=[injured.pk, STRENGTH])
    response = coach_client.post(url, {"done": "true", "reason": reason}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200 and f"The reason: {problem}" in body and 'name="reason"' in body
    assert not check(injured).done and check(injured).override_reason == ""


def test_the_screening_flags_athletes_over_a_threshold(coach_client, world):
    TestResultFactory(athlete=world.athlete, left=300, right=260, tested_on=days_ago(30))  # 13.3%
    TestResultFactory(athlete=world.athlete, left=300, right=290, tested_on=days_ago(2))  # latest: 3.3%
    TestResultFactory(athlete=world.athlete, test_type=TestType.objects.get(key="aslr"), left=70, right=85)  # 17.6%
    TestResultFactory(athlete=world.other_athlete, left=300, right=295)
    archived = AthleteFactory(team=world.team, archived_at=timezone.now())
    TestResultFactory(athlete=archived, left=300, right=100)
    response = coach_client.get(reverse("team_screening", args=[world.team.pk]))
    rows = {row["athlete"].pk: row for row in response.context["rows"]}
    assert set(rows) == {world.athlete.pk, world.other_athlete.pk}
    mine = {cell["test_type"].key: cell for cell in rows[world.athlete.pk]["cells"]}
    assert mine["nordic"]["asymmetry"] == D("3.3") and not mine["nordic"]["over"]
    assert mine["aslr"]["over"] and mine["aslr"]["weaker"] == "left" and mine["iso90"]["result"] is None
    assert rows[world.athlete.pk]["flagged"] and not rows[world.other_athlete.pk]["flagged"]
    body = response.content.decode()
    assert "1 of 2 athletes" in body and "⚠ 17.6% over" in body and "not tested" in body
    flagged = coach_client.get(reverse("team_screening", args=[world.team.pk]), {"show": "flagged"})
    assert [row["athlete"].pk for row in flagged.context["rows"]] == [world.athlete.pk]


def _screened_squad(world, size):
    team = TeamFactory(coaches=[world.coach])
    types = list(TestType.objects.filter(bilateral=True))
    for athlete in AthleteFactory.create_batch(size, team=team):
        for n, test_type in enumerate(types):
            TestResultFactory(athlete=athlete, test_type=test_type, left=300, right=280 + n, tested_on=days_ago(n))
            TestResultFactory(athlete=athlete, test_type=test_type, left=300, right=250, tested_on=days_ago(n + 30))
    return team


def test_the_screening_query_count_is_flat_in_team_size(client, world):
    small, large = _screened_squad(world, 3), _screened_squad(world, 40)
    client.force_login(world.coach)
    counts = []
    for team, size in [(small, 3), (large, 40)]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("team_screening", args=[team.pk]))
        assert len(response.context["rows"]) == size
        counts.append(len(queries))
    # Its own: team, test types, latest results, athletes; plus the session, the user and
    # whatever the base template's context needs; and the risk checklist column monitoring adds
    # through testing/hooks.py (11, whatever the team's size).
    assert counts[0] == counts[1] <= 19, counts


def test_athlete_tests_page_query_count_is_flat(client, world, django_assert_max_num_queries):
    InjuryFactory(complaint__athlete=world.athlete, onset_date=days_ago(50))
    for n in range(30):
        TestResultFactory(athlete=world.athlete, tested_on=days_ago(n), left=300, right=290 - n)
    client.force_login(world.coach)
    with django_assert_max_num_queries(10):
        client.get(reverse("athlete_tests", args=[world.athlete.pk]))


def test_admins_tune_a_threshold_and_open_injuries_follow(client, world, injured, nordic):
    record(world, left=200, right=185)  # 7.5%: met at 10%
    client.force_login(world.admin)
    assert client.get(reverse("admin:testing_testtype_changelist")).status_code == 200
    assert client.get(reverse("admin:testing_testresult_changelist")).status_code == 200
    url = reverse("admin:testing_testtype_change", args=[nordic.pk])
    form = client.get(url).content.decode()
    assert 'name="bilateral"' not in form  # results are recorded: their shape stays
    response = client.post(url, {
        "name": nordic.name, "key": nordic.key, "unit": nordic.unit, "description": nordic.description,
        "higher_is_better": "on", "checklist_item": nordic.checklist_item,
        "asymmetry_threshold_pct": "5", "baseline_threshold_pct": "10", "order": nordic.order,
    })
    assert response.status_code == 302
    strength = check(injured)
    assert not strength.done and strength.changed_by == world.admin
