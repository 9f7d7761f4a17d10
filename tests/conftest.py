import os
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls
# there unless told that this is deliberate (tests only).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
import time_machine  # noqa: E402

from django.conf import settings  # noqa: E402

from coachapp.celery import app as celery_app  # noqa: E402


def _worker_redis_url(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker: REDIS_URL's database number plus the worker's
    (gw0 keeps it, gw1 takes the next), so parallel workers share no broker, result store or
    broadcast channel, as each already has a test database of its own (pytest-django)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    base = int(parts.path.strip("/") or 0)
    number = base + int(worker.removeprefix("gw"))
    if number > 15:
        raise pytest.UsageError(f"pytest-xdist worker {worker} would need Redis database {number}: run fewer workers (-n) or set REDIS_URL to a lower database")
    return urlunsplit(parts._replace(path=f"/{number}"))


# pytest-django loaded the settings before this file: a worker's Redis is set on them here, before
# Celery first reads its configuration (the line after), and in the environment for subprocesses.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if XDIST_WORKER and settings.REDIS_URL:
    os.environ["REDIS_URL"] = settings.REDIS_URL = _worker_redis_url(settings.REDIS_URL, XDIST_WORKER)
    settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = settings.REDIS_URL

# A queue of this test run's own: two runs sharing one Redis must not take each other's tasks
# (a task whose rows live in another run's test database would be lost to both).
celery_app.conf.task_default_queue = f"tests-{os.getpid()}"
assert celery_app.conf.broker_url == settings.CELERY_BROKER_URL, "Celery read its broker before tests/conftest.py set it"

from tests.factories import (  # noqa: E402
    PASSWORD,
    AdminFactory,
    AthleteFactory,
    AthleteUserFactory,
    CoachFactory,
    TeamFactory,
)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


# --- The calendar: no test depends on the day it runs ---------------------------------------------
#
# A test whose outcome could depend on today's date or weekday is marked `@pytest.mark.calendar`.
# The mark pins its clock (time_machine, ticking) to 10:00 UTC on CALENDAR_DAY, so `make test` gives
# the same answer every day. COACHAPP_WEEKDAYS (`make test` sets it: a Monday, a Thursday, a Sunday)
# runs each marked test again at each of those days, in the same run: a marked test must pass on
# any of them, so a test that only works on the default day is caught here, not on a Thursday in
# someone's clone. (One run, not one per day: each pytest start and its test databases cost about
# forty seconds, which the three separate passes paid three times.)
# `@pytest.mark.calendar(weekdays=False)` pins a test without the copies: for a test whose subject
# is not the date (who may open what) but whose records are dated today. Its cases that are about
# the date carry the plain mark as well (pytest.param(..., marks=pytest.mark.calendar)) and are copied.
# COACHAPP_TODAY moves the pinned day itself; it and each of COACHAPP_WEEKDAYS take a day (10:00 UTC
# on it) or a moment: 2026-12-31T23:30.
#
# COACHAPP_TODAY_EVERY_TEST=1 travels every test, marked or not: run the suite with it at several
# days and times to find a date-sensitive test that is not marked yet.
CALENDAR_DAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # a Wednesday
TODAY = os.environ.get("COACHAPP_TODAY", "")
WEEKDAYS = os.environ.get("COACHAPP_WEEKDAYS", "").split()
EVERY_TEST = os.environ.get("COACHAPP_TODAY_EVERY_TEST", "").lower() in {"1", "true", "yes"}


def _moment(text: str, variable: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise pytest.UsageError(f"{variable}={text!r} is neither a day nor a moment: 2026-12-07 or 2026-12-07T23:30") from None
    if "T" not in text and " " not in text:
        moment = datetime.combine(moment.date(), time(10, 0))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def calendar_moment() -> datetime:
    """When a calendar-marked test runs: COACHAPP_TODAY if set, else CALENDAR_DAY."""
    return _moment(TODAY, "COACHAPP_TODAY") if TODAY else CALENDAR_DAY


WEEKDAY_MOMENTS = [_moment(day, "COACHAPP_WEEKDAYS") for day in WEEKDAYS]


def calendar_day() -> date:
    return calendar_moment().date()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The browser tests run after every other test that uses the database. pytest-django puts
    transactional tests after the others, but pytest then keeps tests that share a parametrised
    session fixture (Playwright's browser) together, which can pull them forward; they empty the
    database (live_server), so a database test after them would find the migrations' seed data
    (the exercise library, the test types) gone. A stable sort keeps every other order."""
    items.sort(key=lambda item: item.nodeid.startswith("tests/browser/"))
    if WEEKDAY_MOMENTS:
        dropped = [item for item in items if _weekday_copy_unmarked(item)]
        if dropped:
            items[:] = [item for item in items if not _weekday_copy_unmarked(item)]
            config.hook.pytest_deselected(items=dropped)


def pytest_report_header(config):
    lines = []
    if TODAY:
        moment = calendar_moment()
        scope = "every test" if EVERY_TEST else "the tests marked calendar"
        lines.append(f"COACHAPP_TODAY: {scope} run on {moment:%A %Y-%m-%d %H:%M %Z}")
    if WEEKDAY_MOMENTS:
        days = ", ".join(f"{moment:%A %Y-%m-%d}" for moment in WEEKDAY_MOMENTS)
        lines.append(f"COACHAPP_WEEKDAYS: the tests marked calendar (browser tests aside) run again on {days}")
    return lines


def pytest_generate_tests(metafunc):
    """With COACHAPP_WEEKDAYS, a calendar-marked test runs once on the pinned day and once on each
    of those days ([day=...] in its id). Browser tests are left out: they are slow, and their
    pages' dates come from the same code the other tests cover."""
    definition = metafunc.definition
    marked = definition.get_closest_marker("calendar") or _some_case_marked(definition)
    if WEEKDAY_MOMENTS and marked and not definition.get_closest_marker("browser"):
        moments = [calendar_moment(), *WEEKDAY_MOMENTS]
        ids = ["day=pinned", *(f"day={moment:%Y-%m-%d}" for moment in WEEKDAY_MOMENTS)]
        metafunc.parametrize("calendar_when", moments, ids=ids, indirect=True)


def _some_case_marked(definition) -> bool:
    """Whether some of a test's parametrised cases carry the calendar mark (pytest.param(...,
    marks=pytest.mark.calendar)): the others' weekday copies are dropped at collection."""
    for mark in definition.iter_markers("parametrize"):
        values = mark.args[1] if len(mark.args) > 1 else mark.kwargs.get("argvalues", ())
        if any(m.name == "calendar" for value in values for m in getattr(value, "marks", ())):
            return True
    return False


def _weekday_copy_unmarked(item) -> bool:
    """A weekday copy of a case that is not marked calendar (see _some_case_marked), or whose only
    calendar marks say `weekdays=False`: pinned to the day, not run again on the others."""
    callspec = getattr(item, "callspec", None)
    when = callspec.params.get("calendar_when") if callspec else None
    copied = any(mark.kwargs.get("weekdays", True) for mark in item.iter_markers("calendar"))
    return when is not None and when in WEEKDAY_MOMENTS and not copied


@pytest.fixture(scope="session", autouse=True)
def _quick_flush():
    """pytest-django empties the database after each transactional test (live_server, the
    workers' drills) with Django's flush. On PostgreSQL it empties the tables with DELETE, not
    TRUNCATE: a test database's tables hold a few rows, and a TRUNCATE of all of them (new files
    for each table and index) took 0.47 s of every such teardown, against 15 ms. Foreign keys are
    deferred (Django makes them so) until the flush commits, so the order does not matter;
    sequences run on, as with TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def flush_by_delete(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences:
            return truncate(self, style, tables, reset_sequences=True, allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", flush_by_delete)
        yield


@pytest.fixture
def calendar_when(request):
    """The moment a calendar-marked test runs at: one of COACHAPP_WEEKDAYS' when parametrised by
    pytest_generate_tests, else COACHAPP_TODAY or CALENDAR_DAY."""
    return getattr(request, "param", None) or calendar_moment()


@pytest.fixture(autouse=True)
def _calendar(request, calendar_when):
    """Travel to the calendar day for a test marked `calendar` (see above). A test's own
    time_machine.travel inside it still wins: travels nest."""
    if not (request.node.get_closest_marker("calendar") or (TODAY and EVERY_TEST)):
        yield
        return
    with time_machine.travel(calendar_when, tick=True):
        yield


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


# The two athletes the GPS sample exports name (tests/monitoring/samples; the engine, page and API).
@pytest.fixture
def gps_squad(world):
    zoe = AthleteFactory(team=world.team, first_name="Zoë", last_name="Müller", email="zoe@example.com")
    sam = AthleteFactory(team=world.team, first_name="Sam", last_name="Taylor", email="sam.taylor@example.com")
    return zoe, sam


# The athletes the force-plate sample files name (tests/testing/samples; the web and API imports).
@pytest.fixture
def plate_squad(world):
    """The athletes the sample files name, in the world's team; one more in the other team."""
    return {
        "zoe": AthleteFactory(team=world.team, first_name="Zoë", last_name="Müller", email="zoe@example.com"),
        "sam": AthleteFactory(team=world.team, first_name="Sam", last_name="Taylor", email="sam@example.com"),
        "alex": AthleteFactory(team=world.team, first_name="Alex", last_name="Morgan", email="alex.morgan@example.com"),
        "jon": AthleteFactory(team=world.team, first_name="Jonathan", last_name="Smith", email="jon@example.com"),
        "kai": AthleteFactory(team=world.other_team, first_name="Kai", last_name="Brandt", email="kai@example.com"),
    }
