from django.apps import AppConfig


class InjuriesConfig(AppConfig):
    name = "injuries"
