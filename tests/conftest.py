import os
from dataclasses import dataclass

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# there unless told that this is deliberate (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402

from coachapp.celery import app as celery_app  # noqa: E402

# A queue of this test run's own: two runs sharing one Redis must not take each other's tasks
# (a task whose rows live in another run's test database would be lost to both).
celery_app.conf.task_default_queue = f"tests-{os.getpid()}"

from tests.factories import (  # noqa: E402
    PASSWORD,
    AdminFactory,
    AthleteFactory,
    AthleteUserFactory,
    CoachFactory,
    TeamFactory,
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@dataclass
class World:
    """Two teams and the six personas every access test is run as."""

    team: object
    other_team: object
    coach: object
    other_coach: object
    athlete_user: object
    athlete: object
    other_athlete_user: object
    other_athlete: object
    admin: object

    def persona(self, name):
        return {
            "anonymous": None,
            "coach": self.coach,
            "other_coach": self.other_coach,
            "athlete": self.athlete_user,
            "other_athlete": self.other_athlete_user,
            "admin": self.admin,
        }[name]


PERSONAS = ["anonymous", "coach", "other_coach", "athlete", "other_athlete", "admin"]


@pytest.fixture
def world(db):
    coach = CoachFactory(email="coach.a@example.com")
    other_coach = CoachFactory(email="coach.b@example.com")
    team = TeamFactory(name="Alpha", coaches=[coach])
    other_team = TeamFactory(name="Bravo", coaches=[other_coach])
    athlete_user = AthleteUserFactory(email="ath.one@example.com")
    athlete = AthleteFactory(team=team, user=athlete_user, email=athlete_user.email)
    other_athlete_user = AthleteUserFactory(email="ath.two@example.com")
    # Same team on purpose: a teammate must not see another athlete's records either.
    other_athlete = AthleteFactory(team=team, user=other_athlete_user, email=other_athlete_user.email)
    return World(
        team=team,
        other_team=other_team,
        coach=coach,
        other_coach=other_coach,
        athlete_user=athlete_user,
        athlete=athlete,
        other_athlete_user=other_athlete_user,
        other_athlete=other_athlete,
        admin=AdminFactory(email="admin.x@example.com"),
    )


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def coach_client(client, world):
    client.force_login(world.coach)
    return client
