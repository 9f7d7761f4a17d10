"""Each athlete's injury status in plain words, for the roster (athletes/status.py: the hook
this fills in InjuriesConfig.ready()).

The words follow the availability board's rule (injuries/selectors.py, ``status_of``): the latest
open injury decides, an urgent one waiting for its doctor's review first; else an open minor
episode means training lighter; else the athlete is fit.
"""

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery

from athletes.status import Provider, Status

from .display import CLASSIFICATION_LABELS
from .models import Episode, Injury, Phase
from .selectors import AVAILABLE, MODIFIED, UNAVAILABLE

FIT = "Fit"


def short_label(classification: str) -> str:
    """ "Grade 2 strain", not "Grade 2 strain (moderate, partial tear)": a roster cell is short."""
    return CLASSIFICATION_LABELS[classification].split(" (")[0]


def annotate(athletes):
    """Four correlated subqueries in the roster's one query, served by the partial indexes of
    open injuries and open episodes (``injury_speed_open_idx``, ``episode_speed_open_idx``)."""
    injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    episode = Episode.objects.filter(athlete=OuterRef("pk")).open().order_by("-started_on", "-id")
    waiting = ExpressionWrapper(Q(ever_urgent=True, doctor_reviewed_on__isnull=True), output_field=BooleanField())
    return athletes.annotate(
        status_classification=Subquery(injury.values("classification")[:1]),
        status_phase=Subquery(injury.values("phase")[:1]),
        status_waiting=Subquery(injury.annotate(waiting=waiting).values("waiting")[:1]),
        status_episode=Subquery(episode.values("classification")[:1]),
    )


def describe(athlete) -> Status | None:
    if not hasattr(athlete, "status_phase"):  # not annotated: not ours to say
        return None
    if athlete.status_classification:
        words = f"{short_label(athlete.status_classification)} — {Phase(athlete.status_phase).label.lower()}"
        if athlete.status_waiting:
            return Status(f"{words}, waiting for a doctor", UNAVAILABLE)
        return Status(words, MODIFIED if athlete.status_phase == Phase.RETURN_TO_TRAINING else UNAVAILABLE)
    if athlete.status_episode:
        return Status(f"{short_label(athlete.status_episode)} — training lighter", MODIFIED)
    return Status(FIT, AVAILABLE)


PROVIDER = Provider(annotate=annotate, describe=describe)
