from django.apps import AppConfig


class PhoneConfig(AppConfig):
    """The athlete's phone pages: no models, reads in selectors.py, writes through the owning
    apps' services (docs/architecture.md#apps)."""

    name = "phone"
