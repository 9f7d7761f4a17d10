"""Where every athlete stands: the availability board's one query."""

from datetime import timedelta

from django.db.models import F, OuterRef, Subquery

from .models import RECURRENCE_WINDOW_DAYS, Episode, Injury, Phase

AVAILABLE, MODIFIED, UNAVAILABLE = "available", "modified", "unavailable"
STATUS_LABELS = {
    AVAILABLE: "Available",
    MODIFIED: "Modified training",
    UNAVAILABLE: "Unavailable",
}
TRAINING_LIGHTER = "Training lighter"  # an open minor episode (docs/clinical-rules.md#minor-episodes)
WAITING_FOR_DOCTOR = "Waiting for a doctor"  # an urgent case before its review (docs/clinical-rules.md#urgent-pathway)


def with_availability(athletes):
    """Annotate each athlete with their open injury, open minor episode and last return,
    soonest return first.

    A fixed number of queries whatever the squad size: four correlated subqueries in the one
    query, served by the injuries' (athlete, phase) and (athlete, cleared_on) indexes and the
    episodes' athlete index. The injuries' own fields are read by id for the page only
    (`open_injuries`).
    """
    open_injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    open_episode = Episode.objects.filter(athlete=OuterRef("pk")).open().order_by("-started_on", "-id")
    last_return = Injury.objects.filter(athlete=OuterRef("pk"), cleared_on__isnull=False).order_by("-cleared_on")
    return athletes.annotate(
        injury_id=Subquery(open_injury.values("pk")[:1]),
        expected_return=Subquery(open_injury.values("expected_return_from")[:1]),
        episode_id=Subquery(open_episode.values("pk")[:1]),
        last_return=Subquery(last_return.values("cleared_on")[:1]),
    ).order_by(F("expected_return").asc(nulls_last=True), "last_name", "first_name", "pk")


def open_injuries(athletes) -> dict:
    """The open injuries of a page of annotated athletes, by id, in one query."""
    ids = [athlete.injury_id for athlete in athletes if athlete.injury_id]
    fields = ("phase", "classification", "ever_urgent", "doctor_reviewed_on")
    return Injury.objects.only(*fields).in_bulk(ids) if ids else {}


def status_of(injury, *, in_episode: bool = False) -> tuple[str, str]:
    """(status, its words): an open injury decides; else an open minor episode trains lighter."""
    if injury is None:
        return (MODIFIED, TRAINING_LIGHTER) if in_episode else (AVAILABLE, STATUS_LABELS[AVAILABLE])
    if injury.waiting_for_doctor:
        return UNAVAILABLE, WAITING_FOR_DOCTOR
    status = MODIFIED if injury.phase == Phase.RETURN_TO_TRAINING else UNAVAILABLE
    return status, STATUS_LABELS[status]


def recurrence_risk(last_return, today) -> bool:
    """Within two months of the last return, when a re-injury is most likely."""
    return last_return is not None and today <= last_return + timedelta(days=RECURRENCE_WINDOW_DAYS)
