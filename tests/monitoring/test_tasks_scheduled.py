"""The recurrence watch runs daily from beat (docs/architecture.md#background-work)."""

from django.conf import settings

from coachapp.celery import app


def test_beat_runs_the_recurrence_watch_daily_and_the_task_is_registered():
    entry = settings.CELERY_BEAT_SCHEDULE["monitoring-recurrence-watch"]
    assert entry["task"] == "monitoring.tasks.recurrence_watch_remind"
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
