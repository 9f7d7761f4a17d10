import json

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import ForeignKey, OneToOneField
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from athletes.audit import record_shown
from athletes.models import AccessLog, Athlete, Erasure, PasswordResetRequest
from injuries import services as injury_services
from monitoring import services as monitoring_services
from phone import services as phone_services
from programmes import services as programme_services
from reminders import services as reminder_services
from tests.factories import PASSWORD, ComplaintFactory, InjuryFactory, assigned_session, move_on


def _rich_athlete(world):
    """The athlete with something in every corner of the app."""
    injury = InjuryFactory(complaint__athlete=world.athlete)
    move_on(injury, "rehab", world.coach)
    injury_services.injury_override_classification(injury=injury, overridden_by=world.coach, classification="grade_2", reason="Scan result.")
    ComplaintFactory(athlete=world.athlete, pending=True)
    session = assigned_session(world.athlete, world.coach)
    programme_services.set_log(prescribed=session.exercises.first(), set_number=1)
    programme_services.session_complete(session=session, worst_pain=7, sharp_pain=False)
    # The phone sent another finish from its offline queue: the session took the first, so the
    # second answer is kept on the phone's record of the write (and the coach told).
    phone_services.session_finish_once(user=world.athlete_user, key="offline-finish", session=session, worst_pain=8,
                                       sharp_pain=True, version="", fingerprint_="offline-finish")
    # Push on for their phone, reached once.
    device = reminder_services.push_subscription_save(
        user=world.athlete_user, endpoint="https://push.example.com/send/SECRET-ENDPOINT", p256dh="SECRETP256DH",
        auth="SECRETAUTH", user_agent="Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36",
    )
    device.last_success_at = timezone.now()
    device.save(update_fields=["last_success_at"])
    for reminder in world.athlete.reminders.all()[:3]:
        reminder_services.deliver(reminder.pk)
    # Load and wellness, and an injury from before they joined.
    today = timezone.localdate()
    monitoring_services.session_rpe_log(athlete=world.athlete, day=today, rpe=6, minutes=70, by=world.athlete_user)
    monitoring_services.wellness_record(athlete=world.athlete, day=today, sleep=3, soreness=2, tightness_left=1,
                                        tightness_right=0, mood=3, by=world.athlete_user)
    monitoring_services.prior_injury_add(athlete=world.athlete, approx_date=today.replace(year=today.year - 2),
                                         side="left", by=world.coach, grade="2", notes="Before joining.")
    return injury


@pytest.mark.calendar
def test_the_athlete_downloads_everything_held_about_them(client, world):
    _rich_athlete(world)
    client.force_login(world.athlete_user)
    response = client.get(reverse("athlete_data_export", args=[world.athlete.pk]))
    data = json.loads(response.content)
    assert data["athlete"][0]["pk"] == world.athlete.pk
    assert data["account"][0]["fields"]["email"] == world.athlete_user.email
    assert "password" not in data["account"][0]["fields"]
    for section in ["complaints", "complaint_history", "injuries", "injury_history", "phase_changes", "classification_overrides",
                    "scheduled_sessions", "set_logs", "progression_decisions", "reminders", "session_loads",
                    "wellness_checks", "prior_injuries"]:
        assert data[section], section
    assert AccessLog.objects.filter(action="export_athlete", athlete_id=world.athlete.pk).exists()


@pytest.mark.calendar
def test_the_export_has_their_push_devices_without_their_keys_and_the_kept_phone_answers(client, world):
    _rich_athlete(world)
    client.force_login(world.athlete_user)
    response = client.get(reverse("athlete_data_export", args=[world.athlete.pk]))
    data = json.loads(response.content)
    [device] = data["push_subscriptions"]
    assert set(device["fields"]) == {"user", "device", "created_at", "last_success_at"}
    assert device["fields"]["device"] and device["fields"]["created_at"] and device["fields"]["last_success_at"]
    # Whoever holds a device's address and keys can push to it: they are never in the download.
    assert "SECRET" not in response.content.decode()
    [kept] = [row["fields"] for row in data["phone_writes"] if row["fields"]["outcome"] == "kept"]
    assert (kept["kind"], kept["worst_pain"], kept["sharp_pain"]) == ("finish", 8, True)
    assert kept["created_at"] and kept["key"] == "offline-finish" and "already finished" in kept["message"]
    assert "fingerprint" not in kept


def _rows_about(athlete_id, user_id, name):
    """Every row in every model that points at the athlete or their login, or names them."""
    found = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, (ForeignKey, OneToOneField)) and field.related_model is Athlete:
                count = model._base_manager.filter(**{field.attname: athlete_id}).count()
            elif field.name == "athlete_id" and not field.is_relation and model not in (AccessLog, Erasure):
                count = model._base_manager.filter(athlete_id=athlete_id).count()
            elif isinstance(field, (ForeignKey, OneToOneField)) and field.related_model is apps.get_model("athletes.User") and user_id:
                count = model._base_manager.filter(**{field.attname: user_id}).count()
            else:
                continue
            if count:
                found[f"{model._meta.label}.{field.name}"] = count
    notifications = apps.get_model("reminders.Notification").objects.filter(title__contains=name).count()
    if notifications:
        found["notifications naming the athlete"] = notifications
    return found


@pytest.mark.calendar
def test_erasure_leaves_nothing_about_the_athlete(client, world):
    injury = _rich_athlete(world)
    athlete_id, user_id, name = world.athlete.pk, world.athlete_user.pk, world.athlete.full_name
    assert _rows_about(athlete_id, user_id, name)  # the probe sees the data before
    client.force_login(world.admin)
    response = client.post(reverse("athlete_erase", args=[athlete_id]), {"confirm": name})
    assert response.status_code == 302
    assert _rows_about(athlete_id, user_id, name) == {}
    erasure = Erasure.objects.get(athlete_id=athlete_id)
    assert erasure.erased_by == world.admin and name not in json.dumps(erasure.rows_deleted)
    assert erasure.rows_deleted["phone_writes"] == 1 and erasure.rows_deleted["push_subscriptions"] == 1
    assert erasure.rows_deleted["session_loads"] == erasure.rows_deleted["wellness_checks"] == erasure.rows_deleted["prior_injuries"] == 1
    assert not apps.get_model("phone.ClientWrite").objects.exists()
    assert not apps.get_model("reminders.PushSubscription").objects.exists()
    for url in [reverse("athlete_detail", args=[athlete_id]), reverse("injury_detail", args=[injury.pk])]:
        assert client.get(url).status_code == 404
    assert world.other_athlete.pk in Athlete.objects.values_list("pk", flat=True)  # nobody else


def test_erasure_needs_the_name_typed(client, world):
    client.force_login(world.admin)
    response = client.post(reverse("athlete_erase", args=[world.athlete.pk]), {"confirm": "someone else"})
    assert response.status_code == 200 and "Type the athlete's full name" in response.content.decode()
    assert Athlete.objects.filter(pk=world.athlete.pk).exists()


def test_admin_can_filter_the_access_log(client, world):
    record_shown(world.coach, "view_injury", athlete_id=world.athlete.pk, record="injury:1")
    record_shown(world.other_coach, "view_injury", athlete_id=world.other_athlete.pk, record="injury:2")
    client.force_login(world.admin)
    response = client.get(reverse("admin:athletes_accesslog_changelist"), {"q": world.athlete.pk, "user__id__exact": world.coach.pk})
    rows = list(response.context["cl"].result_list)
    assert [(r.user, r.athlete_id) for r in rows] == [(world.coach, world.athlete.pk)]


def _tables_holding(text):
    """Every table of the database (Django's, django-axes', every app's) with a row whose text
    holds `text`, in any column; and the sessions whose decoded data does."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(
                f"SELECT count(*) FROM {connection.ops.quote_name(table)} t WHERE strpos(lower(t::text), %s) > 0",
                [text.lower()],
            )
            if count := cursor.fetchone()[0]:
                found[table] = count
    sessions = [s for s in Session.objects.all() if text.lower() in json.dumps(s.get_decoded()).lower()]
    if sessions:
        found["sessions (decoded)"] = len(sessions)
    return found


def _sessions_of(user_id):
    return [s for s in Session.objects.all() if s.get_decoded().get(SESSION_KEY) == str(user_id)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads each row as text (PostgreSQL)")
@pytest.mark.calendar
def test_erasure_leaves_the_athletes_email_in_no_table(client, world, mailoutbox, django_capture_on_commit_callbacks):
    _rich_athlete(world)
    email, user_id = world.athlete_user.email, world.athlete_user.pk
    # Their sign-ins: a success (axes' access log and a session), failures from elsewhere
    # (axes' attempts), and a password reset they asked for.
    athlete_phone = Client()
    athlete_phone.post(reverse("login"), {"username": email, "password": PASSWORD})
    for _ in range(2):
        Client().post(reverse("login"), {"username": email.upper(), "password": "wrong"}, REMOTE_ADDR="203.0.113.70")
    Client().post(reverse("password_reset"), {"email": email})
    # A coach invited their address to coach a team; an admin changed their login in the admin.
    client.force_login(world.coach)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("team_invite_coach", args=[world.team.pk]), {"email": email})
    LogEntry.objects.create(
        user=world.admin, content_type=ContentType.objects.get_for_model(world.athlete_user),
        object_id=str(user_id), object_repr=email, action_flag=CHANGE, change_message="[]",
    )
    before = _tables_holding(email)
    for table in ["athletes_user", "athletes_athlete", "athletes_invitation", "axes_accessattempt", "axes_accesslog",
                  "django_admin_log"]:
        assert table in before, (table, before)  # the probe sees each kind of trace
    assert _sessions_of(user_id) and PasswordResetRequest.objects.filter(user_id=user_id).exists()

    client.force_login(world.admin)
    response = client.post(reverse("athlete_erase", args=[world.athlete.pk]), {"confirm": world.athlete.full_name})
    assert response.status_code == 302
    assert _tables_holding(email) == {}
    assert _sessions_of(user_id) == []
    assert athlete_phone.get(reverse("athlete_home")).status_code == 302
    assert LogEntry.objects.filter(object_id=str(user_id)).get().object_repr == "(erased)"
