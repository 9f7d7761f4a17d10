from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "programmes"

    def ready(self):
        from injuries.events import athlete_changed

        from .receivers import regate_on_injury_event

        athlete_changed.connect(regate_on_injury_event, dispatch_uid="programmes.regate")
