"""Programme writes, one module per topic (docs/architecture.md#services-selectors-and-views):

- ``templates``: a coach's own copy of a template, and an edit of one of its sessions;
- ``assignment``: scheduling a template for athletes, and what to do when they already have one
  on those dates (replace, extend or cancel);
- ``sessions``: set logging, finishing a session, the morning check-in, the progression that
  follows, moving a session, the calendar feed's secret, and the minor-episode sweep;
- ``regating``: the one gating rule applied to an athlete's sessions after every event;
- ``totals``: each session's totals (sets counted and logged, Nordic reps), refreshed from its rows.

Callers import from ``programmes.services`` itself; the names below are its public surface.
"""

from .assignment import AssignmentError, AssignmentOverlapError, OnOverlap, Overlap, programme_assign
from .regating import (
    LOG_WINDOW_DAYS,
    dose_of,
    gate_for,
    ladders_restart,
    loggable_sessions,
    programme_regate,
    regate_all,
    situation_for,
)
from .sessions import (
    SessionLogError,
    SessionMoveError,
    alert_resolve,
    calendar_token_regenerate,
    calendar_token_revoke,
    episodes_sweep,
    latest_pain,
    session_complete,
    session_morning_report,
    session_move,
    set_log,
)
from .templates import athletes_following, template_copy, template_session_save
from .totals import session_totals_add, session_totals_refresh

__all__ = [
    "LOG_WINDOW_DAYS",
    "AssignmentError",
    "AssignmentOverlapError",
    "OnOverlap",
    "Overlap",
    "SessionLogError",
    "SessionMoveError",
    "alert_resolve",
    "athletes_following",
    "calendar_token_regenerate",
    "calendar_token_revoke",
    "dose_of",
    "episodes_sweep",
    "gate_for",
    "ladders_restart",
    "latest_pain",
    "loggable_sessions",
    "programme_assign",
    "programme_regate",
    "regate_all",
    "session_complete",
    "session_morning_report",
    "session_move",
    "session_totals_add",
    "session_totals_refresh",
    "set_log",
    "situation_for",
    "template_copy",
    "template_session_save",
]
