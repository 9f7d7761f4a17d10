from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    """Signed webhooks. It sits with the top apps (docs/architecture.md#layers): it reads injuries
    and testing, writes through reminders, and nothing but the project imports it."""

    name = "webhooks"

    def ready(self):
        from injuries.events import athlete_changed
        from reminders import kinds
        from reminders.models import Kind

        from . import notices, services, tasks  # noqa: F401 (registers the tasks in every process)

        athlete_changed.connect(services.on_athlete_changed, dispatch_uid="webhooks.events")
        kinds.register(Kind.WEBHOOK_OFF, message=notices.switched_off_message)
