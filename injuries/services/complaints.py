"""Complaints: a coach logs one, an athlete reports one, a coach confirms it; each opens what
it calls for (an injury or a minor episode) in the same transaction (docs/architecture.md#events)."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from athletes.locks import lock_athletes
from injuries import reminders

from .. import pathway
from .. import triage as t
from ..events import Event, announce
from ..models import RED_FLAG_LABELS, Complaint, Episode
from .errors import ComplaintAlreadyConfirmed, RedFlagRemovalNeedsReason
from .injuries import _has_red_flags, _onset, injury_open


def triaged_answers(answers: dict) -> dict:
    """The complaint's answers plus the triage result as it runs now, ready to store."""
    result = t.triage(t.Complaint.from_dict(answers))
    return {
        **answers,
        "classification": result.classification.value,
        "referral": result.referral.value,
        "triage_result": result.to_dict(),
    }


def record_open(*, complaint: Complaint):
    """Open what a confirmed complaint calls for: a minor episode (cramp or DOMS without a red
    flag) or an injury with its checklist, starting in protect."""
    # A new complaint replaces the athlete's open minor episodes (it is their re-triage).
    Episode.objects.filter(athlete_id=complaint.athlete_id, ended_on__isnull=True).update(
        ended_on=timezone.localdate(), ending=Episode.Ending.RETRIAGED
    )
    if pathway.is_minor_episode(complaint.classification, _has_red_flags(complaint)):
        started = _onset(complaint)
        today = timezone.localdate()
        episode = Episode.objects.create(
            athlete=complaint.athlete, complaint=complaint, classification=complaint.classification,
            side=complaint.side, started_on=min(started, today),
            ends_on=max(pathway.episode_end(started, complaint.classification), today),
        )
        announce(Event.COMPLAINT_CONFIRMED, complaint.athlete_id)
        return episode
    return injury_open(complaint=complaint)


@transaction.atomic
def complaint_log(*, athlete, logged_by, answers: dict):
    """A coach records a complaint: triage it, keep the result, open the injury or episode."""
    lock_athletes(athlete.pk)
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
    return record_open(complaint=complaint)


@transaction.atomic
def complaint_report(*, athlete, reported_by, answers: dict) -> Complaint:
    """An athlete reports from their phone; it waits in the coaches' inbox.

    The triage of the athlete's own answers is stored twice: as the complaint's provisional
    result (urgent reports sort to the top of the inbox) and as the athlete's original answers,
    kept whatever the coach confirms. An urgent report holds the athlete's loaded work at once.
    """
    lock_athletes(athlete.pk)
    triaged = triaged_answers(answers)
    complaint = Complaint.objects.create(
        athlete=athlete,
        reported_by=reported_by,
        source=Complaint.Source.ATHLETE,
        status=Complaint.Status.PENDING,
        athlete_answers={**{k: _jsonable(v) for k, v in answers.items()}, "triage_result": triaged["triage_result"]},
        **triaged,
    )
    if complaint.is_urgent:
        reminders.pain_alert(athlete, f"complaint:{complaint.pk}")
    announce(Event.REPORT_SENT, athlete.pk)
    return complaint


def _jsonable(value):
    return float(value) if isinstance(value, Decimal) else value


def removed_red_flags(complaint: Complaint, answers: dict) -> list[str]:
    """Red flags the athlete reported that the coach's answers no longer have."""
    if not complaint.athlete_answers:
        return []
    reported = set(complaint.athlete_answers["triage_result"].get("red_flags", []))
    confirmed = {flag.value for flag in t.triage(t.Complaint.from_dict(answers)).red_flags}
    return [RED_FLAG_LABELS[flag] for flag in sorted(reported - confirmed)]


@transaction.atomic
def complaint_confirm(*, complaint: Complaint, confirmed_by, answers: dict, reason: str = ""):
    """A coach confirms (or corrects) an athlete's answers; the triage runs on those.

    The athlete's own answers stay beside the confirmed ones, and a red flag the athlete
    reported can only be removed with a written reason (docs/clinical-rules.md#answers-are-asked).
    """
    lock_athletes(complaint.athlete_id)
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status == Complaint.Status.CONFIRMED:
        raise ComplaintAlreadyConfirmed
    removed = removed_red_flags(locked, answers)
    reason = reason.strip()
    if removed and not reason:
        raise RedFlagRemovalNeedsReason(removed)
    for name, value in triaged_answers(answers).items():
        setattr(locked, name, value)
    locked.status = Complaint.Status.CONFIRMED
    locked.confirmed_by = confirmed_by
    locked.confirmed_at = timezone.now()
    locked.confirm_reason = reason if removed else ""
    locked._change_reason = "Confirmed by a coach"
    locked.save()
    return record_open(complaint=locked)
