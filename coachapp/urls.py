from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from . import views

admin.site.site_header = "coachapp administration"
admin.site.site_title = "coachapp admin"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("manifest.webmanifest", views.webmanifest, name="webmanifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    # Browsers ask for /favicon.ico where a page names no icon (a JSON or CSV file opened in a tab).
    # Unnamed, so not in the access matrix; a plain redirect, as the icon's hashed name changes.
    path("favicon.ico", RedirectView.as_view(url=lazy(static_url, str)("icons/icon.svg"))),
    # The coach's home and athlete page and an athlete's data rights show every app's data, so the
    # project serves them (docs/architecture.md#layers).
    path("", views.home, name="home"),
    path("athletes/<int:pk>/", views.athlete_detail, name="athlete_detail"),
    path("athletes/<int:pk>/data.json", views.athlete_data_export, name="athlete_data_export"),
    path("athletes/<int:pk>/erase/", views.athlete_erase, name="athlete_erase"),
    # Sign-in, password resets, the security page, and the admin's sign-in (before admin/).
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("athletes.urls")),
    path("", include("injuries.urls")),
    path("", include("testing.urls")),
    path("", include("monitoring.urls")),
    path("", include("programmes.urls")),
    path("", include("phone.urls")),
    path("", include("reminders.urls")),
    path("", include("webhooks.urls")),
    path("api/v1/", include("api.urls")),
]

if settings.DEBUG and settings.MEDIA_STORAGE == "filesystem":
    # `make run` serves uploads (exercise videos) itself; a server leaves them to its proxy or to
    # an S3-compatible store (docs/architecture.md#media).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

if settings.BENCH_ENABLED:
    # `make bench` measures pages against this: the same server and middleware, no work.
    urlpatterns += [
        path("bench/bare/", views.bare, name="bench_bare"),
        path("bench/bare-signed-in/", views.bare_signed_in, name="bench_bare_signed_in"),
    ]
