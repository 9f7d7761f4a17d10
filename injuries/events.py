"""What injuries announce to the apps above them (docs/architecture.md#events).

injuries never imports programmes: every write that can change what an athlete may train sends
``athlete_changed`` inside its own transaction, and programmes re-applies its gating rule to the
athlete's sessions in its receiver (connected in ``ProgrammesConfig.ready``). Sending inside the
transaction means the sessions change in the same commit as the injury, or not at all.
"""

import enum

from django.dispatch import Signal


class Event(enum.StrEnum):
    COMPLAINT_LOGGED = "complaint_logged"
    REPORT_SENT = "report_sent"
    COMPLAINT_CONFIRMED = "complaint_confirmed"
    OVERRIDDEN = "overridden"
    PHASE_CHANGED = "phase_changed"
    CHECKLIST_CHANGED = "checklist_changed"
    DOCTOR_REVIEWED = "doctor_reviewed"
    TEST_RECORDED = "test_recorded"
    EPISODE_ENDED = "episode_ended"


# Sent with sender=Event, athlete_id=int, and for PHASE_CHANGED / COMPLAINT_* also
# entered_phase=str (the phase an injury entered, if any).
athlete_changed = Signal()


def announce(event: Event, athlete_id: int, *, entered_phase: str = "") -> None:
    athlete_changed.send(sender=event, athlete_id=athlete_id, entered_phase=entered_phase)
