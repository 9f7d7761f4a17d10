from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from athletes import views as athletes_views

from . import views

admin.site.site_header = "coachapp administration"
admin.site.site_title = "coachapp admin"

urlpatterns = [
    path("health/", views.health, name="health"),
    path("manifest.webmanifest", views.webmanifest, name="webmanifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    # The coach's home and athlete page and an athlete's data rights show every app's data, so the
    # project serves them (docs/architecture.md#layers).
    path("", views.home, name="home"),
    path("athletes/<int:pk>/", views.athlete_detail, name="athlete_detail"),
    path("athletes/<int:pk>/data.json", views.athlete_data_export, name="athlete_data_export"),
    path("athletes/<int:pk>/erase/", views.athlete_erase, name="athlete_erase"),
    path("accounts/login/", athletes_views.SignInView.as_view(), name="login"),
    path("accounts/login/code/", athletes_views.sign_in_code, name="login_code"),
    path("accounts/two-factor/", athletes_views.two_factor, name="two_factor"),
    # Django's auth steps, except the password reset and its confirmation, which athletes/urls.py
    # serves throttled (and which end lockouts): Django's unthrottled ones are not routed at all.
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/login/", athletes_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("athletes.urls")),
    path("", include("injuries.urls")),
    path("", include("programmes.urls")),
    path("", include("reminders.urls")),
]

if settings.BENCH_ENABLED:
    # `make bench` measures pages against this: the same server and middleware, no work.
    urlpatterns += [
        path("bench/bare/", views.bare, name="bench_bare"),
        path("bench/bare-signed-in/", views.bare_signed_in, name="bench_bare_signed_in"),
    ]
