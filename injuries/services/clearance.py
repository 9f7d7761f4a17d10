"""The return checklist: a coach's tick, a logged pain-free sprint's tick, and the measured items
that follow the strength and range tests (docs/clinical-rules.md#phases-and-criteria).

injuries does not hold the measurements: it asks the providers registered in
injuries/evidence.py what they say about an item (docs/architecture.md#layers).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from athletes.locks import lock_athletes

from ..events import Event, announce
from ..evidence import evidence_for
from ..models import ChecklistItem, ClearanceCheck, Injury, Phase
from .errors import ChecklistOverrideNeedsReason

# The items measured tests may decide (testing.TestType's checklist items).
MEASURED_ITEMS = (ChecklistItem.STRENGTH, ChecklistItem.FLEXIBILITY, ChecklistItem.SPRINT)


@transaction.atomic
def clearance_check_set(*, injury: Injury, item: str, done: bool, changed_by, reason: str = "") -> ClearanceCheck:
    """A coach ticks or unticks an item. On the measured items (strength, flexibility), going
    against what the tests say needs a reason and stays until the coach changes it; agreeing
    with them hands the item back to the measurements."""
    lock_athletes(injury.athlete_id)
    check = ClearanceCheck.objects.select_for_update().get(injury=injury, item=item)
    check.source, check.override_reason = ClearanceCheck.Source.MANUAL, ""
    evidence = evidence_for(injury).get(item) if item in MEASURED_ITEMS else None
    if evidence is not None and evidence.met is not None:
        if done == evidence.met:
            check.source = ClearanceCheck.Source.MEASURED
        elif not reason.strip():
            raise ChecklistOverrideNeedsReason(evidence, done)
        else:
            check.override_reason = reason.strip()
    check.done = done
    check.changed_by = changed_by
    check.changed_at = timezone.now()
    check.save()
    announce(Event.CHECKLIST_CHANGED, injury.athlete_id)  # Nordic work may start (or stop)
    return check


@transaction.atomic
def clearance_tick_from_sprint(*, athlete_id: int, on: date) -> int:
    """A logged maximal sprint at pain 0 ticks "sprints at full speed without pain" on the
    athlete's open injuries in return to training (docs/clinical-rules.md#running)."""
    lock_athletes(athlete_id)
    checks = ClearanceCheck.objects.select_for_update().filter(
        injury__athlete_id=athlete_id, injury__phase=Phase.RETURN_TO_TRAINING,
        item=ChecklistItem.SPRINT, done=False,
    )
    ticked = 0
    for check in checks:
        check.done, check.source = True, ClearanceCheck.Source.LOGGED
        check.changed_by, check.changed_at = None, timezone.now()
        check._change_reason = f"Maximal sprint logged without pain on {on:%-d %b %Y}"
        check.save()
        ticked += 1
    if ticked:
        announce(Event.CHECKLIST_CHANGED, athlete_id)
    return ticked


@transaction.atomic
def clearance_apply_evidence(*, injury: Injury, evidence: dict, changed_by) -> None:
    """Set the measured items of one open injury from what the measurements say about them
    (``evidence``, by item: injuries/evidence.py), except where a coach overrode them.

    The testing app calls it when results change, and announces the change once per athlete in
    the same transaction (docs/architecture.md#events)."""
    lock_athletes(injury.athlete_id)
    checks = ClearanceCheck.objects.select_for_update().filter(injury=injury, item__in=list(evidence))
    for check in checks:
        if check.override_reason or check.source == ClearanceCheck.Source.LOGGED:
            continue  # the coach said why they know better, or the athlete sprinted pain-free
        verdict = evidence[check.item].met
        if verdict is None:
            if check.source != ClearanceCheck.Source.MEASURED:
                continue  # nothing measured: a coach's own tick stands
            verdict = False  # the results that ticked it have been deleted
        if check.done == verdict and check.source == ClearanceCheck.Source.MEASURED:
            continue
        check.done, check.source = verdict, ClearanceCheck.Source.MEASURED
        check.changed_by, check.changed_at = changed_by, timezone.now()
        check.save()
