import pytest

from reminders import broker
from tests.reminders.processes import private_redis, processes, served_var  # noqa: F401 (fixtures)


@pytest.fixture(autouse=True)
def _broker_not_backing_off():
    """A test that makes the broker fail must not make the next test's requests skip it."""
    broker.reset()
    yield
    broker.reset()
