"""Writes that touch complaints, injuries, episodes, overrides and the checklist, each in one
transaction, by topic: complaints.py, injuries.py, clearance.py, episodes.py (errors.py holds the
refusals). Callers import from here: ``from injuries import services``.

Every write that can change what an athlete may train announces it (injuries/events.py); the
programmes app re-applies its gating rule in the same transaction (docs/architecture.md#events).
"""

from .clearance import MEASURED_ITEMS, clearance_apply_evidence, clearance_check_set, clearance_tick_from_sprint
from .complaints import (
    complaint_confirm,
    complaint_log,
    complaint_report,
    record_open,
    removed_red_flags,
    triaged_answers,
)
from .episodes import episode_ask_retriage, episode_end
from .errors import (
    ChecklistOverrideNeedsReason,
    ComplaintAlreadyConfirmed,
    InjuryError,
    PhaseChangedMeanwhile,
    PhaseChangeError,
    RedFlagRemovalNeedsReason,
)
from .injuries import (
    checklist_missing,
    doctor_review_record,
    injury_change_phase,
    injury_open,
    injury_override_classification,
    phase_criteria,
)

__all__ = [
    "MEASURED_ITEMS",
    "ChecklistOverrideNeedsReason",
    "ComplaintAlreadyConfirmed",
    "InjuryError",
    "PhaseChangeError",
    "PhaseChangedMeanwhile",
    "RedFlagRemovalNeedsReason",
    "checklist_missing",
    "clearance_apply_evidence",
    "clearance_check_set",
    "clearance_tick_from_sprint",
    "complaint_confirm",
    "complaint_log",
    "complaint_report",
    "doctor_review_record",
    "episode_ask_retriage",
    "episode_end",
    "injury_change_phase",
    "injury_open",
    "injury_override_classification",
    "phase_criteria",
    "record_open",
    "removed_red_flags",
    "triaged_answers",
]
