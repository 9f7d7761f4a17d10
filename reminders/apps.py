from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"

    def ready(self):
        # The services hand sends over by task name (reminders/queue.py): register the tasks in
        # every process, not only in the workers that autodiscover them.
        from . import tasks  # noqa: F401
