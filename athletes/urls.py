from django.urls import path

from . import views

urlpatterns = [
    path("athletes/", views.roster, name="roster"),
    path("athletes/new/", views.athlete_create, name="athlete_create"),
    path("athletes/<int:pk>/edit/", views.athlete_edit, name="athlete_edit"),
    path("athletes/<int:pk>/archive/", views.athlete_archive, name="athlete_archive"),
    path("athletes/<int:pk>/invite/", views.athlete_invite, name="athlete_invite"),
    path("teams/<int:pk>/invite-coach/", views.team_invite_coach, name="team_invite_coach"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
