import re
from pathlib import Path

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
