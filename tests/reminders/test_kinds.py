"""The engine knows no domain: the apps schedule their kinds and word them through reminders/kinds.py."""

import ast
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from reminders import kinds, services
from reminders.models import Kind, Notification, Reminder
from tests.factories import assigned_session

ENGINE = Path(services.__file__).parent


def _imported_modules(path: Path) -> set[str]:
    """Every module (or module.name) the file imports, relative imports made absolute."""
    package = ".".join(path.relative_to(ENGINE.parent).parent.parts)
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def test_the_engine_imports_nothing_from_the_apps_that_schedule_into_it():
    upward = {
        f"{path.relative_to(ENGINE.parent)}: {name}"
        for path in ENGINE.rglob("*.py")
        for name in _imported_modules(path)
        if name.split(".")[0] in {"injuries", "programmes"}
    }
    assert upward == set()


def test_the_services_reach_the_tasks_only_by_name():
    assert "reminders.services" in _imported_modules(ENGINE / "tasks.py")
    for module in ("services.py", "queue.py", "kinds.py"):
        assert "reminders.tasks" not in _imported_modules(ENGINE / module), module


def test_every_kind_has_a_wording():
    assert kinds.registered() == set(Kind.values)


def test_a_kind_keeps_the_wording_it_was_given():
    kinds.register(Kind.SESSION_TODAY, message=kinds._messages[Kind.SESSION_TODAY][""])  # the same again: fine
    with pytest.raises(ValueError):
        kinds.register(Kind.SESSION_TODAY, message=lambda reminder: {})


def _alert(world, occurrence, **about):
    return Reminder.objects.create(
        kind=Kind.PAIN_ALERT, recipient=world.coach, occurrence=occurrence, athlete=world.athlete,
        due_at=timezone.now() - timedelta(minutes=1), **about,
    )


def test_a_pain_alert_links_to_a_new_complaint_or_after_a_session_to_the_programme(world):
    session = assigned_session(world.athlete, world.coach)
    report, after_session = _alert(world, "report"), _alert(world, "session", session=session)
    with mock.patch.object(services, "send_email"):
        services.deliver(report.pk)
        services.deliver(after_session.pk)
    urls = dict(Notification.objects.values_list("reminder__occurrence", "url"))
    assert urls == {"report": reverse("complaint_create", args=[world.athlete.pk]),
                    "session": reverse("athlete_programme", args=[world.athlete.pk])}
    titles = set(Notification.objects.values_list("title", flat=True))
    assert titles == {f"Pain alert: {world.athlete.full_name}"}


def test_an_unworded_kind_is_not_delivered_half_way(world):
    reminder = _alert(world, "unknown")
    Reminder.objects.filter(pk=reminder.pk).update(kind="no_such_kind")
    with pytest.raises(LookupError):
        services.deliver(reminder.pk)
    assert not Notification.objects.exists()
