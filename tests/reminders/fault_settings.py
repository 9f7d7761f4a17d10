"""Settings for the fault tests' own processes (gunicorn, worker, beat): the production settings,
with shorter periods where a test asks for them through FAULT_<SETTING> variables (JSON values).

A test cannot wait a minute for a heartbeat or ten for a lapsed claim; the code under test is
the same. Never used outside tests (tests/reminders/processes.py sets DJANGO_SETTINGS_MODULE).
"""

import json
import os

from coachapp.settings import *  # noqa: F403
from coachapp.settings import CELERY_BEAT_SCHEDULE

_faster = {key.removeprefix("FAULT_"): json.loads(value) for key, value in os.environ.items() if key.startswith("FAULT_")}
globals().update(_faster)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "reminders-sweep": {**CELERY_BEAT_SCHEDULE["reminders-sweep"], "schedule": _faster.get("SWEEP_SECONDS", 60.0)},
}
