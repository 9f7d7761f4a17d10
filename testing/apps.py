from django.apps import AppConfig


class TestingConfig(AppConfig):
    """Strength and range tests. It sits above injuries (docs/architecture.md#layers): the injury
    checklist learns what the tests say through the provider registered here."""

    name = "testing"
    verbose_name = "Strength and range tests"  # the admin's heading

    def ready(self):
        from injuries import evidence

        from . import services

        evidence.register(services.clearance_evidence)
