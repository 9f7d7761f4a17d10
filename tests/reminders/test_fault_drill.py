import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import IN_CI

pytestmark = pytest.mark.django_db(transaction=True)


def test_reminders_survive_a_killed_worker_and_a_broker_outage(world):
    if not shutil.which("redis-server"):
        if IN_CI:
            pytest.fail("redis-server is missing")
        pytest.skip("redis-server is missing")
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the drill's worker processes need a server database")
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false"}
    result = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("fault_drill.py"))],
        env=env, capture_output=True, text=True, timeout=420,
    )
    print(result.stdout[-2000:], result.stderr[-3000:])
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "1000/1000 sent once" in result.stdout
