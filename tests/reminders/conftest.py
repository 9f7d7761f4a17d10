import pytest

from reminders import broker, push
from tests.reminders.processes import private_redis, processes, served_var  # noqa: F401 (fixtures)
from tests.reminders.push_standin import PushService


@pytest.fixture(autouse=True)
def _broker_not_backing_off():
    """A test that makes the broker fail must not make the next test's requests skip it."""
    broker.reset()
    yield
    broker.reset()


@pytest.fixture
def push_keys(settings):
    """Push on, with a test VAPID pair, and the local push stand-in allowed as a push service."""
    settings.WEBPUSH_VAPID_PUBLIC_KEY, settings.WEBPUSH_VAPID_PRIVATE_KEY = push.generate_keys()
    settings.WEBPUSH_CONTACT = "mailto:ops@coachapp.test"
    settings.WEBPUSH_ALLOW_LOCALHOST = True
    return settings.WEBPUSH_VAPID_PUBLIC_KEY


@pytest.fixture
def push_service():
    service = PushService()
    yield service
    service.close()
