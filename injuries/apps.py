from django.apps import AppConfig


class InjuriesConfig(AppConfig):
    name = "injuries"

    def ready(self):
        from athletes import status as roster_status
        from reminders import kinds
        from reminders.models import Kind

        from . import reminders, status

        # How the reminder engine words the kinds injuries schedules (reminders/kinds.py).
        kinds.register(Kind.RETURN_NEAR, message=reminders.return_near_message)
        kinds.register(Kind.RETURN_OVERDUE, message=reminders.return_overdue_message)
        kinds.register(Kind.RECURRENCE_CHECK_IN, message=reminders.recurrence_check_in_message)
        kinds.register(Kind.PAIN_ALERT, message=reminders.pain_alert_message)
        # Each athlete's injury status on the roster (athletes/status.py).
        roster_status.register(status.PROVIDER)
