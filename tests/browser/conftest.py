import os

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import IN_CI

CHROMIUM = "/usr/bin/chromium"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


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
