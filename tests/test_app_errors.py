"""One base class for the application's refusals, and what happens to one a view did not catch."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from athletes.errors import AppError
from athletes.services import InvitationError, ThrottleError
from coachapp.middleware import AppErrorMiddleware
from injuries.services import InjuryError, PhaseChangeError
from programmes.services import AssignmentError, SessionLogError, SessionMoveError
from testing.services import TestResultError


@pytest.mark.parametrize(
    "error",
    [InvitationError, ThrottleError, InjuryError, PhaseChangeError, AssignmentError, SessionLogError,
     SessionMoveError, TestResultError],
)
def test_every_refusal_is_an_app_error(error):
    assert issubclass(error, AppError)


def _request(**headers):
    request = RequestFactory().post("/somewhere/", headers=headers)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request.htmx = "HX-Request" in headers
    return request


def _middleware():
    return AppErrorMiddleware(lambda request: None)


def test_an_uncaught_refusal_goes_back_with_its_message():
    request = _request(Referer="http://testserver/injuries/4/")
    response = _middleware().process_exception(request, SessionLogError("This session was already finished."))
    assert response.status_code == 302 and response["Location"] == "http://testserver/injuries/4/"
    assert [str(m) for m in get_messages(request)] == ["This session was already finished."]


def test_a_foreign_referer_is_not_followed():
    request = _request(Referer="https://evil.example.org/")
    response = _middleware().process_exception(request, AssignmentError("No sessions to schedule."))
    assert response["Location"] == "/"


def test_htmx_gets_the_message_as_a_400():
    request = _request(**{"HX-Request": "true"})
    response = _middleware().process_exception(request, InjuryError("Write why."))
    assert response.status_code == 400 and response.content.decode() == "Write why."


def test_other_exceptions_are_left_alone():
    assert _middleware().process_exception(_request(), KeyError("x")) is None
