import pytest
from rest_framework.test import APIClient

from api.services import token_create
from tests.factories import InjuryFactory, TestResultFactory, assigned_session


@pytest.fixture
def token():
    """token(user, write=False, days=90) -> the token itself, as shown once."""

    def make(user, *, write=False, days=90, name="Script"):
        return token_create(user=user, name=name, write=write, days=days)[1]

    return make


@pytest.fixture
def api(token):
    """api(user, write=False) -> an APIClient sending that user's token; None for anonymous."""

    def make(user, *, write=False):
        client = APIClient()
        if user is not None:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token(user, write=write)}")
        return client

    return make


@pytest.fixture
def records(world):
    """One record of each kind for the world's athlete, and a notification of their coach."""
    from reminders.models import Notification

    injury = InjuryFactory(complaint__athlete=world.athlete)
    session = assigned_session(world.athlete, world.coach)
    return {
        "team": world.team,
        "athlete": world.athlete,
        "complaint": injury.complaint,
        "injury": injury,
        "session": session,
        "programme": session.assignment,
        "test-result": TestResultFactory(athlete=world.athlete),
        "notification": Notification.objects.create(user=world.coach, kind="pain_alert", title="t", body="b", url="/"),
    }


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """The throttles count in the cache: each test starts with a full budget."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
