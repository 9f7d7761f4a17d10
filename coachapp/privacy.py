"""An athlete's right to their data: everything held about them as JSON, and complete erasure.

It reads every app's tables, so it lives in the project, above them all (docs/architecture.md#layers).
"""

import json
from importlib import import_module

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import SESSION_KEY
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q

from athletes.models import Athlete, Erasure, Invitation, PasswordResetRequest, User
from injuries.models import (
    ClassificationOverride,
    ClearanceCheck,
    Complaint,
    Episode,
    Injury,
    PhaseChange,
)
from monitoring.models import GpsRow, MaxVelocity, PriorInjury, SessionRpe, Wellness
from phone.models import ClientWrite
from programmes.models import (
    Assignment,
    LadderPosition,
    PrescribedExercise,
    ProgressionDecision,
    ScheduledSession,
    SetLog,
)
from reminders.models import ChannelPreference, Notification, PushSend, PushSubscription, Reminder, SentLog
from testing.models import TestResult


def _related(athlete):
    """Every queryset that holds data about the athlete, in an order safe to delete."""
    injuries = Injury.objects.filter(athlete=athlete)
    injury_ids = list(injuries.values_list("pk", flat=True))
    sessions = ScheduledSession.objects.filter(athlete=athlete)
    user = athlete.user
    return {
        # Coaches' notifications name the athlete: they go too.
        "notifications": Notification.objects.filter(reminder__athlete=athlete),
        "own_notifications": Notification.objects.filter(user=user) if user else Notification.objects.none(),
        "sent_logs": SentLog.objects.filter(reminder__athlete=athlete),
        # Pushes of reminders about the athlete, and of any reminder to the athlete's devices.
        "push_sends": PushSend.objects.filter(Q(reminder__athlete=athlete) | Q(subscription__user_id=user.pk if user else None)),
        "reminders": Reminder.objects.filter(athlete=athlete),
        # What the phone sent from its offline queue, and the pain answers kept there: before the
        # sessions they point at.
        "phone_writes": ClientWrite.objects.filter(session__athlete=athlete),
        "set_logs": SetLog.objects.filter(prescribed__session__athlete=athlete),
        "prescribed_exercises": PrescribedExercise.objects.filter(session__athlete=athlete),
        "progression_decisions": ProgressionDecision.objects.filter(athlete=athlete),
        "scheduled_sessions": sessions,
        "assignments": Assignment.objects.filter(athlete=athlete),
        "ladder_positions": LadderPosition.objects.filter(athlete=athlete),
        "test_results": TestResult.objects.filter(athlete=athlete),
        "session_loads": SessionRpe.objects.filter(athlete=athlete),
        "wellness_checks": Wellness.objects.filter(athlete=athlete),
        "gps_sessions": GpsRow.objects.filter(athlete=athlete),
        "maximal_velocity": MaxVelocity.objects.filter(athlete=athlete),
        "prior_injuries": PriorInjury.objects.filter(athlete=athlete),
        "phase_changes": PhaseChange.objects.filter(injury__athlete=athlete),
        "classification_overrides": ClassificationOverride.objects.filter(injury__athlete=athlete),
        "clearance_checks": ClearanceCheck.objects.filter(injury__athlete=athlete),
        "injuries": injuries,
        "episodes": Episode.objects.filter(athlete=athlete),
        "complaints": Complaint.objects.filter(athlete=athlete),
        # Any invitation to their address, a coach's included, and the sign-in records.
        "invitations": Invitation.objects.filter(Q(athlete=athlete) | _matches("email", _emails(athlete))),
        "password_reset_requests": PasswordResetRequest.objects.filter(user=user) if user else PasswordResetRequest.objects.none(),
        "push_subscriptions": PushSubscription.objects.filter(user=user) if user else PushSubscription.objects.none(),
        "channel_preferences": ChannelPreference.objects.filter(user=user) if user else ChannelPreference.objects.none(),
        **_sign_in_records(_emails(athlete)),
        # Last: deleting the rows above writes "deleted" history records, which go too.
        "clearance_check_history": ClearanceCheck.history.filter(injury_id__in=injury_ids),
        "injury_history": Injury.history.filter(athlete_id=athlete.pk),
        "complaint_history": Complaint.history.filter(athlete_id=athlete.pk),
    }


# The fields a section of the export shows, where not all of them: a device's push address and
# keys let anyone who holds them push to it, and a key's fingerprint is only a digest of answers
# the row already shows.
EXPORTED_FIELDS = {
    "push_subscriptions": ("user", "device", "created_at", "last_success_at"),
    "push_sends": ("reminder", "status", "attempts", "sent_at"),
    "phone_writes": ("user", "key", "kind", "session", "created_at", "outcome", "message", "worst_pain", "sharp_pain",
                     "feeling", "morning_pain"),
}


def _emails(athlete) -> set[str]:
    """The athlete's addresses: the record's and the login's (the same, unless changed before signing up)."""
    user = athlete.user
    return {email.strip().lower() for email in (athlete.email, user.email if user else "") if email.strip()}


def _matches(field, emails, lookup="iexact"):
    """Rows whose `field` is (or, with lookup="icontains", holds) one of the addresses."""
    query = Q(pk__in=[])
    for email in emails:
        query |= Q(**{f"{field}__{lookup}": email})
    return query


def _sign_in_records(emails) -> dict:
    """django-axes' tables: failed and successful sign-ins under the athlete's address."""
    return {
        "sign_in_attempts": AccessAttempt.objects.filter(
            _matches("username", emails) | _matches("get_data", emails, "icontains") | _matches("post_data", emails, "icontains")
        ),
        "sign_in_failures": AccessFailureLog.objects.filter(_matches("username", emails)),
        "sign_ins": SignInLog.objects.filter(_matches("username", emails)),
    }


def _sessions_end(user) -> int:
    """Delete the login's sessions (database-backed stores: the others expire by themselves)."""
    if not settings.SESSION_ENGINE.endswith((".db", ".cached_db")):
        return 0
    from django.contrib.sessions.models import Session

    store = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for session in Session.objects.iterator():
        if session.get_decoded().get(SESSION_KEY) == str(user.pk):
            store(session.session_key).delete()
            ended += 1
    return ended


def _admin_log_anonymise(athlete_id, user_id) -> int:
    """The admin's change log names the objects it changed (a login's name is its email): keep
    that a change happened, not whom it was about."""
    objects = Q(content_type=ContentType.objects.get_for_model(Athlete), object_id=str(athlete_id))
    if user_id is not None:
        objects |= Q(content_type=ContentType.objects.get_for_model(User), object_id=str(user_id))
    return LogEntry.objects.filter(objects).update(object_repr="(erased)")


def athlete_data(athlete) -> str:
    """Everything held about the athlete, as one JSON document."""
    sections = {"athlete": serializers.serialize("python", [athlete])}
    if athlete.user_id:
        sections["account"] = [
            {k: v for k, v in row.items() if k != "fields"} | {"fields": {
                f: row["fields"][f] for f in ("email", "first_name", "last_name", "role", "time_zone", "load_unit", "date_joined", "last_login")
            }}
            for row in serializers.serialize("python", [athlete.user])
        ]
    for name, queryset in _related(athlete).items():
        sections[name] = serializers.serialize("python", queryset, fields=EXPORTED_FIELDS.get(name))
    return json.dumps(sections, cls=DjangoJSONEncoder, indent=2)


@transaction.atomic
def athlete_erase(*, athlete, erased_by):
    """Delete every row about the athlete, their login included; record only that it happened."""
    counts = {}
    for name, queryset in _related(athlete).items():
        counts[name] = queryset.delete()[0]
    user = athlete.user
    athlete_id = athlete.pk
    athlete.delete()
    counts["athlete"] = 1
    counts["admin_log_entries_anonymised"] = _admin_log_anonymise(athlete_id, user.pk if user else None)
    if user is not None:
        counts["sessions"] = _sessions_end(user)
        user.delete()
        counts["account"] = 1
    return Erasure.objects.create(athlete_id=athlete_id, erased_by=erased_by, rows_deleted=counts)
