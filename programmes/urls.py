from django.urls import path

from . import views

urlpatterns = [
    path("programmes/exercises/", views.exercise_library, name="exercise_library"),
    path("programmes/templates/", views.template_list, name="template_list"),
    path("programmes/templates/new/", views.template_create, name="template_create"),
    path("programmes/templates/<int:pk>/", views.template_detail, name="template_detail"),
    path("programmes/templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("programmes/templates/<int:pk>/copy/", views.template_copy, name="template_copy"),
    path("programmes/templates/<int:pk>/sessions/add/", views.template_session_add, name="template_session_add"),
    path("programmes/sessions/<int:pk>/", views.template_session_edit, name="template_session_edit"),
    path("programmes/templates/<int:pk>/assign/", views.template_assign, name="template_assign"),
    path("athletes/<int:pk>/programme/", views.athlete_programme, name="athlete_programme"),
    path("teams/<int:pk>/programme/", views.team_programme, name="team_programme"),
    path("programmes/sessions/<int:pk>/move/", views.session_move, name="session_move"),
    path("programmes/alerts/<int:pk>/resolve/", views.alert_resolve, name="alert_resolve"),
]
