from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The JSON API v1: reads of every app, the triage rules, and the tokens that call it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "API"
