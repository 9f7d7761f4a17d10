"""An admin curates the exercise library on a desktop (1280×800): the pages pass axe, a fake video
is refused with a message that names it, and a real one is stored and played from /media/ by the
development server (docs/architecture.md#media)."""

import importlib

import pytest
from django.urls import clear_url_caches
from playwright.sync_api import expect

from programmes.models import Exercise, ProgrammeTemplate, TemplateSession
from tests.browser.conftest import assert_accessible, sign_in
from tests.programmes.test_media import EXE, MP4

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def debug_media(settings, tmp_path):
    """`make run`'s URLconf (DEBUG on: coachapp/urls.py serves uploads) over an empty media folder."""
    import coachapp.urls

    settings.MEDIA_ROOT = tmp_path
    settings.DEBUG = True
    importlib.reload(coachapp.urls)
    clear_url_caches()
    yield tmp_path
    settings.DEBUG = False
    importlib.reload(coachapp.urls)
    clear_url_caches()


@pytest.fixture
def admin_page(page, live_server, world, password):
    page.set_viewport_size(DESKTOP)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    sign_in(page, live_server.url, world.admin.email, password)
    yield page
    assert not missing, missing  # no favicon or other 404 on the way


def _assert_fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_admin_pages_a_curator_uses_pass_axe_and_name_every_input(admin_page, live_server):
    page = admin_page
    page.goto(f"{live_server.url}/admin/programmes/exercise/")
    expect(page.get_by_role("link", name="Full Nordic curl")).to_be_visible()
    expect(page.locator('link[rel="icon"]')).to_have_attribute("href", "/static/icons/icon.svg")
    expect(page.get_by_label("Rung, Full Nordic curl")).to_have_value("3")
    assert_accessible(page)

    page.get_by_role("link", name="Full Nordic curl").click()
    expect(page.get_by_label("Steps")).to_contain_text("Kneel on a pad")
    assert_accessible(page)

    template = ProgrammeTemplate.objects.get(name="Nordic prevention, 10 weeks", owner=None)
    page.goto(f"{live_server.url}/admin/programmes/programmetemplate/{template.pk}/change/")
    expect(page.get_by_label("Week, row 1", exact=True)).to_have_value("1")
    expect(page.get_by_label("Title, row 1", exact=True)).to_have_value("Nordic block, week 1")
    assert_accessible(page)
    page.get_by_role("button", name="Add another Template session").click()
    added = page.locator(f"#id_sessions-{template.sessions.count()}-title")
    expect(added).to_be_visible()
    expect(added).to_have_attribute("aria-label", "Title, new row")
    assert_accessible(page)

    session = TemplateSession.objects.filter(template=template).order_by("week", "order").first()
    page.goto(f"{live_server.url}/admin/programmes/templatesession/{session.pk}/change/")
    expect(page.get_by_label("Sets, row 1", exact=True)).to_be_visible()
    assert_accessible(page)
    _assert_fits(page)


def test_a_fake_video_is_refused_and_a_real_one_plays_from_media(admin_page, live_server, debug_media):
    page = admin_page
    exercise = Exercise.objects.get(key="nordic_full")
    change = f"{live_server.url}/admin/programmes/exercise/{exercise.pk}/change/"
    page.goto(change)
    page.get_by_label("Demo video file").set_input_files({"name": "fake.mp4", "mimeType": "video/mp4", "buffer": EXE})
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist")).to_contain_text("“fake.mp4” is not a video: its content is not MP4 or WebM")
    assert_accessible(page)
    exercise.refresh_from_db()
    assert not exercise.video and not any(debug_media.rglob("*"))

    page.get_by_label("Demo video file").set_input_files({"name": "nordic.mp4", "mimeType": "video/mp4", "buffer": MP4})
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    exercise.refresh_from_db()
    assert exercise.video.name == "exercise-videos/nordic.mp4"

    # The coach's library plays it from /media/, served by the development server.
    page.goto(f"{live_server.url}/programmes/exercises/?family=nordic")
    page.get_by_text("How to do it: Full Nordic curl").click()
    video = page.get_by_label("Demo: Full Nordic curl")
    expect(video).to_have_attribute("src", "/media/exercise-videos/nordic.mp4")
    expect(page.get_by_text("Lower towards the floor as slowly as you can")).to_be_visible()
    assert_accessible(page)
    _assert_fits(page)
    served = page.request.get(f"{live_server.url}/media/exercise-videos/nordic.mp4")
    assert served.status == 200 and served.body() == MP4
    assert served.headers["content-type"] == "video/mp4"
