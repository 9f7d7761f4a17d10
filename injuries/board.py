"""Where every athlete stands: the availability board's one query."""

from datetime import timedelta

from django.db.models import Case, F, OuterRef, Subquery, Value, When

from .models import RECURRENCE_WINDOW_DAYS, Injury, Phase

AVAILABLE, MODIFIED, UNAVAILABLE = "available", "modified", "unavailable"
STATUS_LABELS = {
    AVAILABLE: "Available",
    MODIFIED: "Modified training",
    UNAVAILABLE: "Unavailable",
}


def with_availability(athletes):
    """Annotate each athlete with their open injury and last return, soonest return first.

    One query whatever the squad size: each value is a correlated subquery served by the
    (athlete, phase) and (athlete, cleared_on) indexes.
    """
    open_injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    last_return = Injury.objects.filter(athlete=OuterRef("pk"), cleared_on__isnull=False).order_by("-cleared_on")
    return athletes.annotate(
        injury_id=Subquery(open_injury.values("pk")[:1]),
        injury_phase=Subquery(open_injury.values("phase")[:1]),
        injury_classification=Subquery(open_injury.values("classification")[:1]),
        expected_return=Subquery(open_injury.values("expected_return_from")[:1]),
        last_return=Subquery(last_return.values("cleared_on")[:1]),
        status=Case(
            When(injury_phase__isnull=True, then=Value(AVAILABLE)),
            When(injury_phase=Phase.RETURN_TO_TRAINING, then=Value(MODIFIED)),
            default=Value(UNAVAILABLE),
        ),
    ).order_by(F("expected_return").asc(nulls_last=True), "last_name", "first_name", "pk")


def recurrence_risk(last_return, today) -> bool:
    """Within two months of the last return, when a re-injury is most likely."""
    return last_return is not None and today <= last_return + timedelta(days=RECURRENCE_WINDOW_DAYS)
