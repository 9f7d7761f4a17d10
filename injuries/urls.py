from django.urls import path

from . import views

urlpatterns = [
    path("athletes/<int:athlete_pk>/complaints/new/", views.complaint_create, name="complaint_create"),
    path("athletes/<int:athlete_pk>/complaints/preview/", views.complaint_preview, name="complaint_preview"),
    path("complaints/", views.inbox, name="complaint_inbox"),
    path("complaints/<int:pk>/confirm/", views.complaint_confirm, name="complaint_confirm"),
    path("injuries/<int:pk>/", views.injury_detail, name="injury_detail"),
    path("injuries/<int:pk>/override/", views.injury_override, name="injury_override"),
    path("injuries/<int:pk>/phase/", views.injury_phase, name="injury_phase"),
    path("injuries/<int:pk>/checklist/<str:item>/", views.injury_check, name="injury_check"),
    path("injuries/<int:pk>/details/", views.injury_details, name="injury_details"),
    path("injuries/<int:pk>/history/", views.injury_history, name="injury_history"),
    path("injuries/<int:pk>/doctor-review/", views.injury_doctor_review, name="injury_doctor_review"),
    path("episodes/<int:pk>/", views.episode_detail, name="episode_detail"),
    path("episodes/<int:pk>/end/", views.episode_end, name="episode_end"),
    path("board/", views.availability_board, name="availability_board"),
    path("teams/<int:pk>/injuries/export/", views.team_export, name="team_export"),
]
