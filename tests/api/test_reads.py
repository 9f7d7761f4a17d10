"""The API's reads of an injury's change history, a team's screening and the athletes' programmes:
the same selectors as the pages, in words, each read written to the access log."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from athletes.models import AccessLog
from injuries import selectors as injury_selectors
from injuries import services as injury_services
from injuries.models import ChecklistItem
from testing.models import TestType
from tests.factories import AthleteFactory, InjuryFactory, TestResultFactory, assigned_session

CODE = re.compile(r"\b(grade_[123]|protect|rehab|return_to_training|walks_without_pain|True|False|None)\b")


def _logged(action, **ids):
    return AccessLog.objects.filter(action=action, **ids).count()


# --- An injury's every change ------------------------------------------------------------------


def test_the_history_of_an_injury_says_each_change_in_words_as_its_page_does(api, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    injury_services.injury_override_classification(
        injury=injury, overridden_by=world.coach, classification="grade_2", reason="The scan shows a tear.")
    injury_services.clearance_check_set(injury=injury, item=ChecklistItem.WALKS, done=True, changed_by=world.coach)
    # A change through the API is the token's user's, as on the pages.
    moved = api(world.coach, write=True).post(reverse("api:injury-phase", args=[injury.pk]), {
        "to_phase": "rehab", "override": True, "reason": "Walking well"}, format="json")
    assert moved.status_code == 200, moved.content

    response = api(world.coach).get(reverse("api:injury-history", args=[injury.pk]))
    assert response.status_code == 200
    body = response.json()
    page = injury_selectors.injury_changes(injury=injury)
    assert body["injury"] == injury.pk and len(body["versions"]) == len(page["versions"]) >= 2
    newest = body["versions"][0]
    assert newest["action"] == "changed" and newest["who"] == str(world.coach)
    assert any(change["field"] == "Phase" for change in newest["changes"])
    overridden = next(v for v in body["versions"] if any(c["field"] == "Classification" for c in v["changes"]))
    assert {"field": "Classification", "old": "Grade 1 strain (mild)",
            "new": injury_selectors.CLASSIFICATION_LABELS["grade_2"]} in overridden["changes"]
    assert body["versions"][-1]["action"] == "opened"
    [check] = body["checks"]
    assert (check["item"], check["done"]) == (ChecklistItem.WALKS.label, "ticked")
    words = [c[key] for v in body["versions"] for c in v["changes"] for key in ("field", "old", "new")]
    assert not [word for word in words if CODE.search(word)]
    assert _logged(AccessLog.Action.VIEW_INJURY_HISTORY, athlete_id=world.athlete.pk) == 1


def test_the_history_takes_a_fixed_number_of_queries(api, world, django_assert_num_queries):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    client = api(world.coach)
    for reason in ("one", "two", "three"):
        injury_services.injury_override_classification(
            injury=injury, overridden_by=world.coach, classification="grade_2" if reason != "two" else "grade_1",
            reason=reason)
        # Token, knox's sweep, the injury and its checks, its versions, the checklist's changes, the
        # access log (and the people a change names, when one does).
        with django_assert_num_queries(7):
            assert client.get(reverse("api:injury-history", args=[injury.pk])).status_code == 200


# --- A team's screening --------------------------------------------------------------------------


@pytest.fixture
def screened(world):
    nordic = TestType.objects.get(key="nordic")
    TestResultFactory(athlete=world.athlete, test_type=nordic, left=D("280"), right=D("341"))  # 17.9%: over
    TestResultFactory(athlete=world.other_athlete, test_type=nordic, left=D("300"), right=D("310"))  # 3.2%
    return nordic


def test_the_screening_has_each_athletes_latest_asymmetry_with_those_over_a_limit_flagged(api, world, screened):
    response = api(world.coach).get(reverse("api:team-screening", args=[world.team.pk]))
    assert response.status_code == 200
    body = response.json()
    assert (body["team"], body["athlete_count"], body["flagged_count"]) == (world.team.pk, 2, 1)
    keys = [test["key"] for test in body["tests"]]
    assert "nordic" in keys and all(test["limit_pct"] for test in body["tests"])
    rows = {row["athlete"]: row for row in body["rows"]}
    cell = rows[world.athlete.pk]["cells"][keys.index("nordic")]
    assert cell == {"test": "nordic", "tested_on": cell["tested_on"], "left": "280.00", "right": "341.00",
                    "asymmetry_pct": "17.9", "over": True, "weaker": "left"}
    assert rows[world.athlete.pk]["flagged"] and not rows[world.other_athlete.pk]["flagged"]
    untested = rows[world.athlete.pk]["cells"][keys.index("iso90")]
    assert (untested["tested_on"], untested["asymmetry_pct"], untested["over"]) == (None, None, False)
    assert _logged(AccessLog.Action.VIEW_SCREENING, team_id=world.team.pk) == 1

    flagged = api(world.coach).get(reverse("api:team-screening", args=[world.team.pk]), {"flagged": "true"}).json()
    assert [row["athlete"] for row in flagged["rows"]] == [world.athlete.pk] and flagged["athlete_count"] == 2


def test_the_screening_refuses_a_flag_that_is_not_true_or_false(api, world):
    response = api(world.coach).get(reverse("api:team-screening", args=[world.team.pk]), {"flagged": "yes"})
    assert response.status_code == 400 and set(response.json()["error"]["fields"]) == {"flagged"}


@pytest.mark.parametrize("more", [0, 5])
def test_the_screening_takes_a_fixed_number_of_queries(api, world, screened, django_assert_num_queries, more):
    for _ in range(more):
        TestResultFactory(athlete=AthleteFactory(team=world.team), test_type=screened)
    client = api(world.coach)
    # Token, knox's sweep, the team, the tests, the latest results, the athletes, the access log.
    with django_assert_num_queries(7):
        assert client.get(reverse("api:team-screening", args=[world.team.pk])).status_code == 200


# --- Programmes ----------------------------------------------------------------------------------


@pytest.mark.calendar
def test_a_programme_has_its_template_dates_phase_and_sessions(api, world):
    session = assigned_session(world.athlete, world.coach)
    assignment = session.assignment
    for user in (world.coach, world.athlete_user):
        response = api(user).get(reverse("api:programme-detail", args=[assignment.pk]))
        assert response.status_code == 200
        body = response.json()
        dates = sorted(s.date.isoformat() for s in assignment.sessions.all())
        assert (body["athlete"], body["template"], body["template_name"]) == (
            world.athlete.pk, assignment.template_id, assignment.template.name)
        assert body["start_date"] == assignment.start_date.isoformat() and body["end_date"] == dates[-1]
        assert [s["date"] for s in body["sessions"]] == dates and body["sessions"][0]["id"] == session.pk
        assert body["phase"] == assignment.phase and body["phase_label"] and "_" not in body["phase_label"]
        assert body["weekday_labels"] == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert _logged(AccessLog.Action.VIEW_PROGRAMME, athlete_id=world.athlete.pk) == 2
    # The session's programme is this one.
    assert api(world.coach).get(reverse("api:session-detail", args=[session.pk])).json()["programme"] == assignment.pk


@pytest.mark.calendar
def test_programmes_are_filtered_by_athlete(api, world):
    mine = assigned_session(world.athlete, world.coach).assignment
    assigned_session(world.other_athlete, world.coach)
    rows = api(world.coach).get(reverse("api:programme-list"), {"athlete": world.athlete.pk}).json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert _logged(AccessLog.Action.VIEW_PROGRAMME) == 1


# --- The athletes' rows ---------------------------------------------------------------------------


def test_an_athletes_row_is_what_drfs_own_fields_make_of_it(api, world):
    """AthleteSerializer writes its row in one dict (api/serializers.py): every athlete, in the list
    and on its own, comes out as DRF's fields would have written it, key for key and type for type."""
    from django.utils import timezone
    from rest_framework import serializers

    from api.serializers import AthleteSerializer
    from athletes.models import Athlete
    from tests.factories import AthleteUserFactory

    for leg in Athlete.Leg.values:
        AthleteFactory(team=world.team, dominant_leg=leg, sport="", position="", first_name="Zoë", last_name="O'Brien & <Co>")
    AthleteFactory(team=world.team, archived_at=timezone.now(), user=AthleteUserFactory())

    def drf(athlete):
        return serializers.ModelSerializer.to_representation(AthleteSerializer(), athlete)

    expected = {athlete.pk: drf(athlete) for athlete in Athlete.objects.filter(team=world.team).select_related("team")}
    assert any(row["archived"] for row in expected.values()) and any(row["has_login"] for row in expected.values())
    assert {row["dominant_leg_label"] for row in expected.values()} >= set(Athlete.Leg.labels)
    client = api(world.coach)
    listed = client.get(reverse("api:athlete-list"), {"team": world.team.pk}).json()["results"]
    assert {row["id"]: row for row in listed} == expected
    for row in listed:
        assert list(row) == list(expected[row["id"]])  # the same keys in the same order
        assert client.get(reverse("api:athlete-detail", args=[row["id"]])).json() == expected[row["id"]]
