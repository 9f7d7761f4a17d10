"""The engine's one hand-over to Celery: "send reminder N now".

The tasks call the services; the services reach the send task by its name here, so neither module
imports the other. `RemindersConfig.ready()` imports `reminders.tasks`, so the task is registered in
every process (web, worker, beat) before anything is handed over.
"""

from celery import current_app

SEND_REMINDER = "reminders.tasks.send_reminder"


def send_reminder(reminder_id: int, **publish) -> None:
    """Publish one send; `publish` goes to apply_async (priority, connection, retry, ...)."""
    current_app.tasks[SEND_REMINDER].apply_async((reminder_id,), **publish)
