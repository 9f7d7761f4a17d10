from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Load, exposure and risk: session RPE, wellness, GPS imports and the recurrence watch. It sits
    above programmes and testing (docs/architecture.md#layers) and reads them, injuries and
    reminders; the arithmetic is monitoring/measures.py (docs/load-and-risk.md)."""

    name = "monitoring"
    verbose_name = "Load and exposure"

    def ready(self):
        from reminders import kinds
        from reminders.models import Kind
        from testing import hooks

        from . import reminders, screening_column

        # How the reminder engine words the kinds monitoring schedules (reminders/kinds.py).
        kinds.register(Kind.TIGHTNESS_RISING, message=reminders.tightness_rising_message)
        kinds.register(Kind.RECURRENCE_WATCH, message=reminders.recurrence_watch_message)
        # The risk checklist as a column of testing's team screening page (testing/hooks.py).
        hooks.register(screening_column.risk_column, annotate=screening_column.annotate)
