"""How programmes hears what injuries announce (docs/architecture.md#events)."""

from athletes.models import Athlete
from injuries.models import Phase

from . import services

# Entering these phases puts every ladder back to its bottom rung (docs/clinical-rules.md#exercise-ladders-and-doses).
RESTART_PHASES = (Phase.PROTECT, Phase.REHAB)


def regate_on_injury_event(sender, *, athlete_id: int, entered_phase: str = "", **kwargs) -> None:
    """Every event that can change what the athlete may do re-applies the gating rule at once,
    inside the transaction that made the change."""
    athlete = Athlete.objects.get(pk=athlete_id)
    services.programme_regate(athlete=athlete, restart=entered_phase in RESTART_PHASES)
