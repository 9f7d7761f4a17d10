import os

# Set once for the whole browser run, before Playwright's driver starts (it reads its environment
# at launch): a service worker's own requests then show up as network events that a route can
# see, abort or fulfil, and `response.from_service_worker` is reported. Without it, Chromium's
# `context.set_offline(True)` does not reach the service worker (Playwright issue 2311), so a test
# of the phone offline cannot cut off the worker's fetches (tests/browser/test_offline_journey.py)
# nor tell what the worker served (tests/browser/test_phone_speed.py). Set here rather than in one
# test module, so that every browser test runs the same way whatever the order of their imports.
os.environ.setdefault("PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS", "1")

import pytest  # noqa: E402
from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import expect  # noqa: E402

from tests.conftest import IN_CI  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
# The journeys read as a British user does (the app's default language): dates such as "3 Dec 2026".
# tests/browser/test_time_zone_and_locale_journey.py opens an American browser on purpose.
LOCALE = "en-GB"
PHONE = {
    "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
    "locale": LOCALE,
}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": LOCALE}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, named: Playwright's own browser download cannot work here."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


CSP_VIOLATIONS: list[str] = []


def _watch_csp(page):
    """Chromium reports every blocked inline script or style on the console."""
    page.on(
        "console",
        lambda message: CSP_VIOLATIONS.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return page


@pytest.fixture
def page(page):
    return _watch_csp(page)


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(**PHONE)
    page = _watch_csp(context.new_page())
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _no_csp_violations():
    """Every journey runs under the real Content Security Policy, and breaks none of it."""
    CSP_VIOLATIONS.clear()
    yield
    assert not CSP_VIOLATIONS, CSP_VIOLATIONS


@pytest.fixture(autouse=True)
def _settle_htmx_before_teardown(request):
    """live_server flushes the database after each test: let htmx requests finish first."""
    yield
    for name in ("page", "phone_page"):
        if name in request.fixturenames:
            try:
                request.getfixturevalue(name).wait_for_load_state("networkidle", timeout=5000)
            except Exception:
                pass


def assert_accessible(page):
    """axe-core on the current page: no serious or critical violations."""
    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
    assert not bad, "\n".join(bad)


def sign_in(page, base_url, email, password):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


@pytest.fixture(autouse=True)
def _library(transactional_db):
    """live_server tests empty the database after each test, migrations' seed data included:
    put the exercise library and its templates back (idempotent)."""
    from django.apps import apps

    from programmes.library import seed

    seed(apps)


# --- Shared steps of the journeys ------------------------------------------------------------------

PHONE_WIDTH = PHONE["viewport"]["width"]


def answer_every_question(page, answers: dict):
    """Answer each complaint question the way a person does, from form data such as
    injuries.examples.FORM_ANSWERS: nothing is pre-answered any more, so every one is asked.

    Works on the coach's form and on the athlete's phone form (same names and choices, other
    wording): a radio is clicked by its visible choice, the hours typed into their box."""
    from injuries.forms import ComplaintForm

    for name, value in answers.items():
        question = page.locator(f"#q-{name}")
        if name == "hours_since_onset":
            question.get_by_role("spinbutton").fill(str(value))
            continue
        words = {str(choice): label for choice, label in ComplaintForm.base_fields[name].choices}[str(value)]
        question.get_by_text(words, exact=True).click()
        expect(question.get_by_role("radio", name=words, exact=True)).to_be_checked()


def assert_fits_phone(page):
    """Nothing scrolls sideways on a 390 px phone."""
    fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert fits, f"{page.url} scrolls sideways on a phone"
    assert page.evaluate("window.innerWidth") == PHONE_WIDTH


def tick(page, label):
    """Tick one checklist item; htmx swaps the checklist (and the criteria, out of band)."""
    button = page.locator("#checklist").get_by_role("button", name=label, exact=True)
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(page.locator("#checklist").get_by_role("button", name=label, exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )


def next_monday(now=None):
    """10:00 UTC on the Monday after today (real time): a known weekday, far from midnight, and
    close enough to the real date that the browser keeps the session cookie the server sets."""
    from datetime import datetime, time, timedelta, timezone

    now = now or datetime.now(timezone.utc)
    day = now.date() + timedelta(days=7 - now.weekday())
    return datetime.combine(day, time(10, 0), tzinfo=timezone.utc)


@pytest.fixture
def monday():
    """Pin the server's clock (time_machine, ticking) to next Monday 10:00 UTC for journeys that
    depend on today's weekday. The live server runs in this process, so it sees the same day."""
    import time_machine

    with time_machine.travel(next_monday(), tick=True):
        yield


# How many writes wait in the phone's offline queue (static/js/offline.js), read from IndexedDB.
QUEUE_SIZE = """() => indexedDB.databases().then(dbs => {
  if (!dbs.some(d => d.name === 'coachapp-offline')) return 0;
  return new Promise(resolve => {
    const open = indexedDB.open('coachapp-offline');
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('queue')) { db.close(); resolve(0); return; }
      const count = db.transaction('queue').objectStore('queue').count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
    };
  });
})"""


def settle_htmx(page):
    """Wait until no htmx request is in flight and the network is quiet (live_server flushes the
    database after the test: a late request must not race it)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.wait_for_load_state("networkidle")
