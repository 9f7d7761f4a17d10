from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.athlete_home, name="athlete_home"),
    path("me/sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("me/exercises/<int:pk>/sets/<int:number>/", views.set_log, name="set_log"),
    path("me/sessions/<int:pk>/finish/", views.session_finish, name="session_finish"),
    path("me/sessions/<int:pk>/morning/", views.session_morning, name="session_morning"),
    path("me/history/", views.athlete_history, name="athlete_history"),
    path("me/calendar/", views.calendar_settings, name="calendar_settings"),
    path("me/report/", views.report_create, name="report_create"),
    path("me/reports/<int:pk>/", views.report_sent, name="report_sent"),
    path("me/effort/", views.session_effort, name="session_effort"),
    path("me/wellness/", views.wellness_check, name="wellness_check"),
    # The token is URL-safe base64 (secrets.token_urlsafe): anything else is no feed, not a query.
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]
