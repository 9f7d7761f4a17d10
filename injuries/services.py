"""Writes that touch complaints, injuries and overrides, each in one transaction."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import triage as t
from .models import ClassificationOverride, Complaint, Injury


class ComplaintAlreadyConfirmed(Exception):
    pass


def triaged_answers(answers: dict) -> dict:
    """The complaint's answers plus the triage result as it runs now, ready to store."""
    result = t.triage(t.Complaint.from_dict(answers))
    return {
        **answers,
        "classification": result.classification.value,
        "referral": result.referral.value,
        "triage_result": result.to_dict(),
    }


def injury_open(*, complaint: Complaint) -> Injury:
    result = complaint.triage_result
    began = complaint.created_at - timedelta(hours=float(complaint.hours_since_onset))
    return Injury.objects.create(
        athlete=complaint.athlete,
        complaint=complaint,
        side=complaint.side,
        onset_date=timezone.localtime(began).date(),
        classification=complaint.classification,
        referral=complaint.referral,
        phase=Injury.Phase.PROTECT,
        phase_started_on=timezone.localdate(),
        expected_return_min_days=result["recovery_days"]["min"],
        expected_return_max_days=result["recovery_days"]["max"],
    )


@transaction.atomic
def complaint_log(*, athlete, logged_by, answers: dict) -> Injury:
    """A coach records a complaint: triage it, keep the result, open the injury."""
    now = timezone.now()
    complaint = Complaint.objects.create(
        athlete=athlete,
        reported_by=logged_by,
        source=Complaint.Source.COACH,
        status=Complaint.Status.CONFIRMED,
        confirmed_by=logged_by,
        confirmed_at=now,
        **triaged_answers(answers),
    )
    return injury_open(complaint=complaint)


@transaction.atomic
def complaint_report(*, athlete, reported_by, answers: dict) -> Complaint:
    """An athlete reports from their phone; it waits in the coaches' inbox.

    The provisional triage of the athlete's own answers is stored so that urgent reports sort
    to the top of the inbox; the triage of record runs when a coach confirms.
    """
    return Complaint.objects.create(
        athlete=athlete,
        reported_by=reported_by,
        source=Complaint.Source.ATHLETE,
        status=Complaint.Status.PENDING,
        **triaged_answers(answers),
    )


@transaction.atomic
def complaint_confirm(*, complaint: Complaint, confirmed_by, answers: dict) -> Injury:
    """A coach confirms (or corrects) an athlete's answers; the triage runs on those."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status == Complaint.Status.CONFIRMED:
        raise ComplaintAlreadyConfirmed
    for name, value in triaged_answers(answers).items():
        setattr(locked, name, value)
    locked.status = Complaint.Status.CONFIRMED
    locked.confirmed_by = confirmed_by
    locked.confirmed_at = timezone.now()
    locked.save()
    return injury_open(complaint=locked)


@transaction.atomic
def injury_override_classification(*, injury: Injury, overridden_by, classification: str, reason: str) -> Injury:
    """Change an injury's classification; the original triage stays on its complaint."""
    injury = Injury.objects.select_for_update().select_related("complaint").get(pk=injury.pk)
    ClassificationOverride.objects.create(
        injury=injury,
        from_classification=injury.classification,
        to_classification=classification,
        reason=reason,
        overridden_by=overridden_by,
    )
    window = t.RECOVERY_WINDOWS[t.Classification(classification)]
    has_red_flags = bool(injury.complaint.triage_result["red_flags"])
    injury.classification = classification
    injury.referral = t.referral_for(classification, has_red_flags).value
    injury.expected_return_min_days = window.min_days
    injury.expected_return_max_days = window.max_days
    injury.save()
    return injury
