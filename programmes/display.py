"""A prescription's dose in words, as the athlete's phone and the coach's calendar both show it."""

import re

from . import progression as p

# The distance of each run on the running ladder, read once from the doses' own notes
# ("Each run 60 m at about 80% effort ..."), so that a run reads "6 × 60 m", not "6 × 1".
RUN_METRES = {
    key: int(match.group(1))
    for key, dose in p.RUNNING_DOSES.items()
    if (match := re.search(r"(\d+) m\b", dose.note))
}


def is_running(item) -> bool:
    return item.family == p.Family.RUNNING


def dose_text(item) -> str:
    """The dose as the athlete reads it: "3 × 8–12", "4 × 30 s hold", "20 min", "6 × 60 m"."""
    if is_running(item) and not item.minutes:
        metres = RUN_METRES.get(item.exercise.key)
        return f"{item.sets} × {metres} m" if metres else f"{item.sets} runs"
    return item.dose_label
