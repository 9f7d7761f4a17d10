"""Each athlete's injury status in plain words, for the roster (athletes/status.py: the hook
this fills in InjuriesConfig.ready()).

The words follow the availability board's rule (injuries/selectors.py, ``status_of``): the latest
open injury decides, an urgent one waiting for its doctor's review first; else an open minor
episode means training lighter; else the athlete is fit. A report waiting for a coach that
restricts more (injuries/selectors.py ``report_status``) is shown instead.
"""

import functools

from django.db.models import BooleanField, ExpressionWrapper, JSONField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, JSONObject

from athletes.status import Provider, Status

from .display import CLASSIFICATION_LABELS
from .models import Episode, Injury, Phase
from .selectors import AVAILABLE, MODIFIED, UNAVAILABLE, report_status, restricts_more, waiting_report

FIT = "Fit"
TRAINING_LIGHTER = "training lighter"


def short_label(classification: str) -> str:
    """ "Grade 2 strain", not "Grade 2 strain (moderate, partial tear)": a roster cell is short."""
    return CLASSIFICATION_LABELS[classification].split(" (")[0]


def annotate(athletes):
    """One column, ``injury_status``, in the roster's one query: the latest open injury's
    classification, phase and whether it waits for a doctor, else the latest open episode's
    classification, else null. One subquery reads the injury (not one per field), served by the
    partial index of open injuries (``injury_speed_open_idx``); the episode's (served by
    ``episode_speed_open_idx``) runs only for an athlete without one. Being one costly expression,
    PostgreSQL works it out for the page's rows only, after the sort and the LIMIT."""
    injury = Injury.objects.filter(athlete=OuterRef("pk")).open().order_by("-onset_date", "-id")
    episode = Episode.objects.filter(athlete=OuterRef("pk")).open().order_by("-started_on", "-id")
    waiting = ExpressionWrapper(Q(ever_urgent=True, doctor_reviewed_on__isnull=True), output_field=BooleanField())
    return athletes.annotate(
        injury_status=Coalesce(
            Subquery(injury.values(json=JSONObject(c="classification", p="phase", w=waiting))[:1]),
            Subquery(episode.values(json=JSONObject(e="classification"))[:1]),
            output_field=JSONField(),
        ),
        injury_report=waiting_report(),  # a report waiting for a coach: the board's rule (record_status)
    )


FIT_STATUS = Status(FIT, AVAILABLE)


# A few classifications and phases (plain strings, no translation): each status is built once and
# then looked up for every row of every roster.
@functools.lru_cache(maxsize=256)
def _injury_status(classification: str, phase: str, waiting: bool) -> Status:
    words = f"{short_label(classification)} — {Phase(phase).label.lower()}"
    if waiting:
        return Status(f"{words}, waiting for a doctor", UNAVAILABLE)
    return Status(words, MODIFIED if phase == Phase.RETURN_TO_TRAINING else UNAVAILABLE)


@functools.lru_cache(maxsize=64)
def _episode_status(classification: str) -> Status:
    return Status(f"{short_label(classification)} — {TRAINING_LIGHTER}", MODIFIED)


def describe(athlete) -> Status | None:
    if not hasattr(athlete, "injury_status"):  # not annotated: not ours to say
        return None
    status = _record_status(athlete.injury_status)
    report = getattr(athlete, "injury_report", None)
    if report:  # a report waiting for a coach, when it restricts more than the record
        kind, words = report_status(report)
        if restricts_more(kind, than=status.kind):
            return Status(words, kind)
    return status


def _record_status(record) -> Status:
    if record is None:
        return FIT_STATUS
    if "c" in record:  # the latest open injury decides
        return _injury_status(record["c"], record["p"], bool(record["w"]))
    return _episode_status(record["e"])


PROVIDER = Provider(annotate=annotate, describe=describe)
