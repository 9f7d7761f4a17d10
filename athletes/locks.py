"""One lock order for every write about an athlete (docs/architecture.md#locks).

Every transaction that writes an athlete's complaints, injuries, checklist, tests or sessions
takes the athlete's row lock first, then the rows it changes. With one order there is no
deadlock between a coach's change, a phone's set tap and a programme rebuild, and a rebuild
never decides what to keep while a tap is half-way through.
"""

from .models import Athlete


def lock_athletes(*athlete_ids: int) -> None:
    """Lock the athletes' rows, lowest id first, until the transaction ends."""
    ids = sorted(set(athlete_ids))
    # FOR NO KEY UPDATE: it orders our writers without blocking inserts that merely point at
    # the athlete (their foreign keys take a KEY SHARE lock, which this does not conflict with).
    list(Athlete.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
