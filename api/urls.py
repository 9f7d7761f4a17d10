"""/api/v1/: the JSON API's routes (docs/architecture.md#apps). Names are `api:<name>`."""

from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from . import account_views, views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("teams", views.TeamViewSet, basename="team")
router.register("athletes", views.AthleteViewSet, basename="athlete")
router.register("complaints", views.ComplaintViewSet, basename="complaint")
router.register("injuries", views.InjuryViewSet, basename="injury")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("sessions", views.SessionViewSet, basename="session")
router.register("test-results", views.TestResultViewSet, basename="test-result")
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    path("board/", views.BoardView.as_view(), name="board"),
    path("triage", views.TriageView.as_view(), name="triage"),
    path("schema/", views.SchemaView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
    # The security page's tokens section: session and CSRF, answered with a page or a redirect.
    path("tokens/new/", account_views.token_new, name="token_new"),
    path("tokens/revoke/", account_views.token_delete, name="token_delete"),
    *router.urls,
    re_path(r"", views.NotFoundView.as_view(), name="not_found"),  # last: JSON for any other address
]
