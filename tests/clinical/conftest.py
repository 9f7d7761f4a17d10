"""Fixtures of the clinical pathway tests: a pinned clock, so that no test depends on today."""

import pytest
import time_machine

from tests.clinical.support import START


@pytest.fixture
def clock():
    """The tests' clock, pinned to Monday 2 March 2026, 09:00 UTC; ``clock.move_to(...)`` moves it."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller
