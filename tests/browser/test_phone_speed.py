"""Issue 18, part 3: the athlete's home and session pages are quick on a weak signal after the
first visit (docs/architecture.md#the-phone-offline). Tests never time anything; they check the
cause instead: on a repeat visit only the page itself (its HTML) goes to the network, and that
HTML is small. Everything else (the style sheet, the scripts, htmx, the icons) comes from the
service worker's copy of the app shell or the browser's HTTP cache. `make bench-phone`
(bench/phone_speed.py) measures the times under Chrome DevTools' "Slow 4G" profile.

How a request is told apart, on a 390 × 844 phone:
- the server side: every request that reaches the live server is recorded (Django's
  `request_started`), so "went to the network" means exactly that;
- the browser side: Playwright's request events, with `response.from_service_worker` for what
  the worker answered (tests/browser/conftest.py turns on the worker's network events, so the
  worker's own fetches are seen too).
"""

import pytest
from django.core.signals import request_started

from tests.browser.conftest import PHONE, sign_in
from tests.factories import ProgrammeTemplateFactory, assigned_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The most HTML a page may send (Django sends pages uncompressed). On Slow 4G a repeat visit costs
# one round trip (562.5 ms) plus the HTML at 180,000 bytes a second: 40,000 bytes is 0.22 s, which
# leaves about 200 ms of the second for the server and the page's own work. (The demo athlete's
# session, with its steps and cues, is about 22,500 bytes; `make bench-phone` prints it.)
HTML_BUDGET_BYTES = 40_000


# What every athlete page loads besides its HTML (templates/base.html, templates/phone/).
SHELL = {"/static/css/app.css", "/static/js/app.js", "/static/js/offline.js", "/static/django_htmx/htmx-2.min.js",
         "/static/icons/icon.svg"}


class ServerRequests:
    """The paths that reached the live server since the last `take()`."""

    def __init__(self):
        self.paths: list[str] = []
        request_started.connect(self._seen, dispatch_uid="phone-speed")

    def _seen(self, sender, environ=None, **kwargs):
        self.paths.append(environ.get("PATH_INFO", "") if environ else "")

    def take(self) -> list[str]:
        taken, self.paths = self.paths, []
        return taken

    def close(self):
        request_started.disconnect(dispatch_uid="phone-speed")


@pytest.fixture
def server_requests():
    watcher = ServerRequests()
    yield watcher
    watcher.close()


class BrowserRequests:
    """Every request the page and its service worker made, with where its answer came from."""

    def __init__(self, context):
        self.rows: list[dict] = []
        context.on("requestfinished", self._finished)

    def _finished(self, request):
        response = request.response()
        self.rows.append({
            "url": request.url, "type": request.resource_type, "by_worker": request.service_worker is not None,
            "from_worker": bool(response and response.from_service_worker),
            "status": response.status if response else None,
        })

    def take(self) -> list[dict]:
        taken, self.rows = self.rows, []
        return taken


def _first_visit(page, urls):
    """Open each page once, and once more now that the service worker controls the page (it keeps
    the app shell at install, and the athlete's pages as they pass)."""
    for url in urls:
        page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    for url in urls:
        page.goto(url)
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.wait_for_load_state("networkidle")


def test_a_repeat_visit_downloads_only_the_small_html_of_the_page(browser, live_server, world, password, server_requests):
    session = assigned_session(world.athlete, world.coach, template=ProgrammeTemplateFactory(owner=world.coach))
    context = browser.new_context(**PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, world.athlete_user.email, password)
    pages = {"/me/": f"{live_server.url}/me/", f"/me/sessions/{session.pk}/": f"{live_server.url}/me/sessions/{session.pk}/"}
    _first_visit(page, pages.values())
    watched = BrowserRequests(context)
    server_requests.take()
    for path, url in pages.items():
        for visit in ("open", "reload"):
            response = page.goto(url) if visit == "open" else page.reload()
            page.wait_for_load_state("networkidle")
            seen = watched.take()
            # The server saw the page's own address and nothing else. (The worker's update check,
            # GET /sw.js, may run in the background after a navigation; it never holds a page up.)
            assert [p for p in server_requests.take() if p != "/sw.js"] == [path], (visit, path)
            # In the browser: the one request that left for the network is the worker fetching the
            # HTML (network first, so the athlete sees the coach's latest changes); the document, the
            # style sheet, every script and the icon were answered by the worker.
            network = [(r["url"], r["type"]) for r in seen if not r["from_worker"] and not r["url"].endswith("/sw.js")]
            assert network == [(url, "fetch")], (visit, path, network)
            from_worker = {r["url"].removeprefix(live_server.url) for r in seen if r["from_worker"]}
            assert {path, *SHELL} <= from_worker, (visit, path, from_worker)
            assert response.ok and response.from_service_worker
            size = len(response.body())
            assert size <= HTML_BUDGET_BYTES, f"{path} is {size} bytes of HTML, over the budget of {HTML_BUDGET_BYTES}"
    context.close()
