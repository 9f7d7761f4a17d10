from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"

    def ready(self):
        from injuries.events import athlete_changed
        from reminders import kinds
        from reminders.models import Kind

        from . import reminders
        from .receivers import regate_on_injury_event

        athlete_changed.connect(regate_on_injury_event, dispatch_uid="programmes.regate")
        # How the reminder engine words the kinds programmes schedules (reminders/kinds.py).
        kinds.register(Kind.SESSION_TODAY, message=reminders.session_today_message)
        kinds.register(Kind.MORNING_CHECK_IN, message=reminders.morning_check_in_message)
        kinds.register(Kind.MISSED_SESSIONS, message=reminders.missed_sessions_message)
        kinds.register(Kind.PAIN_ALERT, about="session", message=reminders.session_pain_alert_message)
