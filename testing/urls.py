from django.urls import path

from . import views

# The paths and names these pages had when they lived in injuries (issue 9).
urlpatterns = [
    path("athletes/<int:athlete_pk>/tests/", views.athlete_tests, name="athlete_tests"),
    path("athletes/<int:athlete_pk>/tests/new/", views.test_result_create, name="test_result_create"),
    path("tests/results/<int:pk>/delete/", views.test_result_delete, name="test_result_delete"),
    path("tests/import-example.csv", views.tests_import_example, name="tests_import_example"),
    path("teams/<int:pk>/tests/import/", views.team_tests_import, name="team_tests_import"),
    path("teams/<int:pk>/tests/screening/", views.team_screening, name="team_screening"),
]
