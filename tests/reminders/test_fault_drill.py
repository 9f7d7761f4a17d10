import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import IN_CI

pytestmark = pytest.mark.django_db(transaction=True)


def _run_drill(**env):
    if not shutil.which("redis-server"):
        if IN_CI:
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing")
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the drill's worker processes need a server database")
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", **env}
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("fault_drill.py"))],
        env=env, capture_output=True, text=True, timeout=420,
    )
    print(result.stdout[-2000:], result.stderr[-3000:])
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    return result.stdout


def test_reminders_survive_a_killed_worker_and_a_broker_outage(world):
    assert "1000/1000 sent once" in _run_drill()


def test_with_push_on_a_killed_worker_loses_and_doubles_no_reminder(world):
    """Push is one more channel of the same delivery: every reminder pushed, none twice but for a
    push cut short by the kill, which repeats under the same topic and tag (tests/reminders/fault_drill.py)."""
    out = _run_drill(DRILL_PUSH="1", DRILL_REMINDERS="300", DRILL_OUTAGE="0")
    assert "300/300 sent once" in out and "for 300/300 reminders" in out
