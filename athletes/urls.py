from django.urls import path

from . import views

urlpatterns = [
    path("me/", views.athlete_home, name="athlete_home"),
    path("athletes/", views.roster, name="roster"),
    path("athletes/new/", views.athlete_create, name="athlete_create"),
    path("athletes/<int:pk>/edit/", views.athlete_edit, name="athlete_edit"),
    path("athletes/<int:pk>/archive/", views.athlete_archive, name="athlete_archive"),
    path("athletes/<int:pk>/invite/", views.athlete_invite, name="athlete_invite"),
    path("teams/<int:pk>/invite-coach/", views.team_invite_coach, name="team_invite_coach"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    # Django's own password-reset steps, throttled and ending lockouts. Named as Django names
    # them: reverse() finds the last pattern of a name, and this URLconf comes after Django's.
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
]
