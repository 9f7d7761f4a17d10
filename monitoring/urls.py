from django.urls import path

from .views import athlete, gps, team

# Coach pages of load, exposure and the recurrence watch (docs/load-and-risk.md). The athlete's own
# phone pages (session effort, the wellness check) are phone's (phone/urls.py).
urlpatterns = [
    path("teams/<int:pk>/load/", team.team_load, name="team_load"),
    path("teams/<int:pk>/load/log/", team.team_session_log, name="team_session_log"),
    path("teams/<int:pk>/watch/", team.team_watch, name="team_recurrence_watch"),
    path("teams/<int:pk>/gps/import/", gps.team_gps_import, name="team_gps_import"),
    path("gps/import-example.csv", gps.gps_import_example, name="gps_import_example"),
    path("athletes/<int:athlete_pk>/load/", athlete.athlete_load, name="athlete_load"),
    path("athletes/<int:athlete_pk>/max-velocity/", athlete.max_velocity_set, name="max_velocity_set"),
    path("athletes/<int:athlete_pk>/prior-injuries/new/", athlete.prior_injury_create, name="prior_injury_create"),
]
