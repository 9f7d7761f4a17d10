"""No page asks for an icon that is not there.

A page without a <link rel="icon"> makes the browser ask for /favicon.ico: the app's pages name the
icon (templates/base.html), so do the admin's (templates/admin/base_site.html), and /favicon.ico
itself leads to the icon for everything else (the error page of a crash, a JSON or CSV download
opened in a tab).
"""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

ICON = re.compile(r'<link rel="icon" href="([^"]+)"')


def _static_file(url):
    assert url.startswith(static("")), url
    return finders.find(url.removeprefix(static("")))


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in {301, 302}, f"/favicon.ico answers {response.status_code}"
    assert _static_file(response["Location"]), response["Location"]


@pytest.mark.parametrize("page", [
    "login", "admin:index", "admin:programmes_exercise_changelist", "admin:programmes_exercise_add",
    "admin:programmes_programmetemplate_changelist", "a page that is not there",
])
def test_every_kind_of_page_names_an_icon_that_exists(client, world, page):
    if page.startswith("admin:"):
        client.force_login(world.admin)
    response = client.get("/no-such-page/" if page == "a page that is not there" else reverse(page))
    assert response.status_code in {200, 404}
    icons = ICON.findall(response.content.decode())
    assert icons, f"{page} names no icon: the browser asks for /favicon.ico"
    assert all(_static_file(icon) for icon in icons), icons
