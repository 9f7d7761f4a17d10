"""An athlete's right to their data: everything held about them as JSON, and complete erasure."""

import json

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction


def _related(athlete):
    """Every queryset that holds data about the athlete, in an order safe to delete."""
    from injuries.models import (
        ClassificationOverride,
        ClearanceCheck,
        Complaint,
        Episode,
        Injury,
        PhaseChange,
        TestResult,
    )
    from programmes.models import (
        Assignment,
        LadderPosition,
        PrescribedExercise,
        ProgressionDecision,
        ScheduledSession,
        SetLog,
    )
    from reminders.models import Notification, Reminder, SentLog

    injuries = Injury.objects.filter(athlete=athlete)
    injury_ids = list(injuries.values_list("pk", flat=True))
    sessions = ScheduledSession.objects.filter(athlete=athlete)
    user = athlete.user
    return {
        # Coaches' notifications name the athlete: they go too.
        "notifications": Notification.objects.filter(reminder__athlete=athlete),
        "own_notifications": Notification.objects.filter(user=user) if user else Notification.objects.none(),
        "sent_logs": SentLog.objects.filter(reminder__athlete=athlete),
        "reminders": Reminder.objects.filter(athlete=athlete),
        "set_logs": SetLog.objects.filter(prescribed__session__athlete=athlete),
        "prescribed_exercises": PrescribedExercise.objects.filter(session__athlete=athlete),
        "progression_decisions": ProgressionDecision.objects.filter(athlete=athlete),
        "scheduled_sessions": sessions,
        "assignments": Assignment.objects.filter(athlete=athlete),
        "ladder_positions": LadderPosition.objects.filter(athlete=athlete),
        "test_results": TestResult.objects.filter(athlete=athlete),
        "phase_changes": PhaseChange.objects.filter(injury__athlete=athlete),
        "classification_overrides": ClassificationOverride.objects.filter(injury__athlete=athlete),
        "clearance_checks": ClearanceCheck.objects.filter(injury__athlete=athlete),
        "injuries": injuries,
        "episodes": Episode.objects.filter(athlete=athlete),
        "complaints": Complaint.objects.filter(athlete=athlete),
        "invitations": athlete.invitations.all(),
        # Last: deleting the rows above writes "deleted" history records, which go too.
        "clearance_check_history": ClearanceCheck.history.filter(injury_id__in=injury_ids),
        "injury_history": Injury.history.filter(athlete_id=athlete.pk),
        "complaint_history": Complaint.history.filter(athlete_id=athlete.pk),
    }


def athlete_data(athlete) -> str:
    """Everything held about the athlete, as one JSON document."""
    sections = {"athlete": serializers.serialize("python", [athlete])}
    if athlete.user_id:
        sections["account"] = [
            {k: v for k, v in row.items() if k != "fields"} | {"fields": {
                f: row["fields"][f] for f in ("email", "first_name", "last_name", "role", "time_zone", "date_joined", "last_login")
            }}
            for row in serializers.serialize("python", [athlete.user])
        ]
    for name, queryset in _related(athlete).items():
        sections[name] = serializers.serialize("python", queryset)
    return json.dumps(sections, cls=DjangoJSONEncoder, indent=2)


@transaction.atomic
def athlete_erase(*, athlete, erased_by):
    """Delete every row about the athlete, their login included; record only that it happened."""
    from .models import Erasure

    counts = {}
    for name, queryset in _related(athlete).items():
        counts[name] = queryset.delete()[0]
    user = athlete.user
    athlete_id = athlete.pk
    athlete.delete()
    counts["athlete"] = 1
    if user is not None:
        user.delete()
        counts["account"] = 1
    return Erasure.objects.create(athlete_id=athlete_id, erased_by=erased_by, rows_deleted=counts)
