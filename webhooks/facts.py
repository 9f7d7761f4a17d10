"""What an injuries event means for webhooks: the facts to announce, read from the athlete's rows.

``injuries.events.athlete_changed`` says only which athlete changed and how (docs/architecture.md#events);
the facts are read from the complaint, injury, phase change and test rows it leaves. Each fact has a
stable key, so the same fact seen again (a report, then its confirmation; the same test judged twice)
is one event. The data carries ids, codes and labels, never notes.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from injuries import selectors as board
from injuries import triage as t
from injuries.events import Event
from injuries.models import Complaint, Episode, Injury, Phase, PhaseChange
from injuries.models.complaints import CLASSIFICATION_CHOICES, REFERRAL_CHOICES
from testing import measures
from testing import services as tests
from testing.models import TestResult

from .models import AvailabilityState, EventType

# Rows written this long before the event count as its own (an import writes many results in one go).
RECENT = timedelta(minutes=10)
CLASSIFICATIONS, REFERRALS = dict(CLASSIFICATION_CHOICES), dict(REFERRAL_CHOICES)
COMPLAINT_EVENTS = {Event.COMPLAINT_LOGGED, Event.REPORT_SENT, Event.COMPLAINT_CONFIRMED, Event.OVERRIDDEN}


@dataclass(frozen=True)
class Fact:
    type: str
    key: str
    data: dict


def coded(code: str, label: str) -> dict:
    return {"code": code, "label": label}


def _phase(code: str) -> dict | None:
    return coded(code, Phase(code).label) if code else None


def _injury(injury: Injury) -> dict:
    return {
        "id": injury.pk,
        "phase": _phase(injury.phase),
        "classification": coded(injury.classification, CLASSIFICATIONS.get(injury.classification, "")),
        "referral": coded(injury.referral, REFERRALS.get(injury.referral, "")),
        "side": coded(injury.side, injury.get_side_display()),
        "onset_date": injury.onset_date.isoformat(),
        "expected_return_from": injury.expected_return_from.isoformat(),
        "expected_return_to": injury.expected_return_to.isoformat(),
        "cleared_on": injury.cleared_on.isoformat() if injury.cleared_on else None,
    }


def urgent_complaints(athlete, now) -> list[Fact]:
    recent = now - RECENT
    complaints = Complaint.objects.filter(athlete=athlete, referral=t.Referral.URGENT).filter(
        Q(created_at__gte=recent) | Q(confirmed_at__gte=recent)
    ).order_by("pk")
    return [
        Fact(EventType.COMPLAINT_URGENT, f"complaint:{complaint.pk}:urgent", {"complaint": {
            "id": complaint.pk,
            "status": coded(complaint.status, complaint.get_status_display()),
            "source": coded(complaint.source, complaint.get_source_display()),
            "classification": coded(complaint.classification, CLASSIFICATIONS.get(complaint.classification, "")),
            "referral": coded(complaint.referral, REFERRALS.get(complaint.referral, "")),
        }})
        for complaint in complaints
    ]


def injury_opened(athlete) -> list[Fact]:
    injury = Injury.objects.filter(athlete=athlete).order_by("-pk").first()
    if injury is None or injury.phase != Phase.PROTECT:
        return []
    return [Fact(EventType.INJURY_OPENED, f"injury:{injury.pk}:opened", {"injury": _injury(injury)})]


def phase_changed(athlete) -> list[Fact]:
    change = PhaseChange.objects.filter(injury__athlete=athlete).select_related("injury").order_by("-pk").first()
    if change is None or not change.from_phase:
        return []
    data = {
        "injury": _injury(change.injury),
        "phase_change": {
            "id": change.pk, "from_phase": _phase(change.from_phase), "to_phase": _phase(change.to_phase),
            "on": change.on.isoformat(), "checklist_overridden": change.checklist_overridden,
        },
    }
    facts = [Fact(EventType.INJURY_PHASE_CHANGED, f"phase_change:{change.pk}", data)]
    if change.to_phase == Phase.CLEARED:
        facts.append(Fact(EventType.INJURY_CLEARED, f"injury:{change.injury_id}:cleared", data))
    return facts


def availability_changed(athlete) -> list[Fact]:
    """The board's rule (injuries/selectors.py ``status_of``) against the status last announced;
    an athlete never announced was available."""
    injury = Injury.objects.filter(athlete=athlete).open().order_by("-onset_date", "-pk").first()
    in_episode = Episode.objects.filter(athlete=athlete).open().exists()
    status, label = board.status_of(injury, in_episode=in_episode)
    state = AvailabilityState.objects.select_for_update().filter(athlete=athlete).first()
    previous = state.status if state else board.AVAILABLE
    if state is None:
        state = AvailabilityState(athlete=athlete, status=previous)
    if status == previous:
        if state.pk is None:
            state.save()
        return []
    state.status, state.version = status, state.version + 1
    state.save()
    return [Fact(EventType.AVAILABILITY_CHANGED, f"availability:{athlete.pk}:{state.version}", {
        "availability": coded(status, label),
        "previous": coded(previous, board.STATUS_LABELS[previous]),
        "injury_id": injury.pk if injury else None,
    })]


def _baseline(result: TestResult, injury: Injury | None) -> TestResult | None:
    if injury is None:
        return None
    return TestResult.objects.filter(
        athlete_id=result.athlete_id, test_type_id=result.test_type_id, tested_on__lt=injury.onset_date
    ).order_by("-tested_on", "-pk").first()


def flagged_results(athlete, now) -> list[Fact]:
    """Results just recorded that fail their test's limits: asymmetry, or the loss against the
    pre-injury baseline while an injury is open (testing/measures.py ``assess``)."""
    results = TestResult.objects.filter(athlete=athlete, created_at__gte=now - RECENT).select_related("test_type")
    injury = Injury.objects.filter(athlete=athlete).open().order_by("-onset_date", "-pk").first()
    facts = []
    for result in results.order_by("pk")[:50]:
        baseline = _baseline(result, injury)
        legs = tests.injured_legs(injury) if injury else measures.BOTH_LEGS
        try:
            verdict = measures.assess(
                tests.reading_of(result), tests.reading_of(baseline) if baseline else None,
                tests.rule_for(result.test_type), legs,
            )
        except measures.MeasureError:
            continue
        if verdict.asymmetry_ok is not False and verdict.baseline_ok is not False:
            continue
        test_type = result.test_type
        facts.append(Fact(EventType.TEST_RESULT_FLAGGED, f"test_result:{result.pk}:flagged", {"test_result": {
            "id": result.pk,
            "test": {"key": test_type.key, "name": test_type.name, "unit": test_type.unit},
            "tested_on": result.tested_on.isoformat(),
            "left": _number(result.left), "right": _number(result.right), "value": _number(result.value),
            "asymmetry_pct": _number(verdict.asymmetry_pct),
            "asymmetry_limit_pct": _number(test_type.asymmetry_threshold_pct) if test_type.bilateral else None,
            "asymmetry_ok": verdict.asymmetry_ok,
            "baseline_ok": verdict.baseline_ok,
            "baseline_limit_pct": _number(test_type.baseline_threshold_pct) if baseline else None,
        }}))
    return facts


def _number(value):
    return None if value is None else str(value)


def facts_for(event: str, athlete, entered_phase: str = "") -> list[Fact]:
    now = timezone.now()
    facts = []
    if event in COMPLAINT_EVENTS:
        facts += urgent_complaints(athlete, now)
    if event == Event.COMPLAINT_CONFIRMED and entered_phase == Phase.PROTECT:
        facts += injury_opened(athlete)
    if event == Event.PHASE_CHANGED:
        facts += phase_changed(athlete)
    if event == Event.TEST_RECORDED:
        facts += flagged_results(athlete, now)
    facts += availability_changed(athlete)
    return facts
