"""Writes that touch complaints, injuries, episodes and overrides, each in one transaction.

Every write that can change what an athlete may train announces it (injuries/events.py); the
programmes app re-applies its gating rule in the same transaction (docs/architecture.md#events).
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from athletes.locks import lock_athletes
from injuries import reminders

from . import measures as m
from . import pathway
from . import triage as t
from .events import Event, announce
from .models import (
    ChecklistItem,
    ClassificationOverride,
    ClearanceCheck,
    Complaint,
    Episode,
    Injury,
    Phase,
    PhaseChange,
    RecoveryDefault,
    TestResult,
    TestType,
)


class InjuryError(Exception):
    """A write the clinical rules refuse; the message says why, in words a coach can act on."""


class ComplaintAlreadyConfirmed(InjuryError):
    def __init__(self):
        super().__init__("This report was already confirmed.")


class RedFlagRemovalNeedsReason(InjuryError):
    """A coach confirmed an athlete's report without a red flag the athlete reported."""

    def __init__(self, flags: list[str]):
        self.flags = flags
        super().__init__(
            "The athlete reported " + "; ".join(flags).lower() + ". Write why you are removing it."
        )


def triaged_answers(answers: dict) -> dict:
    """The complaint's answers plus the triage result as it runs now, ready to store."""
    result = t.triage(t.Complaint.from_dict(answers))
    return {
        **answers,
        "classification": result.classification.value,
        "referral": result.referral.value,
        "triage_result": result.to_dict(),
    }


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
    from .models import RED_FLAG_LABELS

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


class PhaseChangeError(InjuryError):
    """A phase change the rules do not allow; the message says why."""


class PhaseChangedMeanwhile(PhaseChangeError):
    """The page was opened before someone else moved the injury."""


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


@transaction.atomic
def clearance_check_set(*, injury: Injury, item: str, done: bool, changed_by, reason: str = "") -> ClearanceCheck:
    """A coach ticks or unticks an item. On the measured items (strength, flexibility), going
    against what the tests say needs a reason and stays until the coach changes it; agreeing
    with them hands the item back to the measurements."""
    lock_athletes(injury.athlete_id)
    check = ClearanceCheck.objects.select_for_update().get(injury=injury, item=item)
    check.source, check.override_reason = ClearanceCheck.Source.MANUAL, ""
    evidence = clearance_evidence(injury).get(item) if item in MEASURED_ITEMS else None
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
        check._change_reason = f"Maximal sprint logged without pain on {on:%d %b %Y}"
        check.save()
        ticked += 1
    if ticked:
        announce(Event.CHECKLIST_CHANGED, athlete_id)
    return ticked


# --- Minor episodes (docs/clinical-rules.md#minor-episodes) -----------------------------------------


@transaction.atomic
def episode_end(*, episode: Episode, ending: str, on: date | None = None) -> Episode:
    lock_athletes(episode.athlete_id)
    episode = Episode.objects.select_for_update().get(pk=episode.pk)
    if episode.ended_on:
        return episode
    episode.ended_on = on or timezone.localdate()
    episode.ending = ending
    episode.save(update_fields=["ended_on", "ending"])
    announce(Event.EPISODE_ENDED, episode.athlete_id)
    return episode


@transaction.atomic
def episode_ask_retriage(*, episode: Episode, on: date) -> bool:
    """Pain persisted past the episode's window: the coaches are asked, once, to re-triage."""
    lock_athletes(episode.athlete_id)
    updated = Episode.objects.filter(pk=episode.pk, ended_on__isnull=True, retriage_asked_on__isnull=True).update(
        retriage_asked_on=on
    )
    if updated:
        reminders.pain_alert(episode.athlete, f"episode:{episode.pk}:persisting")
    return bool(updated)


# --- Strength and range tests (issue 9) ----------------------------------------------------------

MEASURED_ITEMS = (ChecklistItem.STRENGTH, ChecklistItem.FLEXIBILITY, ChecklistItem.SPRINT)
LARGEST_VALUE = Decimal("999999.99")  # TestResult's columns: 8 digits, 2 after the point
CENTS = Decimal("0.01")


class TestResultError(InjuryError):
    """A result that cannot be saved; the message says why."""

    __test__ = False


class ChecklistOverrideNeedsReason(InjuryError):
    """A coach set a measured item against the measured tests without saying why."""

    def __init__(self, evidence, done: bool):
        self.evidence, self.done = evidence, done
        says = "met" if evidence.met else "not met yet"
        verb = "tick" if done else "untick"
        super().__init__(f"The measured tests say this is {says}. Write why you {verb} it anyway.")


def rule_for(test_type: TestType) -> m.Rule:
    return m.Rule(
        bilateral=test_type.bilateral,
        higher_is_better=test_type.higher_is_better,
        asymmetry_threshold_pct=test_type.asymmetry_threshold_pct,
        baseline_threshold_pct=test_type.baseline_threshold_pct,
    )


def reading_of(result: TestResult) -> m.Reading:
    return m.Reading(result.left, result.right, result.value)


def injured_legs(injury: Injury) -> frozenset[m.Leg]:
    return m.BOTH_LEGS if injury.side == t.Side.BOTH else frozenset({m.Leg(injury.side)})


@dataclass(frozen=True)
class TestEvidence:
    """One test's say on a checklist item: its latest result since the injury and its baseline."""

    __test__ = False

    test_type: TestType
    latest: TestResult | None
    baseline: TestResult | None
    assessment: m.Assessment


@dataclass(frozen=True)
class ItemEvidence:
    item: str
    tests: tuple[TestEvidence, ...]
    met: bool | None  # None: nothing measured decides it

    @property
    def measured(self) -> tuple[TestEvidence, ...]:
        return tuple(test for test in self.tests if test.latest is not None)


def clearance_evidence(injury: Injury) -> dict[str, ItemEvidence]:
    """What the measured tests say about an injury's strength and flexibility items.

    The baseline is a test's last result before the day of onset; the evidence of recovery its
    latest result after it (up to the day of clearing, once cleared). A result on the day of
    onset is neither: nobody can tell whether it came before or after the injury. Two queries.
    """
    test_types = list(TestType.objects.exclude(checklist_item=""))
    if not test_types:
        return {}
    results = TestResult.objects.filter(athlete_id=injury.athlete_id, test_type__in=test_types).exclude(
        tested_on=injury.onset_date
    )
    if injury.cleared_on:
        results = results.filter(tested_on__lte=injury.cleared_on)
    by_type = defaultdict(list)
    for result in results.order_by("tested_on", "id"):
        by_type[result.test_type_id].append(result)
    legs = injured_legs(injury)
    tests_by_item = defaultdict(list)
    for test_type in test_types:
        before = [r for r in by_type[test_type.pk] if r.tested_on < injury.onset_date]
        after = [r for r in by_type[test_type.pk] if r.tested_on > injury.onset_date]
        latest, baseline = (after[-1] if after else None), (before[-1] if before else None)
        assessment = m.assess(
            reading_of(latest) if latest else None,
            reading_of(baseline) if baseline else None,
            rule_for(test_type),
            legs,
        )
        tests_by_item[test_type.checklist_item].append(TestEvidence(test_type, latest, baseline, assessment))
    return {
        item: ItemEvidence(item, tuple(tests), m.checklist_verdict(test.assessment for test in tests))
        for item, tests in tests_by_item.items()
    }


def _apply_measures(injury: Injury, changed_by) -> None:
    """Set the measured items of one open injury from its tests, except a coach's override."""
    evidence = clearance_evidence(injury)
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


@transaction.atomic
def clearance_apply_measures(*, athlete_ids, changed_by) -> None:
    """Re-judge the strength and flexibility items of these athletes' open injuries."""
    athlete_ids = sorted(set(athlete_ids))
    lock_athletes(*athlete_ids)
    for injury in Injury.objects.open().filter(athlete_id__in=athlete_ids).order_by("pk"):
        _apply_measures(injury, changed_by)
    for athlete_id in athlete_ids:
        announce(Event.TEST_RECORDED, athlete_id)


def test_type_reapply(*, test_type: TestType, changed_by) -> None:
    """After an admin tunes a test's thresholds or its checklist item."""
    athlete_ids = TestResult.objects.filter(test_type=test_type).values_list("athlete_id", flat=True).distinct()
    clearance_apply_measures(athlete_ids=athlete_ids, changed_by=changed_by)


def _to_amount(number, name: str) -> Decimal | None:
    if number is None or number == "":
        return None
    try:
        amount = Decimal(str(number).strip())
    except InvalidOperation:
        hint = " (write decimals with a point: 312.5)" if "," in str(number) else ""
        raise TestResultError(f"{name.capitalize()} “{number}” is not a number{hint}.") from None
    if not amount.is_finite() or amount < 0:
        raise TestResultError(f"{name.capitalize()} must be a number of 0 or more.")
    # Compared before rounding too: 1e400 cannot be rounded to cents.
    if amount > LARGEST_VALUE or amount.quantize(CENTS, rounding=ROUND_HALF_UP) > LARGEST_VALUE:
        raise TestResultError(f"{name.capitalize()} {number} is too large.")
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def test_result_values(test_type: TestType, *, left=None, right=None, value=None) -> dict:
    """The columns to store, checked against the test's shape (both legs or one value)."""
    values = {
        "left": _to_amount(left, "left"),
        "right": _to_amount(right, "right"),
        "value": _to_amount(value, "value"),
    }
    if test_type.bilateral:
        if values["left"] is None or values["right"] is None or values["value"] is not None:
            raise TestResultError(
                f"{test_type.name} is measured on each leg: fill in left and right, and leave value empty."
            )
    elif values["value"] is None or values["left"] is not None or values["right"] is not None:
        raise TestResultError(f"{test_type.name} has one value: fill in value, and leave left and right empty.")
    return values


@transaction.atomic
def test_result_record(
    *, athlete, test_type: TestType, tested_on: date, recorded_by, left=None, right=None, value=None, notes: str = ""
) -> TestResult:
    """Record one result and let it tick (or untick) the athlete's measured checklist items."""
    values = test_result_values(test_type, left=left, right=right, value=value)
    lock_athletes(athlete.pk)
    if tested_on > timezone.localdate():
        raise TestResultError("The test date is in the future.")
    clash = TestResultError(
        f"{athlete.full_name} already has a {test_type.name} result on {tested_on.day} {tested_on:%b %Y}. "
        "Delete it on the tests page first to record another."
    )
    if TestResult.objects.filter(athlete=athlete, test_type=test_type, tested_on=tested_on).exists():
        raise clash
    try:
        with transaction.atomic():
            result = TestResult.objects.create(
                athlete=athlete, test_type=test_type, tested_on=tested_on, notes=notes.strip(),
                recorded_by=recorded_by, **values,
            )
    except IntegrityError:  # recorded by someone else a moment ago
        raise clash from None
    clearance_apply_measures(athlete_ids=[athlete.pk], changed_by=recorded_by)
    return result


@transaction.atomic
def test_result_delete(*, result: TestResult, deleted_by) -> None:
    athlete_id = result.athlete_id
    lock_athletes(athlete_id)
    result.delete()
    clearance_apply_measures(athlete_ids=[athlete_id], changed_by=deleted_by)


# CSV import: one row per athlete, test and date (the page at teams/<id>/tests/import/ explains it).
IMPORT_COLUMNS = ("athlete", "test", "date", "left", "right", "value", "notes")
IMPORT_REQUIRED = ("athlete", "test", "date")
IMPORT_MAX_ROWS = 5000
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class ImportProblem:
    line: int
    message: str


@dataclass(frozen=True)
class ImportOutcome:
    imported: int = 0
    athletes: int = 0
    problems: tuple[ImportProblem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


class _ImportLookups:
    """The team's athletes and the test types, loaded once for the whole file."""

    def __init__(self, team):
        self.team = team
        self.athletes = defaultdict(list)
        for athlete in team.athletes.all():
            self.athletes[str(athlete.pk)].append(athlete)
            if athlete.email:
                self.athletes[athlete.email.casefold()].append(athlete)
            self.athletes[_norm(athlete.full_name)].append(athlete)
        self.test_types = {}
        for test_type in TestType.objects.all():
            self.test_types[test_type.key.casefold()] = test_type
            self.test_types[_norm(test_type.name)] = test_type
        self.test_keys = ", ".join(sorted({tt.key for tt in self.test_types.values()}))

    def athlete(self, text: str):
        if not text:
            raise TestResultError("The athlete is missing.")
        found = {a.pk: a for a in self.athletes.get(_norm(text), [])}
        if not found:
            raise TestResultError(
                f"No athlete “{text}” in {self.team.name}: use their email address, their number or their full name."
            )
        if len(found) > 1:
            raise TestResultError(f"{len(found)} athletes in {self.team.name} match “{text}”: use the email address or number.")
        return next(iter(found.values()))

    def test_type(self, text: str) -> TestType:
        if not text:
            raise TestResultError("The test is missing.")
        try:
            return self.test_types[_norm(text)]
        except KeyError:
            raise TestResultError(f"Unknown test “{text}”: use one of {self.test_keys}.") from None


def _import_date(text: str) -> date:
    try:
        if not ISO_DATE.match(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise TestResultError(f"The date “{text}” is not a date written as YYYY-MM-DD, e.g. 2026-03-31.") from None
    if day > timezone.localdate():
        raise TestResultError(f"The date {text} is in the future.")
    return day


def _read_rows(text: str):
    """(line number, {column: cell}) for each non-blank row, or ImportProblems for the header."""
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header = [_norm(cell) for cell in next(reader, [])]
    problems = []
    unknown = [name for name in header if name not in IMPORT_COLUMNS]
    missing = [name for name in IMPORT_REQUIRED if name not in header]
    if not any(header):
        problems.append(ImportProblem(1, "The file is empty: the first line must name the columns."))
    else:
        if unknown:
            problems.append(ImportProblem(1, f"Unknown column(s) {', '.join(unknown)}: the columns are {', '.join(IMPORT_COLUMNS)}."))
        if missing:
            problems.append(ImportProblem(1, f"Missing column(s): {', '.join(missing)}."))
        if len(set(header)) != len(header):
            problems.append(ImportProblem(1, "A column is named twice."))
    if problems:
        return [], problems
    rows = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.append(ImportProblem(reader.line_num, "This row has more cells than the header has columns."))
                continue
            cells = [cell.strip() for cell in cells] + [""] * (len(header) - len(cells))
            rows.append((reader.line_num, dict(zip(header, cells))))
    except csv.Error as error:
        problems.append(ImportProblem(reader.line_num + 1, f"This line cannot be read as CSV ({error})."))
    return rows, problems


def _import_row(row: dict, lookups: _ImportLookups):
    """One row as an unsaved TestResult, or the list of its problems."""
    problems, parsed = [], {}
    for name, read in (("athlete", lookups.athlete), ("test_type", lookups.test_type), ("tested_on", _import_date)):
        column = {"test_type": "test", "tested_on": "date"}.get(name, name)
        try:
            parsed[name] = read(row.get(column, ""))
        except TestResultError as error:
            problems.append(str(error))
    if "test_type" in parsed:
        try:
            parsed.update(test_result_values(parsed["test_type"], **{k: row.get(k) for k in ("left", "right", "value")}))
        except TestResultError as error:
            problems.append(str(error))
    notes = row.get("notes", "")
    if len(notes) > 2000:
        problems.append("The notes are longer than 2000 characters.")
    if problems:
        return None, problems
    return TestResult(notes=notes, **parsed), []


def _parse_import(team, text: str):
    rows, problems = _read_rows(text)
    if problems:
        return [], problems
    if not rows:
        return [], [ImportProblem(1, "The file has no results below its header.")]
    if len(rows) > IMPORT_MAX_ROWS:
        return [], [ImportProblem(1, f"The file has {len(rows)} rows: import at most {IMPORT_MAX_ROWS} at a time.")]
    lookups = _ImportLookups(team)
    results, seen = [], {}
    for line, row in rows:
        result, row_problems = _import_row(row, lookups)
        problems += [ImportProblem(line, message) for message in row_problems]
        if result is None:
            continue
        key = (result.athlete.pk, result.test_type.pk, result.tested_on)
        if key in seen:
            problems.append(ImportProblem(line, f"Repeats line {seen[key]}: the same athlete, test and date."))
            continue
        seen[key] = line
        results.append((line, result))
    recorded = set(
        TestResult.objects.filter(
            athlete__team=team, tested_on__in={result.tested_on for _, result in results}
        ).values_list("athlete_id", "test_type_id", "tested_on")
    )
    for line, result in results:
        if (result.athlete.pk, result.test_type.pk, result.tested_on) in recorded:
            problems.append(ImportProblem(
                line,
                f"Already recorded: {result.athlete.full_name} has a {result.test_type.name} result on {result.tested_on}.",
            ))
    problems.sort(key=lambda problem: problem.line)
    return [result for _, result in results], problems


def test_results_import_csv(*, team, text: str, recorded_by) -> ImportOutcome:
    """Import a team's results from CSV text: all of it, or none of it.

    Every row is checked first (athlete in this team, known test, ISO date not in the future,
    the test's shape of values, no repeats, nothing already recorded) and every problem is
    reported with its line number; a single problem imports nothing. The rows are then written
    in one transaction, and the athletes' measured checklist items follow.
    """
    results, problems = _parse_import(team, text)
    if problems:
        return ImportOutcome(problems=tuple(problems))
    for result in results:
        result.recorded_by = recorded_by
    try:
        with transaction.atomic():
            TestResult.objects.bulk_create(results)
            athlete_ids = {result.athlete.pk for result in results}
            clearance_apply_measures(athlete_ids=athlete_ids, changed_by=recorded_by)
    except IntegrityError:
        message = "Someone recorded some of these results while the file was being imported. Nothing was imported: try again."
        return ImportOutcome(problems=(ImportProblem(1, message),))
    return ImportOutcome(imported=len(results), athletes=len(athlete_ids))


# Services whose names start with "test": pytest would collect them from a test module that
# imported them by name.
for _service in (test_result_values, test_result_record, test_result_delete, test_results_import_csv, test_type_reapply):
    _service.__test__ = False
