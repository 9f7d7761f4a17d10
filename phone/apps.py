from django.apps import AppConfig


class PhoneConfig(AppConfig):
    """The athlete's phone pages: reads in selectors.py, writes through the owning apps' services;
    its one model records the keys of the writes a phone sent (docs/architecture.md#apps)."""

    name = "phone"
