"""What the coach's own pages read across the apps: the home page and the athlete page.

They gather the apps' own selectors (athletes, injuries, programmes, monitoring) and the phone's kept answers,
which only the project may import together (docs/architecture.md#layers).
"""

from collections import Counter
from datetime import date

from django.db.models import Max, Min

from athletes import selectors as athletes
from athletes.models import Athlete
from injuries import selectors as injuries
from monitoring import measures as monitoring_measures
from monitoring import selectors as monitoring
from phone.models import ClientWrite
from programmes import gating as programme_gating
from programmes import progression
from programmes import selectors as programmes
from programmes import services as programme_services
from programmes.models import Assignment, ScheduledSession

# The board's statuses (injuries/selectors.py), in the order the home page counts them.
AVAILABILITY_ORDER = (injuries.AVAILABLE, injuries.MODIFIED, injuries.UNAVAILABLE)


def availability(*, user) -> dict:
    """How many of the user's athletes on the roster are available, training modified or
    unavailable, by the board's own rule: for all their teams and for each team.

    One query whatever the squad size: the athletes with their open injury or episode
    (``board_record``, a subquery).
    """
    squad = injuries.with_board_record(Athlete.objects.for_user(user).active().only("pk", "team_id"))
    total, by_team = Counter(), {}
    for athlete in squad:
        status, _, _ = injuries.record_status(athlete.board_record, athlete.board_report)
        total[status] += 1
        by_team.setdefault(athlete.team_id, Counter())[status] += 1
    return {"total": _counts(total), "by_team": {team: _counts(counts) for team, counts in by_team.items()}}


def _counts(counter: Counter) -> list[dict]:
    """[{status, label, count}] in the board's order, every status named even at 0."""
    return [
        {"status": status, "label": injuries.STATUS_LABELS[status], "count": counter[status]}
        for status in AVAILABILITY_ORDER
    ]


def coach_home(*, user) -> dict:
    """The coach's teams with their roster sizes and availability, the athletes' reports waiting
    (urgent ones counted apart) and the open pain alerts."""
    waiting = injuries.complaints_waiting(user=user)
    summary = availability(user=user)
    teams = list(athletes.team_list(user=user))
    for team in teams:
        team.availability = summary["by_team"].get(team.pk, _counts(Counter()))
    return {
        "teams": teams,
        "availability": summary["total"],
        "waiting": waiting["waiting"],
        "urgent_waiting": waiting["urgent"],
        "alerts": programmes.alerts_open(user=user),
    }


# --- The athlete page ---------------------------------------------------------------------------------

# What each training phase lets the athlete do, as the coach reads it (programmes/progression.py,
# PHASE_ALLOWANCES; docs/clinical-rules.md#phase-gating).
PHASE_MEANING = {
    progression.TrainingPhase.PROTECT: "gentle holds only",
    progression.TrainingPhase.REHAB: "strength work back",
    progression.TrainingPhase.RETURN_TO_TRAINING: "every exercise, running included",
    progression.TrainingPhase.CLEARED: "full strength work",
    progression.TrainingPhase.PREVENTION: "no open injury, full strength work",
}


WEEKDAYS = dict(enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]))


def training(*, athlete: Athlete, today: date) -> dict:
    """The athlete's current programme(s), the phase their sessions follow, and the next session
    still to do. Six queries: the assignments, the next session, and the gating rule's four."""
    assignments = list(
        Assignment.objects.filter(athlete=athlete)
        .select_related("template")
        .annotate(first_session=Min("sessions__date"), last_session=Max("sessions__date"))
        .order_by("-start_date", "-id")[:10]
    )
    for assignment in assignments:
        assignment.weekday_words = ", ".join(WEEKDAYS[day] for day in sorted(assignment.weekdays) if day in WEEKDAYS)
    current = [a for a in assignments if a.last_session and a.last_session >= today]
    next_session = (
        ScheduledSession.objects.filter(athlete=athlete, date__gte=today, completed_at__isnull=True)
        .order_by("date", "id")
        .only("date", "title", "week", "is_recovery")
        .first()
    )
    gating = programme_services.gate_for(athlete)
    nordic = gating.ceiling(progression.Family.NORDIC.value) is not None
    return {
        "current_programmes": list(reversed(current)),  # the one that started first, first
        "last_programme": assignments[0] if assignments and not current else None,
        "next_session": next_session,
        "next_session_is_today": next_session is not None and next_session.date == today,
        "training_phase": progression.PHASE_LABELS[gating.phase].capitalize(),
        "training_phase_meaning": PHASE_MEANING[gating.phase],
        "nordic_allowed": nordic,
        "training_hold": gating.hold,
        # A report from the athlete waiting for the coach already sets their sessions
        # (docs/clinical-rules.md#phase-gating): "holds" (gentle holds only) or "lighter" (no step up).
        "report_hold": _report_hold(gating.reasons),
    }


def _report_hold(reasons) -> str:
    if {programme_gating.REASON_URGENT_REPORT, programme_gating.REASON_REPORT_STRAIN} & set(reasons):
        return "holds"
    return "lighter" if programme_gating.REASON_REPORT_MINOR in reasons else ""


# How many kept phone answers the athlete page lists, newest first.
KEPT_ANSWERS_SHOWN = 10


FEELING_WORDS = {"better": "better than the day before", "same": "the same as the day before",
                 "worse": "worse than the day before"}


def _pain_words(pain, sharp=None) -> str:
    return f"{pain} of 10{', sharp' if sharp else ''}"


def phone_answers_kept(*, athlete: Athlete) -> list[dict]:
    """The pain answers the athlete's phone sent that their session could no longer take (finished
    elsewhere, moved or changed by the coach): kept on `phone.ClientWrite`, never applied to the
    session, so the coach reads them here beside it (docs/architecture.md#the-phone-offline).
    One query, whatever the number."""
    rows = (
        ClientWrite.objects.filter(session__athlete=athlete, outcome=ClientWrite.Outcome.KEPT)
        .select_related("session")
        .order_by("-created_at", "-id")[:KEPT_ANSWERS_SHOWN]
    )
    kept = []
    for row in rows:
        if row.kind == ClientWrite.Kind.MORNING:
            answer = f"the next morning {FEELING_WORDS.get(row.feeling, 'no change given')}, pain {_pain_words(row.morning_pain)}"
        else:
            answer = f"worst pain {_pain_words(row.worst_pain, row.sharp_pain)}"
        kept.append({
            "session": row.session,
            "what": row.get_kind_display(),
            "answer": answer,
            "received_at": row.created_at,
            # What the phone showed the athlete, word for word: why the session could not take it.
            "reason": row.message,
        })
    return kept


def load_and_risk(*, user, athlete: Athlete, today: date, in_window: bool) -> dict:
    """The athlete page's short view of monitoring (docs/load-and-risk.md#risk-profile): the risk
    checklist's flagged items, how many were never recorded, and the recurrence watch's flags
    when the athlete is within the window after a return. ``in_window`` comes from the injury
    history (any return, a wider rule than the watch's strains), so an athlete long back costs
    no watch queries."""
    overview = monitoring.athlete_overview(user=user, athlete_id=athlete.pk, today=today, exposure=False)
    items = overview["risk"]["items"] if overview else ()
    return {
        "risk_flagged": [item for item in items if item.status == monitoring_measures.Status.FLAG],
        "risk_not_recorded": sum(item.status == monitoring_measures.Status.UNKNOWN for item in items),
        "risk_checked": bool(items),
        "watch": overview["watch"] if overview and in_window else None,
    }


def athlete_page(*, user, athlete: Athlete, today: date) -> dict:
    """One athlete for their coach: the profile, any invitation still open, their training (the
    programme, its phase, the next session, the pain answers from the phone that no session could
    take), their injuries with the history strip and the recurrence window after the latest
    return, and the risk checklist and recurrence watch in short."""
    history = injuries.injury_history(athlete=athlete, today=today)
    return {
        "athlete": athlete,
        "pending_invitation": athletes.invitation_pending(athlete=athlete),
        **training(athlete=athlete, today=today),
        "phone_answers_kept": phone_answers_kept(athlete=athlete),
        **history,
        **load_and_risk(user=user, athlete=athlete, today=today, in_window=history["recurrence_risk_until"] is not None),
    }
