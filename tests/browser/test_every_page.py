"""Every page, as each role meets it, on a phone (390×844) and at a desk (1280×800).

Each (role, page, screen) is its own test so that a failure names its page. A page passes when:
- it answers 200 to its owner (no sign-in page instead);
- nothing scrolls sideways (scrollWidth <= innerWidth, and a phone keeps its 390 px);
- the console shows no error, the page throws nothing, and no Content Security Policy violation;
- no same-origin request fails (a stylesheet, script, image, media file), and its icon loads
  (the <link rel="icon">, or /favicon.ico when there is none: browsers ask for it);
- axe finds nothing serious or critical.

One demo-like world (tests/rich_demo.py) is seeded once for the module and served by a live server
of its own, so the ~200 tests share it; the database is emptied when the module ends.
"""

import pytest
import time_machine
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.db import connections
from django.urls import reverse

from tests import rich_demo
from tests.browser.conftest import PHONE, next_monday
from tests.factories import PASSWORD, seed_reference_data
from tests.test_access_matrix import MATRIX
from tests.test_plain_words import NOT_HTML, visits

# The mark makes pytest-django create the test database and run this module with the other
# transactional tests; _django_db_marker below keeps it from emptying the database after each test.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {
    "phone": PHONE,
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
ROLES = ("visitor", "coach", "athlete", "admin")  # a visitor: not signed in (sign-in, password reset, an invitation)
# The athlete's pages are opened by these athletes (no injury, protect and urgent, rehab).
PHONE_ATHLETES = ("Alex", "Kofi", "Jordan")
# The admin pages a curator works in (the admin index is in the access matrix).
CURATOR_PAGES = [
    "admin:programmes_exercise_changelist",
    "admin:programmes_exercise_change",
    "admin:programmes_exercise_add",
    "admin:programmes_programmetemplate_changelist",
    "admin:programmes_programmetemplate_change",
]
# How many ways of opening one page to look at (every injury's page: each phase looks different).
ALL_VARIANTS = {"injury_detail"}
MAX_VARIANTS = 2


def role_pages(role: str) -> list[str]:
    """The GET pages of the access matrix the role opens: the public ones are the visitor's."""
    public = {name for name, entry in MATRIX.items() if entry.expected.get("anonymous") == 200}
    names = sorted(
        name for name, entry in MATRIX.items()
        if entry.method == "get" and name not in NOT_HTML
        and (name in public if role == "visitor" else entry.expected.get(role) == 200 and name not in public)
    )
    return names + (CURATOR_PAGES if role == "admin" else [])


CASES = [(role, name, screen) for role in ROLES for name in role_pages(role) for screen in SCREENS]


@pytest.fixture(autouse=True)
def _django_db_marker():
    """The module's world is seeded once and served by its own live server (`site`): no test
    here opens a transaction or empties the database (overrides pytest-django's fixture, which
    would, because of the django_db mark)."""


@pytest.fixture(autouse=True)
def _library():
    """Not needed here either: `site` seeds the reference data (overrides the browser conftest's)."""


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """The demo world, committed, and a live server of the module's own (pytest-django's
    live_server empties the database after every test). A Monday near today: the browser keeps
    the session cookies the server sets."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock(), time_machine.travel(next_monday(), tick=True):
        try:
            seed_reference_data()
            VISITS.clear()
            demo = rich_demo.build()
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            server.demo = demo
            yield server
            server._live_server_modified_settings.disable()
            server.stop()
        finally:
            call_command("flush", interactive=False, verbosity=0)
            seed_reference_data()
            connections.close_all()


def _who(role, visit) -> str | None:
    """The persona that opens this visit as `role`, or None when it is not the role's."""
    if role == "visitor":
        return "anonymous" if visit.persona == "anonymous" else None
    if role == "athlete":
        if visit.persona == "athlete":
            return "phone:Alex"
        return visit.persona if visit.persona in {f"phone:{n}" for n in PHONE_ATHLETES} else None
    if visit.persona.startswith("phone:") or visit.persona == "anonymous":
        return None
    return role  # the admin opens the coach's pages as the admin


def _admin_url(name, demo) -> str:
    from programmes.models import Exercise

    if name == "admin:programmes_exercise_change":
        return reverse(name, args=[Exercise.objects.order_by("pk").first().pk])
    if name == "admin:programmes_programmetemplate_change":
        return reverse(name, args=[demo.library_templates[0].pk])
    return reverse(name)


VISITS: dict[str, list] = {}


def chosen(role, name, demo) -> list[tuple[str, str, str]]:
    """(label, persona, url) of what to open."""
    if name in CURATOR_PAGES:
        return [(name, "admin", _admin_url(name, demo))]
    if name not in VISITS:  # once per module: the matrix's objects are made as they are asked for
        VISITS[name] = visits(name, demo)
    found = []
    for visit in VISITS[name]:
        who = _who(role, visit)
        if who and visit.method == "get" and (who, visit.url) not in {(w, u) for _, w, u in found}:
            found.append((visit.label, who, visit.url))
    limit = len(found) if name in ALL_VARIANTS and role == "coach" else (1 if role == "admin" else MAX_VARIANTS)
    return found[:limit]


class Tab:
    """One signed-in browser tab, reused by the tests, with what it saw since `clear()`."""

    def __init__(self, context, origin):
        self.context, self.origin = context, origin
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))
        self.page.on("response", self._response)

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.errors.append(f"CSP violation: {message.text[:300]}")
        elif message.type == "error":
            self.errors.append(f"console error: {message.text[:300]}")

    def _response(self, response):
        if response.status >= 400 and response.url.startswith(self.origin):
            self.errors.append(f"{response.status} for {response.url.removeprefix(self.origin)}")

    def clear(self):
        self.errors.clear()


@pytest.fixture(scope="module")
def tabs(site, browser):
    """A tab per (persona, screen), signed in once through the sign-in form."""
    demo = site.demo
    users = {"coach": demo.coach, "admin": demo.admin, **{f"phone:{n}": demo.phone_athletes[n] for n in PHONE_ATHLETES}}
    states, open_tabs = {}, {}

    def password(user):
        return rich_demo.DEMO_PASSWORD if user.check_password(rich_demo.DEMO_PASSWORD) else PASSWORD

    def tab(persona, screen) -> Tab:
        if persona == "anonymous":
            states[persona] = None
        if persona not in states:
            context = browser.new_context(**SCREENS["desktop"])
            page = context.new_page()
            page.goto(f"{site.url}/accounts/login/")
            user = users[persona]
            page.get_by_label("Email").fill(user.email)
            page.get_by_label("Password").fill(password(user))
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_load_state()
            assert "/accounts/login" not in page.url, f"{persona} could not sign in"
            states[persona] = context.storage_state()
            context.close()
        if (persona, screen) not in open_tabs:
            context = browser.new_context(**SCREENS[screen], storage_state=states[persona])
            context.add_init_script(script=AXE.axe_script)
            open_tabs[persona, screen] = Tab(context, site.url)
        return open_tabs[persona, screen]

    yield tab
    for opened in open_tabs.values():
        opened.context.close()


# axe-core is loaded into every page of the tabs by an init script (`tabs`), not sent to each page
# over the DevTools connection; the page answers only the serious and critical violations, not the
# whole report: axe's part of a visit went from 0.34 to 0.22 s, the page's load took 0.03 s longer.
AXE = Axe()
AXE_SERIOUS = """axe.run(document, {resultTypes: ["violations"]}).then(results => results.violations
  .filter(v => v.impact === "serious" || v.impact === "critical")
  .map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => ({target: n.target}))})))"""


def problems_on(tab: Tab, url: str, screen: str) -> list[str]:
    page = tab.page
    tab.clear()
    # goto returns at the load event, when every stylesheet, script and image has answered. No page
    # fetches anything after it (no hx-trigger="load"; the service worker's own requests are not the
    # page's), so waiting for "networkidle" (half a second of quiet a visit) only cost a minute a run.
    response = page.goto(url)
    found = []
    if response is None or response.status != 200:
        found.append(f"answered {response.status if response else 'nothing'}")
    if "/accounts/login" in page.url and "/accounts/login" not in url:
        return [*found, "sent to the sign-in page"]
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    expected = SCREENS[screen]["viewport"]["width"]
    if width[0] > width[1] or width[1] != expected:
        found.append(f"scrolls sideways: {width[0]} px wide in a {expected} px window")
    icon = page.evaluate(
        "(document.querySelector('link[rel~=\"icon\"]') || {}).href || new URL('/favicon.ico', location.href).href"
    )
    icon_status = page.request.get(icon).status
    if icon_status >= 400:
        found.append(f"icon {icon.removeprefix(tab.origin)} answers {icon_status}")
    found += [
        f"axe {v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in page.evaluate(AXE_SERIOUS)
    ]
    return found + list(dict.fromkeys(tab.errors))


@pytest.mark.parametrize(("role", "name", "screen"), CASES, ids=[f"{r}-{n}-{s}" for r, n, s in CASES])
def test_every_page_works_on_every_screen(role, name, screen, site, tabs):
    opened = chosen(role, name, site.demo)
    assert opened, f"nothing to open for {name} as {role}"
    problems = []
    for label, persona, url in opened:
        problems += [f"{label} ({url}): {problem}" for problem in problems_on(tabs(persona, screen), site.url + url, screen)]
    assert not problems, "\n".join(problems)


def test_the_axe_scan_reports_a_serious_problem(site, tabs):
    """The scan as the sweep runs it (axe loaded by the tabs' init script) finds a critical problem
    put on a page: an image with no text alternative."""
    tab = tabs("anonymous", "phone")
    tab.page.goto(site.url + reverse("login"))
    tab.page.evaluate("document.querySelector('main').append(Object.assign(document.createElement('img'), {src: '/favicon.ico'}))")
    found = tab.page.evaluate(AXE_SERIOUS)
    assert [(v["id"], v["impact"]) for v in found] == [("image-alt", "critical")]
    assert found[0]["nodes"] == [{"target": ["img"]}]


def test_the_roles_have_their_pages():
    """The sweep covers what it says (a page dropped from the lists fails here)."""
    assert {"home", "injury_detail", "athlete_programme", "exercise_library", "team_programme"} <= set(role_pages("coach"))
    assert {"athlete_home", "session_detail", "athlete_history", "calendar_settings"} <= set(role_pages("athlete"))
    assert {"admin:index", "athlete_erase", *CURATOR_PAGES} <= set(role_pages("admin"))
    assert {"login", "password_reset", "invitation_accept"} <= set(role_pages("visitor"))
