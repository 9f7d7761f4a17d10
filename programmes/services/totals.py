"""Each scheduled session's totals (``sets_counted``, ``sets_logged``, ``nordic_reps``), worked out
afresh from its exercises and set logs (docs/architecture.md#services-selectors-and-views).

The team's adherence and Nordic dose read these instead of joining every exercise and set log of
a season. They are written here only, in the transaction of the service that wrote the rows:

- ``prescriptions_rebuild``, which writes every prescription (kept, stopped or new), works them out
  again with ``session_totals_refresh`` for the sessions it touched; a new assignment does it once
  for the whole team, in bulk;
- ``set_log`` adds the set to its session's totals (``session_totals_add``): the tap is the
  athlete's and must stay quick, and working the totals out again cost it about 2 ms (7 → 9 ms
  in-process on the bench's data) where an addition costs almost nothing. It is safe because the
  tap holds the athlete's lock, as every writer of their sessions does (athletes/locks.py), and
  never logs a stopped exercise.

Deleting a session takes its rows with it. The pathway's stateful test checks, after every step,
that each session's totals are what its rows add up to.
"""

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .. import progression as p
from ..models import PrescribedExercise, ScheduledSession, SetLog


def _per_session(rows, session_field: str, total) -> Coalesce:
    """``total`` over ``rows`` (already narrowed to the session being updated), 0 when none."""
    grouped = rows.order_by().values(session_field).annotate(n=total).values("n")
    return Coalesce(Subquery(grouped), Value(0), output_field=IntegerField())


def totals() -> dict:
    """The three totals as expressions for ``ScheduledSession.objects.update``, each from the rows:
    sets of the exercises not stopped; sets logged in those; reps logged in Nordic exercises
    (stopped or not: they were done). The same rules as adherence and the Nordic dose
    (docs/clinical-rules.md#nordic-dose)."""
    counted = PrescribedExercise.objects.filter(session=OuterRef("pk"), withheld_reason="")
    logs = SetLog.objects.filter(prescribed__session=OuterRef("pk"))
    return {
        "sets_counted": _per_session(counted, "session", Sum("sets")),
        "sets_logged": _per_session(logs.filter(prescribed__withheld_reason=""), "prescribed__session", Count("pk")),
        "nordic_reps": _per_session(logs.filter(prescribed__family=p.Family.NORDIC.value), "prescribed__session", Sum("reps")),
    }


def session_totals_refresh(session_ids) -> int:
    """Work out the sessions' totals again from their rows, in one UPDATE; the number updated."""
    ids = list(session_ids)
    if not ids:
        return 0
    return ScheduledSession.objects.filter(pk__in=ids).update(**totals())


def session_totals_add(session_id: int, *, logged: int = 0, nordic_reps: int = 0) -> None:
    """Add a set logged (``logged``) and the Nordic reps it changed to the session's totals; no
    query when neither changes (a retried tap of a set other than a Nordic's, or the same reps)."""
    if logged or nordic_reps:
        ScheduledSession.objects.filter(pk=session_id).update(
            sets_logged=F("sets_logged") + logged, nordic_reps=F("nordic_reps") + nordic_reps
        )
