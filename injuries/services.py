"""Writes that touch complaints, injuries and overrides, each in one transaction."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from programmes.services import NORDIC_CRITERIA, programme_regate

from . import triage as t
from .models import (
    RECURRENCE_WINDOW_DAYS,
    ChecklistItem,
    ClassificationOverride,
    ClearanceCheck,
    Complaint,
    Injury,
    Phase,
    PhaseChange,
    RecoveryDefault,
)


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


# DOMS needs no protect phase (a lighter next session): it opens in return to training.
STARTING_PHASE = {t.Classification.DOMS: Phase.RETURN_TO_TRAINING}


def _expected_dates(onset, classification: str) -> dict:
    defaults = RecoveryDefault.for_classification(classification)
    return {
        "protect_until": onset + timedelta(days=defaults.protect_max_days),
        "expected_return_from": onset + timedelta(days=defaults.return_min_days),
        "expected_return_to": onset + timedelta(days=defaults.return_max_days),
    }


def _is_recurrence(athlete, side: str, onset) -> bool:
    """Same side within two months of the athlete's last return (DOMAIN.md section 3)."""
    last = (
        Injury.objects.filter(athlete=athlete, cleared_on__isnull=False, cleared_on__lte=onset)
        .order_by("-cleared_on")
        .first()
    )
    if last is None or (onset - last.cleared_on).days > RECURRENCE_WINDOW_DAYS:
        return False
    return side == last.side or "both" in (side, last.side)


def injury_open(*, complaint: Complaint) -> Injury:
    """Open the injury for a confirmed complaint, with its checklist and first phase."""
    began = complaint.created_at - timedelta(hours=float(complaint.hours_since_onset))
    onset = timezone.localtime(began).date()
    today = timezone.localdate()
    phase = STARTING_PHASE.get(complaint.classification, Phase.PROTECT)
    injury = Injury.objects.create(
        athlete=complaint.athlete,
        complaint=complaint,
        side=complaint.side,
        onset_date=onset,
        classification=complaint.classification,
        referral=complaint.referral,
        doctor_status=(
            Injury.DoctorStatus.ADVISED
            if complaint.referral in (t.Referral.URGENT, t.Referral.RECOMMENDED)
            else Injury.DoctorStatus.NOT_NEEDED
        ),
        phase=phase,
        phase_started_on=today,
        is_recurrence=_is_recurrence(complaint.athlete, complaint.side, onset),
        **_expected_dates(onset, complaint.classification),
    )
    PhaseChange.objects.create(injury=injury, to_phase=phase, on=today, changed_by=complaint.confirmed_by)
    ClearanceCheck.objects.bulk_create(ClearanceCheck(injury=injury, item=item) for item in ChecklistItem.values)
    return injury


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
    has_red_flags = bool(injury.complaint.triage_result["red_flags"])
    injury.classification = classification
    injury.referral = t.referral_for(classification, has_red_flags).value
    for name, value in _expected_dates(injury.onset_date, classification).items():
        setattr(injury, name, value)
    injury.save()
    return injury


class PhaseChangeError(Exception):
    """A phase change the rules do not allow; the message says why."""


def checklist_missing(injury: Injury) -> list[str]:
    """The checklist items still open; the doctor's clearance counts only after grade 2 or 3."""
    return [
        check.get_item_display()
        for check in injury.checks.all()
        if not check.done and (check.item != ChecklistItem.DOCTOR or injury.needs_doctor_clearance)
    ]


@transaction.atomic
def injury_change_phase(*, injury: Injury, to_phase: str, changed_by, reason: str = "", override: bool = False) -> Injury:
    """Move an injury to another phase; clearing needs the checklist, or an override with a reason.

    Dates in the plan are expectations only: any phase may be chosen at any time, and a
    setback may move an injury back. A cleared injury is closed: a new complaint opens a new one.
    """
    injury = Injury.objects.select_for_update().get(pk=injury.pk)
    if injury.phase == Phase.CLEARED:
        raise PhaseChangeError("This injury is already cleared. Log a new complaint if the hamstring hurts again.")
    if to_phase == injury.phase:
        raise PhaseChangeError(f"The injury is already in {injury.get_phase_display().lower()}.")
    reason = reason.strip()
    missing = checklist_missing(injury) if to_phase == Phase.CLEARED else []
    if missing:
        if not override:
            raise PhaseChangeError("Before clearing, complete the checklist: " + "; ".join(missing) + ".")
        if not reason:
            raise PhaseChangeError("Write why you are clearing the athlete without the full checklist.")
    today = timezone.localdate()
    PhaseChange.objects.create(
        injury=injury,
        from_phase=injury.phase,
        to_phase=to_phase,
        on=today,
        changed_by=changed_by,
        checklist_overridden=bool(missing),
        reason=reason,
    )
    injury.phase = to_phase
    injury.phase_started_on = today
    injury.cleared_on = today if to_phase == Phase.CLEARED else None
    injury.save()
    programme_regate(athlete=injury.athlete)  # the programme follows the phase
    return injury


@transaction.atomic
def clearance_check_set(*, injury: Injury, item: str, done: bool, changed_by) -> ClearanceCheck:
    check = ClearanceCheck.objects.select_for_update().get(injury=injury, item=item)
    check.done = done
    check.changed_by = changed_by
    check.changed_at = timezone.now()
    check.save()
    if item in NORDIC_CRITERIA:
        programme_regate(athlete=injury.athlete)  # Nordic work may start (or stop)
    return check
