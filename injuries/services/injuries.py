"""Injuries: opening one, a coach's override of its classification, moving it between phases by
its criteria (docs/clinical-rules.md#phases-and-criteria), and the doctor's review.

Every write announces what it changed (injuries/events.py); programmes re-gates the athlete's
sessions in the same transaction (docs/architecture.md#events).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from athletes.locks import lock_athletes
from injuries import reminders

from .. import pathway
from .. import triage as t
from ..events import Event, announce
from ..models import (
    ChecklistItem,
    ClassificationOverride,
    ClearanceCheck,
    Complaint,
    Injury,
    Phase,
    PhaseChange,
    RecoveryDefault,
)
from .errors import InjuryError, PhaseChangedMeanwhile, PhaseChangeError


def _expected_dates(onset, classification: str) -> dict:
    defaults = RecoveryDefault.for_classification(classification)
    return {
        "protect_until": onset + timedelta(days=defaults.protect_max_days),
        "expected_return_from": onset + timedelta(days=defaults.return_min_days),
        "expected_return_to": onset + timedelta(days=defaults.return_max_days),
    }


def _is_recurrence(athlete, side: str, onset) -> bool:
    """Same side within two months of any strain's return, not only the latest one
    (docs/clinical-rules.md#recurrence). Minor episodes are not injuries, so never returns."""
    returns = Injury.objects.filter(
        athlete=athlete, cleared_on__isnull=False, cleared_on__lte=onset,
        cleared_on__gte=onset - timedelta(days=pathway.RECURRENCE_WINDOW_DAYS),
        worst_classification__in=pathway.STRAINS,
    ).values_list("side", "cleared_on")
    return pathway.is_recurrence(side, onset, [pathway.Return(side, day) for side, day in returns])


def _onset(complaint: Complaint) -> date:
    began = complaint.created_at - timedelta(hours=float(complaint.hours_since_onset))
    return timezone.localtime(began).date()


def _has_red_flags(complaint: Complaint) -> bool:
    return bool(complaint.triage_result.get("red_flags"))


def injury_open(*, complaint: Complaint) -> Injury:
    """Open the injury for a confirmed complaint, with its checklist, in protect."""
    onset = _onset(complaint)
    today = timezone.localdate()
    injury = Injury.objects.create(
        athlete=complaint.athlete,
        complaint=complaint,
        side=complaint.side,
        onset_date=onset,
        classification=complaint.classification,
        worst_classification=complaint.classification,
        referral=complaint.referral,
        ever_urgent=complaint.referral == t.Referral.URGENT,
        doctor_status=(
            Injury.DoctorStatus.ADVISED
            if complaint.referral in (t.Referral.URGENT, t.Referral.RECOMMENDED)
            else Injury.DoctorStatus.NOT_NEEDED
        ),
        phase=Phase.PROTECT,
        phase_started_on=today,
        is_recurrence=_is_recurrence(complaint.athlete, complaint.side, onset),
        **_expected_dates(onset, complaint.classification),
    )
    PhaseChange.objects.create(injury=injury, to_phase=Phase.PROTECT, on=today, changed_by=complaint.confirmed_by)
    ClearanceCheck.objects.bulk_create(ClearanceCheck(injury=injury, item=item) for item in ChecklistItem.values)
    reminders.schedule_injury(injury)
    announce(Event.COMPLAINT_CONFIRMED, injury.athlete_id, entered_phase=Phase.PROTECT)
    return injury


def _move_phase(injury: Injury, to_phase: str, changed_by, *, reason: str = "", overridden: bool = False) -> None:
    today = timezone.localdate()
    PhaseChange.objects.create(
        injury=injury, from_phase=injury.phase, to_phase=to_phase, on=today, changed_by=changed_by,
        checklist_overridden=overridden, reason=reason,
    )
    injury.phase = to_phase
    injury.phase_started_on = today
    injury.cleared_on = today if to_phase == Phase.CLEARED else None


@transaction.atomic
def injury_override_classification(*, injury: Injury, overridden_by, classification: str, reason: str) -> Injury:
    """Change an injury's classification; the original triage stays on its complaint.

    Advice, windows, referral, the doctor's clearance and the gating all follow the new one;
    an override that makes the case urgent puts it back in protect until a doctor's review.
    """
    lock_athletes(injury.athlete_id)
    injury = Injury.objects.select_for_update(of=("self",)).select_related("complaint").get(pk=injury.pk)
    if not injury.is_open:
        raise InjuryError("This injury is cleared: log a new complaint if the hamstring hurts again.")
    ClassificationOverride.objects.create(
        injury=injury,
        from_classification=injury.classification,
        to_classification=classification,
        reason=reason,
        overridden_by=overridden_by,
    )
    injury.classification = classification
    injury.referral = t.referral_for(t.Classification(classification), _has_red_flags(injury.complaint)).value
    injury.worst_classification = t.most_severe([injury.worst_classification, classification]).value
    if injury.referral == t.Referral.URGENT and not injury.ever_urgent:
        # Newly urgent: a review recorded before is of a milder case; ask for one of this one
        # (the earlier review stays in the injury's history).
        injury.doctor_reviewed_on, injury.doctor_status = None, Injury.DoctorStatus.ADVISED
    injury.ever_urgent = injury.ever_urgent or injury.referral == t.Referral.URGENT
    if injury.referral in (t.Referral.URGENT, t.Referral.RECOMMENDED) and injury.doctor_status == Injury.DoctorStatus.NOT_NEEDED:
        injury.doctor_status = Injury.DoctorStatus.ADVISED
    for name, value in _expected_dates(injury.onset_date, classification).items():
        setattr(injury, name, value)
    entered = ""
    if injury.waiting_for_doctor and injury.phase != Phase.PROTECT:
        _move_phase(injury, Phase.PROTECT, overridden_by,
                    reason="The new classification needs a doctor's review: back to protect until it is recorded.")
        entered = Phase.PROTECT
    injury.save()
    reminders.schedule_injury(injury)  # the return dates moved
    announce(Event.OVERRIDDEN, injury.athlete_id, entered_phase=entered)
    return injury


def _ticked(injury: Injury) -> set[str]:
    return set(injury.checks.filter(done=True).values_list("item", flat=True))


def phase_criteria(injury: Injury, to_phase: str, ticked=None) -> tuple:
    """The criteria of a move, each met or missing (injuries/pathway.py)."""
    ticked = _ticked(injury) if ticked is None else ticked
    return pathway.criteria_for(injury.pathway_state(ticked), to_phase)


def checklist_missing(injury: Injury) -> list[str]:
    """The labels of what clearing still needs."""
    return [c.label for c in pathway.missing(phase_criteria(injury, Phase.CLEARED))]


@transaction.atomic
def injury_change_phase(
    *, injury: Injury, to_phase: str, changed_by, reason: str = "", override: bool = False, expected_phase: str = ""
) -> Injury:
    """Move an injury to another phase by its criteria (docs/clinical-rules.md#phases-and-criteria).

    Moving on without a criterion needs ``override`` and a written reason; an urgent case never
    leaves protect before a doctor's review is recorded. A step back is always allowed. A
    cleared injury is closed: a new complaint opens a new one.
    """
    lock_athletes(injury.athlete_id)
    injury = Injury.objects.select_for_update().get(pk=injury.pk)
    if expected_phase and expected_phase != injury.phase:
        raise PhaseChangedMeanwhile(
            f"Someone moved this injury to {injury.get_phase_display().lower()} since you opened the page. "
            "Check its criteria below and choose again."
        )
    if injury.phase == Phase.CLEARED:
        raise PhaseChangeError("This injury is already cleared. Log a new complaint if the hamstring hurts again.")
    if to_phase == injury.phase:
        raise PhaseChangeError(f"The injury is already in {injury.get_phase_display().lower()}.")
    reason = reason.strip()
    gaps = pathway.missing(phase_criteria(injury, to_phase))
    hard = [c for c in gaps if not c.waivable]
    if hard:
        raise PhaseChangeError(
            "This was an urgent case: record the doctor's review before the athlete leaves protect."
        )
    if gaps:
        words = "; ".join(c.label for c in gaps)
        if not override:
            raise PhaseChangeError(f"Not met yet: {words}. Tick them when they hold, or move on with a written reason.")
        if not reason:
            raise PhaseChangeError(f"Write why you are moving on without: {words}.")
    _move_phase(injury, to_phase, changed_by, reason=reason, overridden=bool(gaps))
    injury.save()
    reminders.schedule_injury(injury)  # clearing cancels the return reminders
    announce(Event.PHASE_CHANGED, injury.athlete_id, entered_phase=to_phase)
    return injury


@transaction.atomic
def doctor_review_record(*, injury: Injury, reviewer: str, reviewed_on: date, note: str, recorded_by) -> Injury:
    """A doctor has seen the athlete: who, when and what they said; an urgent case may now
    leave protect by its criteria."""
    lock_athletes(injury.athlete_id)
    injury = Injury.objects.select_for_update().get(pk=injury.pk)
    if not injury.is_open:
        raise InjuryError("This injury is cleared.")
    if reviewed_on > timezone.localdate():
        raise InjuryError("The review date cannot be in the future.")
    if reviewed_on < injury.onset_date:
        raise InjuryError("The review date cannot be before the injury began.")
    injury.doctor_reviewed_on = reviewed_on
    injury.doctor_reviewer = reviewer.strip()
    injury.doctor_review_note = note.strip()
    injury.doctor_review_recorded_by = recorded_by
    injury.doctor_status = Injury.DoctorStatus.SEEN
    injury.save()
    announce(Event.DOCTOR_REVIEWED, injury.athlete_id)
    return injury
