"""What the coaches' injury pages read: the availability board, the triage inbox, the reports
waiting on the home page, an athlete's injury history, and every change to an injury.

Each takes the user (or an athlete already fetched through athletes/access.py) and returns rows
ready to render, in a fixed number of queries (docs/architecture.md#services-selectors-and-views).
"""

from datetime import date
from html import escape  # what Django's escape() does, without its check for lazy strings per call

from django.db.models import BooleanField, Count, ExpressionWrapper, F, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from athletes import links
from athletes.paging import CountedPaginator

from athletes.models import Athlete, Team, User

from . import pathway
from .display import CLASSIFICATION_LABELS, field_label, value_words
from .models import ClearanceCheck, Complaint, Episode, Injury, Phase
from .timeline import history_strip
from .triage import Referral

# --- The availability board ------------------------------------------------------------------------

BOARD_PAGE_SIZE = 100
# What a board row shows of the athlete (the rest of the row is annotated, the team's name too:
# no Team built per row): not their notes.
BOARD_COLUMNS = ["first_name", "last_name", "team_id", "archived_at"]
AVAILABLE, MODIFIED, UNAVAILABLE = "available", "modified", "unavailable"
STATUS_LABELS = {
    AVAILABLE: "Available",
    MODIFIED: "Modified training",
    UNAVAILABLE: "Unavailable",
}
TRAINING_LIGHTER = "Training lighter"  # an open minor episode (docs/clinical-rules.md#minor-episodes)
WAITING_FOR_DOCTOR = "Waiting for a doctor"  # an urgent case before its review (docs/clinical-rules.md#urgent-pathway)
# An athlete's own report waiting for a coach, whose gating it already sets (docs/clinical-rules.md#phase-gating).
REPORT_WAITING, URGENT_REPORT_WAITING = "Report waiting", "Urgent report waiting"
_RANK = {AVAILABLE: 0, MODIFIED: 1, UNAVAILABLE: 2}
RISK_BADGE = ' <span class="badge badge-warn">recurrence risk</span>'  # docs/clinical-rules.md#recurrence


def status_of(injury, *, in_episode: bool = False) -> tuple[str, str]:
    """(status, its words): an open injury decides; else an open minor episode trains lighter."""
    if injury is None:
        return (MODIFIED, TRAINING_LIGHTER) if in_episode else (AVAILABLE, STATUS_LABELS[AVAILABLE])
    return injury_status(injury.phase, waiting=injury.waiting_for_doctor)


def injury_status(phase: str, *, waiting: bool) -> tuple[str, str]:
    """``status_of`` an open injury in that phase, waiting for its doctor's review or not."""
    if waiting:
        return UNAVAILABLE, WAITING_FOR_DOCTOR
    status = MODIFIED if phase == Phase.RETURN_TO_TRAINING else UNAVAILABLE
    return status, STATUS_LABELS[status]


def with_board_record(athletes):
    """Each athlete with ``board_record``: the latest open injury's id, classification, phase and
    whether it waits for a doctor, else the latest open minor episode's id, else null; in words by
    `record_status`. One costly expression (two subqueries in a COALESCE, the episode's run only
    without an open injury), served by the partial indexes of open injuries and open episodes
    (``injury_speed_open_idx``, ``episode_speed_open_idx``): the board, the API's board and the
    home page's counts read it, with no query of the injuries by id."""
    open_injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    open_episode = Episode.objects.filter(athlete=OuterRef("pk")).open().order_by("-started_on", "-id")
    waiting = ExpressionWrapper(Q(ever_urgent=True, doctor_reviewed_on__isnull=True), output_field=BooleanField())
    injury = JSONObject(injury="pk", classification="classification", phase="phase", waiting=waiting)
    return athletes.annotate(
        board_record=Coalesce(
            Subquery(open_injury.values(json=injury)[:1]),
            Subquery(open_episode.values(json=JSONObject(episode="pk"))[:1]),
            output_field=JSONField(),
        ),
        board_report=waiting_report(),
    )


def waiting_report() -> Subquery:
    """The athlete's report waiting for a coach that restricts the most, as JSON (report id,
    referral, classification), or null: none for almost every athlete, a probe of the partial
    index of pending reports (``complaint_pending_idx``). The choices' own values sort it: "urgent"
    after every other referral, a strain's "grade_…" after "cramp" and "doms" (a test pins it)."""
    reports = Complaint.objects.filter(athlete=OuterRef("pk"), status=Complaint.Status.PENDING).order_by(
        "-referral", "-classification", "-created_at", "-id",
    ).values(json=JSONObject(report="pk", referral="referral", classification="classification"))
    return Subquery(reports[:1], output_field=JSONField())


def report_status(report: dict) -> tuple[str, str]:
    """(status, its words) of a report waiting for a coach, as its gating holds the athlete
    (docs/clinical-rules.md#phase-gating): urgent or a possible strain, gentle holds only, so
    unavailable; a cramp or soreness, no step up, so training lighter."""
    urgent = report["referral"] == Referral.URGENT
    if report["classification"] in pathway.EPISODE_CLASSIFICATIONS and not urgent:
        return MODIFIED, REPORT_WAITING
    return UNAVAILABLE, URGENT_REPORT_WAITING if urgent else REPORT_WAITING


def restricts_more(status: str, than: str) -> bool:
    return _RANK[status] > _RANK[than]


def with_board_status(athletes):
    """The board's rows: each athlete with their expected return (the order: soonest first), their
    last return, and ``board_record`` (`with_board_record`).

    The expected return is read for every athlete (the sort needs it); PostgreSQL works
    ``board_record`` out after the sort, for the page's rows only.
    """
    open_injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    last_return = Injury.objects.filter(athlete=OuterRef("pk"), cleared_on__isnull=False).order_by("-cleared_on")
    return with_board_record(athletes).annotate(
        expected_return=Subquery(open_injury.values("expected_return_from")[:1]),
        last_return=Subquery(last_return.values("cleared_on")[:1]),
    ).order_by(F("expected_return").asc(nulls_last=True), "last_name", "first_name", "pk")


def record_status(record: dict | None, report: dict | None = None) -> tuple[str, str, str]:
    """(status, its words, the open injury's classification in words or "") from a
    ``board_record`` and ``board_report`` (`with_board_record`), by the rule of `status_of`; a
    report waiting for a coach counts as what its gating does (docs/clinical-rules.md#phase-gating):
    urgent or a possible strain, unavailable (gentle holds only); a cramp or soreness, training
    lighter. Whichever restricts more decides."""
    if record is None:
        status, status_label, classification = AVAILABLE, STATUS_LABELS[AVAILABLE], ""
    elif "injury" in record:
        status, status_label = injury_status(record["phase"], waiting=bool(record["waiting"]))
        classification = CLASSIFICATION_LABELS[record["classification"]]
    else:
        status, status_label, classification = MODIFIED, TRAINING_LIGHTER, ""
    if report:
        waiting = report_status(report)
        if restricts_more(waiting[0], than=status):
            status, status_label = waiting
    return status, status_label, classification


def _board_cells(record: dict | None, report: dict | None, urls) -> tuple[str, str, str, str, str]:
    """(status, its words, the injury's classification in words, the record's link and its words)
    of one board row, from its ``board_record`` and ``board_report`` (`with_board_record`)."""
    injury_url, episode_url, report_url = urls
    status, status_label, label = record_status(record, report)
    if record is None:
        if report:
            return status, status_label, label, report_url(report["report"]), "Report to review"
        return status, status_label, label, "", ""
    if "injury" in record:
        return status, status_label, label, injury_url(record["injury"]), label
    return status, status_label, label, episode_url(record["episode"]), "Minor episode"


def availability_board(*, user, team: str | None, page: str | None, today: date) -> dict:
    """The user's teams, the team shown (the first unless "all" is asked for; None for all),
    and one page of its athletes, soonest return first, each with their status in words."""
    teams = list(Team.objects.for_user(user))
    shown = next((candidate for candidate in teams if str(candidate.pk) == team), None)
    if shown is None and team != "all" and teams:
        shown = teams[0]
    athletes = Athlete.objects.for_user(user).active().only(*BOARD_COLUMNS).annotate(team_name=F("team__name"))
    if shown:
        athletes = athletes.filter(team=shown)
    page = CountedPaginator(with_board_status(athletes), BOARD_PAGE_SIZE).get_page(page)
    # Each row's cells as the template prints them (``row["cells_html"]``), built here once and
    # escaped: no {% url %}, filter or lookup per cell (docs/architecture.md#services-selectors-and-views).
    athlete_url = links.by_pk("athlete_detail")
    record_urls = (links.by_pk("injury_detail"), links.by_pk("episode_detail"), links.by_pk("complaint_confirm"))
    dates = {}  # date_format once per day shown
    rows = []
    for athlete in page.object_list:
        status, status_label, classification_label, record_url, record_label = _board_cells(athlete.board_record, athlete.board_report, record_urls)
        url, name = athlete_url(athlete.pk), f"{athlete.last_name}, {athlete.first_name}"
        expected = athlete.expected_return
        if expected and expected not in dates:
            dates[expected] = date_format(expected)
        expected_back = dates[expected] if expected else "—"
        at_risk = pathway.at_recurrence_risk(athlete.last_return, today)
        team_span = "" if shown else f' <span class="muted">{escape(athlete.team_name)}</span>'  # every team shown
        record = f'<a href="{escape(record_url)}">{escape(record_label)}</a>' if record_url else "—"
        report = athlete.board_report
        if report and status_label not in (REPORT_WAITING, URGENT_REPORT_WAITING):  # the injury's status shown
            record += f' <a class="badge badge-warn" href="{escape(record_urls[2](report["report"]))}">report to review</a>'
        cells = (
            f'<td><a href="{escape(url)}">{escape(name)}</a>{team_span}</td>\n'
            f'        <td><span class="status status-{status}">{escape(status_label)}</span>{RISK_BADGE if at_risk else ""}</td>\n'
            f"        <td>{record}</td>\n"
            f"        <td>{escape(expected_back)}</td>"
        )
        rows.append({
            "athlete": athlete,
            "pk": athlete.pk,
            "name": name,
            "url": url,
            "team_name": athlete.team_name,
            "status": status,
            "status_label": status_label,
            "classification_label": classification_label,
            "record_url": record_url,
            "record_label": record_label,
            "expected_back": expected_back,
            "recurrence_risk": at_risk,
            "cells_html": mark_safe(cells),  # every value above escaped
        })
    return {"teams": teams, "team": shown, "page": page, "rows": rows}


# --- The triage inbox and the coach's home ---------------------------------------------------------

INBOX_RECENT = 20


def record_url(record) -> str:
    """The page of what a complaint opened: its injury or its minor episode."""
    name = "episode_detail" if isinstance(record, Episode) else "injury_detail"
    return reverse(name, args=[record.pk])


def _with_record(complaint) -> Complaint:
    """A confirmed complaint with the page of what it opened and that record's current
    classification (a coach's override included), ready for the inbox."""
    record = complaint.record or complaint
    complaint.record_url = record_url(record) if record is not complaint else ""
    complaint.record_kind = "minor episode" if isinstance(record, Episode) else "injury"
    complaint.current_classification = record.classification
    complaint.current_label = record.get_classification_display()
    complaint.current_urgent = getattr(record, "referral", "") == Referral.URGENT
    return complaint


def inbox(*, user) -> dict:
    """The reports waiting for a coach (unconfirmed first, urgent on top), and the latest
    confirmed ones with what they opened."""
    complaints = Complaint.objects.for_user(user).select_related("athlete__team", "injury", "episode")
    pending = complaints.filter(status=Complaint.Status.PENDING).inbox_order()
    recent = complaints.filter(status=Complaint.Status.CONFIRMED).order_by("-confirmed_at")[:INBOX_RECENT]
    return {"pending": pending, "recent": [_with_record(complaint) for complaint in recent]}


def complaints_waiting(*, user) -> dict:
    """How many athletes' reports wait for the user's confirmation, and how many of them are urgent."""
    return Complaint.objects.for_user(user).filter(status=Complaint.Status.PENDING).aggregate(
        waiting=Count("pk"), urgent=Count("pk", filter=Q(referral=Referral.URGENT))
    )


# --- An athlete's injuries ---------------------------------------------------------------------------


def injury_history(*, athlete: Athlete, today: date) -> dict:
    """The athlete's injuries, their history strip, and the end of the recurrence window after
    the latest return while it is still open (docs/clinical-rules.md#recurrence)."""
    injuries = list(athlete.injuries.all())
    last_return = max((injury.cleared_on for injury in injuries if injury.cleared_on), default=None)
    at_risk = pathway.at_recurrence_risk(last_return, today)
    return {
        "injuries": injuries,
        "strip": history_strip(injuries, today),
        "recurrence_risk_until": pathway.recurrence_risk_until(last_return) if at_risk else None,
    }


# --- Every change to an injury -----------------------------------------------------------------------

HISTORY_ACTIONS = {"+": "opened", "~": "changed", "-": "deleted"}
# An injury belongs to one athlete and one complaint for good: those never change.
HISTORY_UNCHANGING = ("athlete", "complaint")
HISTORY_PEOPLE = tuple(field.name for field in Injury._meta.fields if field.related_model is User)
CHECK_SOURCES = {
    ClearanceCheck.Source.MEASURED: "from the measured tests",
    ClearanceCheck.Source.LOGGED: "from a logged pain-free sprint",
}


def _who(record) -> str:
    return str(record.history_user) if record.history_user else "the system"


def injury_changes(*, injury: Injury) -> dict:
    """Every recorded version of the injury, newest first, each with what changed in words
    (docs/architecture.md#audit), and every change to its checklist. Three queries at most."""
    records = list(injury.history.select_related("history_user"))
    pairs = list(zip(records, records[1:] + [None]))
    order = {field.name: index for index, field in enumerate(Injury._meta.fields)}  # the form's order
    diffs = [
        sorted(
            record.diff_against(older, excluded_fields=HISTORY_UNCHANGING).changes,
            key=lambda change: order.get(change.field, len(order)),
        )
        if older else []
        for record, older in pairs
    ]
    user_ids = {
        value
        for changes in diffs for change in changes if change.field in HISTORY_PEOPLE
        for value in (change.old, change.new) if value
    }
    people = User.objects.in_bulk(user_ids) if user_ids else {}
    versions = [
        {
            "when": record.history_date,
            "who": _who(record),
            "action": HISTORY_ACTIONS.get(record.history_type, "changed"),
            "reason": record.history_change_reason or "",
            "changes": [
                {
                    "field": field_label(Injury, change.field),
                    "old": value_words(Injury, change.field, change.old, people=people),
                    "new": value_words(Injury, change.field, change.new, people=people),
                }
                for change in changes
            ],
        }
        for (record, _older), changes in zip(pairs, diffs)
    ]
    checks = [
        {
            "when": record.history_date,
            "who": _who(record),
            "item": record.get_item_display(),
            "done": "ticked" if record.done else "unticked",
            "source": CHECK_SOURCES.get(record.source, ""),
            "reason": record.override_reason or record.history_change_reason or "",
        }
        for record in ClearanceCheck.history.filter(injury_id=injury.pk, history_type="~").select_related("history_user")
    ]
    return {"versions": versions, "checks": checks}
