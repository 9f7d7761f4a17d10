import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_compose_file_has_the_production_shape():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"} <= set(env), name
    assert "gunicorn" in services["web"]["command"]
    assert services["worker"]["command"][:3] == ["celery", "-A", "coachapp"]


def test_env_example_documents_every_setting_read_from_the_environment():
    settings_source = (ROOT / "coachapp" / "settings.py").read_text()
    documented = (ROOT / ".env.example").read_text()
    names = set(re.findall(r'env\.\w+\("([A-Z_]+)"', settings_source))
    missing = {name for name in names if f"{name}=" not in documented}
    assert not missing


def test_production_settings_pass_the_deployment_checks():
    import os
    import secrets
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for Playwright only
    env |= {"DEBUG": "false", "ALLOWED_HOSTS": "coachapp.example.org", "SECRET_KEY": secrets.token_urlsafe(60)}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "false"}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def _pins(lock_file):
    """name -> (version, number of hashes) of every package a lock file pins."""
    text = (ROOT / "requirements" / lock_file).read_text()
    pins = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        if match := re.match(r"([A-Za-z0-9_.\-]+)==([^\s;\\]+)", block):
            name = re.sub(r"[-_.]+", "-", match[1]).lower()
            pins[name] = (match[2], block.count("--hash=sha256:"))
    return pins


def test_installs_come_from_lock_files_with_hashes():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    def names(requirements):
        return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.\-]+", r)[0]).lower() for r in requirements}

    run, dev = _pins("run.txt"), _pins("dev.txt")
    assert names(project["dependencies"]) <= set(run)
    assert names(project["dependencies"] + project["optional-dependencies"]["dev"]) <= set(dev)
    assert all(hashes >= 1 for _, hashes in run.values()) and all(hashes >= 1 for _, hashes in dev.values())
    # The app and its tests run the same versions.
    assert {name: pin[0] for name, pin in run.items()} == {name: dev[name][0] for name in run}
    makefile, dockerfile = (ROOT / "Makefile").read_text(), (ROOT / "Dockerfile").read_text()
    assert "--require-hashes --no-deps -r requirements/dev.txt" in makefile
    assert "--require-hashes --no-deps -r requirements/run.txt" in makefile
    assert "--require-hashes --no-deps -r requirements/run.txt" in dockerfile
    assert re.search(r"^lock:", makefile, re.M)


def _database_options(**env) -> dict:
    """The default database's OPTIONS as the settings read them from this environment."""
    import json
    import os
    import subprocess
    import sys

    inherited = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_PREPARE_THRESHOLD"}}
    env = inherited | {"DEBUG": "true"} | env
    code = ("import json, django; django.setup(); from django.conf import settings; "
            "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_postgresql_queries_are_bound_and_prepared_by_the_server_unless_switched_off():
    url = "postgres://user@db.example.org:5432/coachapp"
    assert _database_options(DATABASE_URL=url) | {"connect_timeout": 5} == {
        "connect_timeout": 5, "server_side_binding": True, "prepare_threshold": 5,
    }
    assert _database_options(DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="off")["prepare_threshold"] is None
    assert _database_options(DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="2")["prepare_threshold"] == 2
    assert "server_side_binding" not in _database_options(DATABASE_URL="sqlite:///var/coachapp.sqlite3")


def test_a_query_repeated_on_the_connection_runs_prepared(db):
    """The suite's own connection (PostgreSQL): the settings above are in force."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    from athletes.models import Team

    for _ in range(6):
        list(Team.objects.filter(name="prepared?"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ['%"athletes_team"%'])
        assert cursor.fetchone()[0] >= 1


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile.dev").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_make_run_starts_a_crashed_worker_or_beat_again_and_lets_a_clean_stop_end_it(name, tmp_path):
    """honcho stops every process of `make run` when one exits: a worker that Celery takes down
    (a lost Redis connection can: docs/architecture.md#background-work) must not take the web
    server with it. Here `celery` fails twice, then stops cleanly, as on Ctrl-C."""
    import os
    import subprocess

    calls = tmp_path / "calls"
    for stub, body in (
        ("celery", f'echo "$*" >> {calls}\n[ "$(wc -l < {calls})" -ge 3 ]\n'),
        ("sleep", "exit 0\n"),  # no pause between the restarts here
    ):
        (tmp_path / stub).write_text(f"#!/bin/sh\n{body}")
        (tmp_path / stub).chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}:{os.environ['PATH']}"}
    result = subprocess.run(["sh", "-c", _procfile()[name]], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert calls.read_text().splitlines() == [_procfile()[name].split("celery ", 1)[1].split(" &&")[0]] * 3
    assert result.stdout.count("starting it again") == 2
