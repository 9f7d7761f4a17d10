"""Every page that shows health data writes a row of the access log (athletes/audit.py).

The URLs are enumerated from the URLconf through the access matrix: each one is either listed
here with the access it must log, or listed with the reason it shows no health data. A new URL
in neither list fails `test_every_url_is_classified`. The admin's registered models are
enumerated the same way.
"""

import pytest
from django.contrib import admin
from django.urls import get_resolver, reverse

from athletes.models import AccessLog
from tests.factories import InjuryFactory, progression_alert
from tests.test_access_matrix import MATRIX, _url_names

# URL name -> (who opens it, the action logged, whether the row names the world's athlete or team).
SHOWS_HEALTH_DATA = {
    "athlete_home": ("athlete", "view_programme", "athlete"),
    "athlete_detail": ("coach", "view_athlete", "athlete"),
    "athlete_data_export": ("athlete", "export_athlete", "athlete"),
    "complaint_inbox": ("coach", "view_inbox", None),
    "complaint_confirm": ("coach", "view_complaint", "athlete"),
    "report_sent": ("athlete", "view_complaint", "athlete"),
    "injury_detail": ("coach", "view_injury", "athlete"),
    "injury_history": ("coach", "view_injury_history", "athlete"),
    "episode_detail": ("coach", "view_injury", "athlete"),
    "availability_board": ("coach", "view_board", None),
    "roster": ("coach", "view_roster", None),
    "team_export": ("coach", "export_injuries", "team"),
    "athlete_programme": ("coach", "view_programme", "athlete"),
    "team_programme": ("coach", "view_team_programme", "team"),
    "session_detail": ("athlete", "view_programme", "athlete"),
    "athlete_history": ("athlete", "view_programme", "athlete"),
    "calendar_feed": ("anonymous", "calendar_feed", "athlete"),
    "notification_list": ("coach", "view_notifications", None),
    "athlete_tests": ("coach", "view_tests", "athlete"),
    "team_screening": ("coach", "view_screening", "team"),
    "team_load": ("coach", "view_team_load", "team"),
    "team_recurrence_watch": ("coach", "view_watch", "team"),
    # The athlete's own sessions' effort and load, and their wellness answers.
    "session_effort": ("athlete", "view_athlete_load", "athlete"),
    "wellness_check": ("athlete", "view_athlete_load", "athlete"),
    "athlete_load": ("coach", "view_athlete_load", "athlete"),
}

SHOWS_NO_HEALTH_DATA = {
    "health": "the service's own state",
    "login": "sign-in", "login_code": "sign-in", "logout": "sign-out", "two_factor": "the account's security",
    "two_factor_begin": "the account's security", "two_factor_enable": "the account's security",
    "two_factor_cancel": "the account's security", "recovery_codes_renew": "the account's security",
    "two_factor_disable": "the account's security", "sessions_end_others": "the account's security",
    "password_change": "the account", "password_change_done": "the account", "password_reset": "the account",
    "password_reset_done": "the account", "password_reset_confirm": "the account",
    "password_reset_complete": "the account",
    "home": "a coach's teams and counts; with pain alerts it logs (tested below)",
    "athlete_create": "a blank form", "athlete_edit": "contact details, no health data",
    "athlete_archive": "a write, then a redirect", "athlete_invite": "a write, then a redirect",
    "team_invite_coach": "a form", "athlete_erase": "a confirmation naming the athlete",
    "invitation_accept": "a form",
    "complaint_create": "a blank form", "complaint_preview": "the grading of answers being typed, nothing stored",
    "injury_override": "a write; refused, it shows the injury page, which logs (tested below)",
    "injury_phase": "a write; refused, it shows the injury page, which logs (tested below)",
    "injury_doctor_review": "a write; refused, it shows the injury page, which logs (tested below)",
    "injury_details": "a write; refused, it shows the injury page, which logs (tested below)",
    "injury_check": "a write; its checklist answer logs (tested below)",
    "episode_end": "a write, then a redirect",
    "exercise_library": "the exercise library", "template_list": "templates", "template_create": "a form",
    "template_detail": "a template", "template_edit": "a template", "template_copy": "a write",
    "template_session_add": "a write", "template_session_edit": "a template", "template_assign": "a form",
    "alert_resolve": "a write, then a redirect",
    "webmanifest": "static", "service_worker": "static",
    "set_log": "a write: the set the athlete just tapped", "session_finish": "a write, then a redirect",
    "session_morning": "a write, then a redirect", "calendar_settings": "the calendar link",
    "session_move": "a write, then a redirect",
    "notification_open": "a write, then a redirect", "notification_read_all": "a write, then a redirect",
    "notification_preferences": "settings",
    "push_subscribe": "a write, then a short JSON answer", "push_unsubscribe": "a write, then a redirect",
    "report_create": "a blank form",
    "test_result_create": "a form", "test_result_delete": "a write, then a redirect",
    "tests_import_example": "an example file", "team_tests_import": "a form",
    "team_session_log": "a blank form of the team's names; its POST writes, then redirects",
    # The form, the file's columns and its problems by line; an import that writes logs import_gps
    # (tests/monitoring/test_gps_page.py).
    "gps_import_example": "an example file", "team_gps_import": "a form; an import logs (tested apart)",
    "admin:index": "the admin's index", "admin_login": "sign-in",
    # The payloads (athlete ids and states) never reach a page: it lists addresses, kinds of
    # update, times and how the sends went.
    "team_webhooks": "the team's webhook addresses and send statuses, no athlete",
    "webhook_switch": "a write, then a redirect", "webhook_delete": "a write, then a redirect",
    "webhook_delivery_replay": "a write, then a redirect",
    # Refused, they show the athlete's load page again, which logs (tests/monitoring/test_athlete_pages.py).
    "max_velocity_set": "a write, then a redirect", "prior_injury_create": "a write, then a redirect",
}


def _urls():
    return {name for name in _url_names(get_resolver().url_patterns) if not name.startswith(("admin:", "api:"))} | {"admin:index"}


def test_every_url_is_classified():
    assert set(SHOWS_HEALTH_DATA) | set(SHOWS_NO_HEALTH_DATA) == _urls()
    assert not set(SHOWS_HEALTH_DATA) & set(SHOWS_NO_HEALTH_DATA)


def _ids(world, names):
    return {"athlete": {"athlete_id": world.athlete.pk}, "team": {"team_id": world.team.pk}, None: {}}[names]


@pytest.mark.parametrize("name", sorted(SHOWS_HEALTH_DATA))
def test_each_page_with_health_data_logs_who_opened_what(client, world, name):
    persona, action, names = SHOWS_HEALTH_DATA[name]
    entry = MATRIX[name]
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=entry.kwargs(world))
    before = AccessLog.objects.count()
    response = getattr(client, entry.method)(url, entry.data(world))
    assert response.status_code == 200, response.status_code
    rows = AccessLog.objects.filter(pk__gt=0).order_by("-id")[: AccessLog.objects.count() - before]
    assert [row.action for row in rows] == [action]
    row = rows[0]
    assert row.user_id == (user.pk if user else None)
    assert world.athlete.last_name not in row.record  # ids only, never the content
    for field, value in _ids(world, names).items():
        assert getattr(row, field) == value, (field, getattr(row, field))


REFUSED = {
    "injury_phase": {"to_phase": "rehab"},  # criteria unmet, no override: the page again, with why
    "injury_override": {"classification": "grade_3", "reason": ""},
    "injury_doctor_review": {"reviewer": "", "reviewed_on": "", "note": ""},
    "injury_details": {"notes": "a\x00b"},  # a NUL byte: refused
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_injury_page_shown_again_after_a_refused_change_is_logged(client, world, name):
    injury = InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"numbness": True})
    client.force_login(world.coach)
    response = client.post(reverse(name, args=[injury.pk]), REFUSED[name])
    assert response.status_code == 200 and b"<form" in response.content
    assert list(AccessLog.objects.values_list("action", "athlete_id", "record")) == [
        ("view_injury", world.athlete.pk, f"injury:{injury.pk}")
    ]


def test_the_checklist_answered_to_htmx_is_logged(client, world):
    injury = InjuryFactory(complaint__athlete=world.athlete)
    client.force_login(world.coach)
    url = reverse("injury_check", args=[injury.pk, "no_pain_on_touch"])
    assert client.post(url, {"done": "true"}, HTTP_HX_REQUEST="true").status_code == 200
    assert list(AccessLog.objects.values_list("action", "athlete_id")) == [("view_injury", world.athlete.pk)]


def test_the_coach_home_logs_only_when_it_shows_pain_alerts(client, world):
    client.force_login(world.coach)
    client.get(reverse("home"))
    assert not AccessLog.objects.exists()
    progression_alert(world.athlete, world.coach)
    response = client.get(reverse("home"))
    assert world.athlete.first_name.encode() in response.content
    assert list(AccessLog.objects.values_list("action", "user_id")) == [("view_alerts", world.coach.pk)]


# The admin: every registered model is either a health record, whose list and pages log, or not.
ADMIN_HEALTH = {"injuries.complaint", "injuries.injury", "testing.testresult", "reminders.reminder",
                "reminders.notification", "monitoring.sessionrpe", "monitoring.wellness", "monitoring.gpsrow",
                "monitoring.maxvelocity", "monitoring.priorinjury"}
ADMIN_NO_HEALTH = {
    "athletes.user", "athletes.team", "athletes.athlete", "athletes.invitation", "athletes.accesslog",
    "athletes.erasure", "testing.testtype", "programmes.exercise", "programmes.templatesession",
    "programmes.programmetemplate", "reminders.sentlog", "reminders.heartbeat",
    # A device's push address and how each push went: no words of the reminder.
    "reminders.pushsubscription", "reminders.pushsend",
    # A GPS file's name, team, row count and importer; a team's column names for its export.
    "monitoring.gpsimport", "monitoring.gpsmapping",
}


def _registered():
    return {model._meta.label_lower: model for model in admin.site._registry}


def test_every_admin_model_is_classified():
    apps_of_ours = {"athletes", "injuries", "testing", "programmes", "reminders", "monitoring"}
    ours = {label for label in _registered() if label.split(".")[0] in apps_of_ours}
    assert ours == ADMIN_HEALTH | ADMIN_NO_HEALTH


def _monitoring_record(label, world):
    from datetime import date

    from monitoring.models import GpsRow, MaxVelocity, PriorInjury, SessionRpe, Wellness

    athlete, day = world.athlete, date(2026, 11, 23)
    make = {
        "monitoring.sessionrpe": lambda: SessionRpe.objects.create(athlete=athlete, date=day, rpe=6, minutes=60, logged_by="coach"),
        "monitoring.wellness": lambda: Wellness.objects.create(athlete=athlete, date=day, sleep=4, soreness=2,
                                                               tightness_left=1, tightness_right=0, mood=4),
        "monitoring.gpsrow": lambda: GpsRow.objects.create(athlete=athlete, date=day, minutes=70, total_distance_m=6000, hsr_m=450),
        "monitoring.maxvelocity": lambda: MaxVelocity.objects.create(athlete=athlete, velocity="9.1", measured_on=day, source="coach"),
        "monitoring.priorinjury": lambda: PriorInjury.objects.create(athlete=athlete, approx_date=date(2025, 3, 1), side="left"),
    }
    return make[label]()


def _record_of(label, world):
    from reminders.models import Notification, Reminder

    from tests.factories import TestResultFactory

    if label.startswith("monitoring."):
        return _monitoring_record(label, world)

    injury = InjuryFactory(complaint__athlete=world.athlete)
    reminder = Reminder.objects.create(
        kind="pain_alert", recipient=world.coach, athlete=world.athlete, due_at=injury.created_at, occurrence="x:1"
    )
    return {
        "injuries.complaint": injury.complaint,
        "injuries.injury": injury,
        "testing.testresult": TestResultFactory(athlete=world.athlete),
        "reminders.reminder": reminder,
        "reminders.notification": Notification.objects.create(
            user=world.coach, reminder=reminder, kind="pain_alert", title="t", body="b", url="/"
        ),
    }[label]


@pytest.mark.parametrize("label", sorted(ADMIN_HEALTH))
def test_admin_pages_of_health_records_are_logged(client, world, label):
    record = _record_of(label, world)
    app_label, model_name = label.split(".")
    client.force_login(world.admin)
    AccessLog.objects.all().delete()
    assert client.get(reverse(f"admin:{app_label}_{model_name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{app_label}_{model_name}_change", args=[record.pk])).status_code == 200
    assert client.get(reverse(f"admin:{app_label}_{model_name}_history", args=[record.pk])).status_code == 200
    rows = list(AccessLog.objects.order_by("id").values_list("action", "user_id", "athlete_id", "record"))
    page = f"admin:{model_name}:{record.pk}"
    assert rows == [
        ("admin_view", world.admin.pk, None, f"admin:{model_name}:list"),
        ("admin_view", world.admin.pk, world.athlete.pk, page),
        ("admin_view", world.admin.pk, world.athlete.pk, page),
    ]


# --- The API (/api/v1/): its reads of health data log like the pages, with a token ---------------
# URL name -> (who calls it, the action logged, whether the row names the world's athlete or team).
API_SHOWS_HEALTH_DATA = {
    "api:athlete-list": ("coach", "view_roster", None),
    "api:athlete-detail": ("coach", "view_athlete", "athlete"),
    "api:complaint-list": ("coach", "view_complaint", None),
    "api:complaint-detail": ("coach", "view_complaint", "athlete"),
    "api:injury-list": ("coach", "view_injury", None),
    "api:injury-detail": ("athlete", "view_injury", "athlete"),
    "api:session-list": ("athlete", "view_programme", None),
    "api:session-detail": ("coach", "view_programme", "athlete"),
    "api:test-result-list": ("coach", "view_tests", None),
    "api:test-result-detail": ("coach", "view_tests", "athlete"),
    "api:notification-list": ("coach", "view_notifications", None),
    "api:notification-detail": ("coach", "view_notifications", None),
    "api:board": ("coach", "view_board", None),
    "api:team-screening": ("coach", "view_screening", "team"),
    "api:injury-history": ("coach", "view_injury_history", "athlete"),
    "api:programme-list": ("coach", "view_programme", None),
    "api:programme-detail": ("athlete", "view_programme", "athlete"),
}
API_SHOWS_NO_HEALTH_DATA = {
    "api:team-list": "teams' names", "api:team-detail": "a team's name",
    "api:triage": "the triage of answers sent, nothing stored", "api:schema": "the schema",
    "api:docs": "the docs page", "api:token_new": "a new token", "api:token_delete": "a write, then a redirect",
    "api:test-result-import": "an import's counts and the new results' ids; names to match and candidates",
    "api:team-gps-import": "an import's counts; an import that writes logs import_gps (tests/api/test_gps_import.py)",
    "api:not_found": "a 404 for an address the API does not have",
}


# Writes on one record answer with that record (health data): logged like its read. Their POST
# bodies are in tests/api/test_access.py's DETAIL_WRITES.
API_WRITES_SHOW_HEALTH_DATA = {
    "api:session-sets": "view_programme", "api:session-finish": "view_programme", "api:injury-phase": "view_injury",
}


def test_every_api_url_is_classified():
    from tests.api.test_access import api_urls

    assert set(API_SHOWS_HEALTH_DATA) | set(API_SHOWS_NO_HEALTH_DATA) | set(API_WRITES_SHOW_HEALTH_DATA) == api_urls()
    assert not set(API_SHOWS_HEALTH_DATA) & set(API_SHOWS_NO_HEALTH_DATA)


@pytest.mark.calendar  # the session is dated today
@pytest.mark.parametrize("name", sorted(API_SHOWS_HEALTH_DATA))
def test_each_api_read_of_health_data_logs_who_read_what(world, name):
    from rest_framework.test import APIClient

    from api.services import token_create
    from reminders.models import Notification
    from tests.api.test_access import API_MATRIX
    from tests.factories import TestResultFactory, assigned_session

    persona, action, names = API_SHOWS_HEALTH_DATA[name]
    injury = InjuryFactory(complaint__athlete=world.athlete)
    session = assigned_session(world.athlete, world.coach)
    records = {
        "athlete": world.athlete, "complaint": injury.complaint, "injury": injury, "team": world.team,
        "session": session, "programme": session.assignment, "test-result": TestResultFactory(athlete=world.athlete),
        "notification": Notification.objects.create(user=world.coach, kind="pain_alert", title="t", body="b", url="/"),
    }
    user = world.persona(persona)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=user, name='log')[1]}")
    record = API_MATRIX[name][2]
    url = reverse(name, kwargs={"pk": records[record].pk} if record else {})
    AccessLog.objects.all().delete()
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    rows = list(AccessLog.objects.all())
    assert [row.action for row in rows] == [action]
    row = rows[0]
    assert row.user_id == user.pk and row.record.startswith("api:")
    assert world.athlete.last_name not in row.record
    for field, value in _ids(world, names).items():
        assert getattr(row, field) == value, (field, getattr(row, field))


@pytest.mark.calendar  # the session is dated today
@pytest.mark.parametrize("name", sorted(API_WRITES_SHOW_HEALTH_DATA))
def test_each_api_write_logs_the_record_it_answers_with(world, name):
    from rest_framework.test import APIClient

    from api.services import token_create
    from tests.api.test_access import DETAIL_WRITES
    from tests.factories import assigned_session

    _, record, body, _ = DETAIL_WRITES[name]
    obj = {"session": assigned_session(world.athlete, world.coach),
           "injury": InjuryFactory(complaint__athlete=world.athlete)}[record]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_create(user=world.coach, name='log', write=True)[1]}")
    AccessLog.objects.all().delete()
    response = client.post(reverse(name, args=[obj.pk]), body(obj), format="json")
    assert response.status_code < 300, response.content[:200]
    assert list(AccessLog.objects.values_list("action", "user_id", "athlete_id")) == [
        (API_WRITES_SHOW_HEALTH_DATA[name], world.coach.pk, world.athlete.pk)]
