"""Where every athlete stands: the availability board's one query."""

from datetime import timedelta

from django.db.models import F, OuterRef, Subquery

from .models import RECURRENCE_WINDOW_DAYS, Injury, Phase

AVAILABLE, MODIFIED, UNAVAILABLE = "available", "modified", "unavailable"
STATUS_LABELS = {
    AVAILABLE: "Available",
    MODIFIED: "Modified training",
    UNAVAILABLE: "Unavailable",
}


def with_availability(athletes):
    """Annotate each athlete with their open injury and last return, soonest return first.

    A fixed number of queries whatever the squad size: three correlated subqueries, served by
    the open-injury and (athlete, cleared_on) indexes. The injuries' own fields are read by id
    for the page only (`open_injuries`).
    """
    open_injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    last_return = Injury.objects.filter(athlete=OuterRef("pk"), cleared_on__isnull=False).order_by("-cleared_on")
    return athletes.annotate(
        injury_id=Subquery(open_injury.values("pk")[:1]),
        expected_return=Subquery(open_injury.values("expected_return_from")[:1]),
        last_return=Subquery(last_return.values("cleared_on")[:1]),
    ).order_by(F("expected_return").asc(nulls_last=True), "last_name", "first_name", "pk")


def open_injuries(athletes) -> dict:
    """The open injuries of a page of annotated athletes, by id, in one query."""
    ids = [athlete.injury_id for athlete in athletes if athlete.injury_id]
    return Injury.objects.only("phase", "classification").in_bulk(ids) if ids else {}


def status_of(injury) -> str:
    if injury is None:
        return AVAILABLE
    return MODIFIED if injury.phase == Phase.RETURN_TO_TRAINING else UNAVAILABLE


def recurrence_risk(last_return, today) -> bool:
    """Within two months of the last return, when a re-injury is most likely."""
    return last_return is not None and today <= last_return + timedelta(days=RECURRENCE_WINDOW_DAYS)
