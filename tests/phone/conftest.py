"""The phone tests run on a Wednesday, so that the suite passes on any day of the week."""

from datetime import UTC, datetime

import pytest
import time_machine

WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def a_wednesday():
    with time_machine.travel(WEDNESDAY):
        yield


@pytest.fixture
def athlete_client(client, world):
    client.force_login(world.athlete_user)
    return client
