"""Every URL in the URLconf, opened by each of the six personas.

A new URL that is not listed in MATRIX fails `test_every_url_is_in_the_matrix`, so nothing
can be added without deciding who may open it.
"""

from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS
from tests.factories import (
    ComplaintFactory,
    InjuryFactory,
    InvitationFactory,
    ProgrammeTemplateFactory,
    TestResultFactory,
    assigned_session,
    complaint_answers,
    progression_alert,
)


@dataclass
class Entry:
    expected: dict[str, int]
    kwargs: Callable = field(default=lambda world: {})
    method: str = "get"
    data: Callable = field(default=lambda world: {})


def expect(anonymous, coach, other_coach, athlete, other_athlete, admin):
    return dict(zip(PERSONAS, [anonymous, coach, other_coach, athlete, other_athlete, admin]))


PUBLIC = expect(200, 200, 200, 200, 200, 200)
SIGNED_IN = expect(302, 200, 200, 200, 200, 200)
COACHES = expect(302, 200, 200, 403, 403, 200)
OWN_COACH = expect(302, 200, 404, 403, 403, 200)
OWN_COACH_POST = expect(302, 302, 404, 403, 403, 302)
COACHES_POST = expect(302, 302, 302, 403, 403, 302)
ATHLETES = expect(302, 403, 403, 200, 200, 403)
ATHLETES_POST = expect(302, 403, 403, 302, 302, 403)


def _athlete(world):
    return {"pk": world.athlete.pk}


def _athlete_pk(world):
    return {"athlete_pk": world.athlete.pk}


def _injury(world):
    return {"pk": InjuryFactory(complaint__athlete=world.athlete).pk}


def _pending_report(world):
    return {"pk": ComplaintFactory(athlete=world.athlete, pending=True).pk}


def _urgent_injury(world):
    return {"pk": InjuryFactory(complaint__athlete=world.athlete, complaint__answers={"numbness": True}).pk}


def _episode(world):
    """A DOMS without a red flag: a minor episode, not an injury."""
    from injuries import examples
    from injuries.services import complaint_log

    episode = complaint_log(athlete=world.athlete, logged_by=world.coach, answers=examples.typed_answers("doms"))
    return {"pk": episode.pk}


def _doctor_review(world):
    from django.utils import timezone

    return {"reviewer": "Dr Okafor", "reviewed_on": timezone.localdate().isoformat(), "note": "No tear; rehab may start."}


OWNER_ONLY = expect(302, 200, 404, 403, 403, 403)  # a coach's own template: not even admins edit it
OWNER_ONLY_POST = expect(302, 302, 404, 403, 403, 403)


def _template(world):
    return {"pk": ProgrammeTemplateFactory(owner=world.coach).pk}


def _template_session(world):
    return {"pk": ProgrammeTemplateFactory(owner=world.coach).sessions.get().pk}


def _team(world):
    return {"pk": world.team.pk}


def _alert(world):
    return {"pk": progression_alert(world.athlete, world.coach).pk}


OWN_ATHLETE = expect(302, 403, 403, 200, 404, 403)  # the athlete's own session, on their phone
OWN_ATHLETE_POST = expect(302, 403, 403, 302, 404, 403)


def _session(world):
    return {"pk": assigned_session(world.athlete, world.coach).pk}


def _set(world):
    return {"pk": assigned_session(world.athlete, world.coach).exercises.first().pk, "number": 1}


def _finished_session(world):
    from programmes.services import session_complete

    session = assigned_session(world.athlete, world.coach)
    session_complete(session=session, worst_pain=1, sharp_pain=False)
    return {"pk": session.pk}


def _next_week(world):
    from datetime import timedelta

    from django.utils import timezone

    return {"date": (timezone.localdate() + timedelta(days=7)).isoformat()}


def _feed(world):
    from programmes.services import calendar_token_regenerate

    return {"token": calendar_token_regenerate(athlete=world.athlete)}


def _notification(world):
    from reminders.models import Notification

    return {"pk": Notification.objects.create(user=world.coach, kind="pain_alert", title="t", body="b", url="/").pk}


def _complaint_answers(world):
    return complaint_answers()


def _fresh_invitation(world):
    token = "matrix-token-0123456789"
    InvitationFactory(token=token, team=world.team, athlete__email="newcomer@example.com")
    return {"token": token}


def _max_velocity(world):
    from datetime import timedelta

    from django.utils import timezone

    return {"velocity": "9.2", "measured_on": (timezone.localdate() - timedelta(days=2)).isoformat()}


def _test_result(world):
    return {"pk": TestResultFactory(athlete=world.athlete).pk}


def _endpoint(world):
    from webhooks.services import endpoint_create

    endpoint, _ = endpoint_create(team=world.team, url="https://hooks.example.com/in", events=["injury.opened"],
                                  created_by=world.coach)
    return {"pk": endpoint.pk}


def _delivery(world):
    from django.utils import timezone

    from webhooks.models import Delivery, WebhookEvent

    endpoint = _endpoint(world)["pk"]
    event = WebhookEvent.objects.create(type="injury.opened", key="matrix", team=world.team,
                                        athlete_id=world.athlete.pk, payload={}, created_at=timezone.now())
    return {"pk": Delivery.objects.create(event=event, endpoint_id=endpoint, status="failed").pk}


MATRIX: dict[str, Entry] = {
    "health": Entry(PUBLIC),
    "login": Entry(expect(200, 302, 302, 302, 302, 302)),
    # The second sign-in step: without a password just accepted, everyone goes back to sign in.
    "login_code": Entry(expect(302, 302, 302, 302, 302, 302)),
    "two_factor": Entry(COACHES),
    # The security page's actions: each a POST that answers with a redirect to the page.
    "two_factor_begin": Entry(COACHES_POST, method="post"),
    "two_factor_enable": Entry(COACHES_POST, method="post"),
    "two_factor_cancel": Entry(COACHES_POST, method="post"),
    "recovery_codes_renew": Entry(COACHES_POST, method="post"),
    "two_factor_disable": Entry(COACHES_POST, method="post"),
    "sessions_end_others": Entry(COACHES_POST, method="post"),
    "logout": Entry(expect(302, 302, 302, 302, 302, 302), method="post"),
    "password_change": Entry(SIGNED_IN),
    "password_change_done": Entry(SIGNED_IN),
    "password_reset": Entry(PUBLIC),
    "password_reset_done": Entry(PUBLIC),
    "password_reset_confirm": Entry(PUBLIC, kwargs=lambda w: {"uidb64": "MQ", "token": "bad-token"}),
    "password_reset_complete": Entry(PUBLIC),
    "home": Entry(expect(302, 200, 200, 302, 302, 302)),
    "athlete_home": Entry(ATHLETES),
    "roster": Entry(COACHES),
    "athlete_create": Entry(COACHES),
    "athlete_detail": Entry(OWN_COACH, kwargs=_athlete),
    "athlete_edit": Entry(OWN_COACH, kwargs=_athlete),
    "athlete_archive": Entry(OWN_COACH_POST, kwargs=_athlete, method="post", data=lambda w: {"archive": "1"}),
    "athlete_invite": Entry(OWN_COACH_POST, kwargs=_athlete, method="post"),
    "team_invite_coach": Entry(OWN_COACH, kwargs=_team),
    # The athlete's data rights: the athlete and admins download; only admins erase.
    "athlete_data_export": Entry(expect(302, 403, 403, 200, 404, 200), kwargs=_athlete),
    "athlete_erase": Entry(expect(302, 403, 403, 403, 403, 200), kwargs=_athlete),
    "invitation_accept": Entry(PUBLIC, kwargs=_fresh_invitation),
    "complaint_create": Entry(OWN_COACH, kwargs=_athlete_pk),
    "complaint_preview": Entry(OWN_COACH, kwargs=_athlete_pk, method="post", data=_complaint_answers),
    "complaint_inbox": Entry(COACHES),
    "complaint_confirm": Entry(OWN_COACH, kwargs=_pending_report),
    "injury_detail": Entry(OWN_COACH, kwargs=_injury),
    "injury_override": Entry(
        OWN_COACH_POST, kwargs=_injury, method="post",
        data=lambda w: {"classification": "grade_3", "reason": "Scan showed a complete tear."},
    ),
    "injury_phase": Entry(
        OWN_COACH_POST, kwargs=_injury, method="post",
        data=lambda w: {"to_phase": "rehab", "override": "on", "reason": "Physio saw the athlete today."},
    ),
    "injury_doctor_review": Entry(OWN_COACH_POST, kwargs=_urgent_injury, method="post", data=_doctor_review),
    "episode_detail": Entry(OWN_COACH, kwargs=_episode),
    "episode_end": Entry(OWN_COACH_POST, kwargs=_episode, method="post"),
    "injury_check": Entry(
        OWN_COACH_POST, kwargs=lambda w: {**_injury(w), "item": "no_pain_on_touch"}, method="post",
        data=lambda w: {"done": "true"},
    ),
    "injury_details": Entry(OWN_COACH_POST, kwargs=_injury, method="post", data=lambda w: {"notes": "Scan booked."}),
    "injury_history": Entry(OWN_COACH, kwargs=_injury),
    "availability_board": Entry(COACHES),
    "team_export": Entry(
        OWN_COACH, kwargs=lambda w: {"pk": w.team.pk}, data=lambda w: {"start": "2025-01-01", "end": "2029-12-31"}
    ),
    "exercise_library": Entry(COACHES),
    "template_list": Entry(COACHES),
    "template_create": Entry(COACHES),
    "template_detail": Entry(OWN_COACH, kwargs=_template),
    "template_edit": Entry(OWNER_ONLY, kwargs=_template),
    "template_copy": Entry(OWN_COACH_POST, kwargs=_template, method="post"),
    "template_session_add": Entry(
        OWNER_ONLY_POST, kwargs=_template, method="post", data=lambda w: {"week": 2, "order": 1, "title": "More"}
    ),
    "template_session_edit": Entry(OWNER_ONLY, kwargs=_template_session),
    "template_assign": Entry(OWN_COACH, kwargs=_template),
    "athlete_programme": Entry(OWN_COACH, kwargs=_athlete),
    "team_programme": Entry(OWN_COACH, kwargs=_team),
    "alert_resolve": Entry(OWN_COACH_POST, kwargs=_alert, method="post"),
    "webmanifest": Entry(PUBLIC),
    "service_worker": Entry(PUBLIC),
    "session_detail": Entry(OWN_ATHLETE, kwargs=_session),
    "set_log": Entry(OWN_ATHLETE_POST, kwargs=_set, method="post"),
    "session_finish": Entry(
        OWN_ATHLETE_POST, kwargs=_session, method="post", data=lambda w: {"worst_pain": 2, "sharp_pain": "False"}
    ),
    "session_morning": Entry(
        OWN_ATHLETE_POST, kwargs=_finished_session, method="post", data=lambda w: {"feeling": "same", "pain": 1}
    ),
    "athlete_history": Entry(ATHLETES),
    "calendar_settings": Entry(ATHLETES),
    # A capability URL: the secret token is the key, whoever holds it (revoked: 404, tested apart).
    "calendar_feed": Entry(PUBLIC, kwargs=_feed),
    "session_move": Entry(OWN_COACH_POST, kwargs=_session, method="post", data=_next_week),
    "notification_list": Entry(SIGNED_IN),
    "notification_open": Entry(expect(302, 302, 404, 404, 404, 404), kwargs=_notification, method="post"),
    "notification_read_all": Entry(expect(302, 302, 302, 302, 302, 302), method="post"),
    "notification_preferences": Entry(SIGNED_IN),
    # Push on this device: anyone signed in, for their own devices only (tests/reminders/test_push.py).
    "push_subscribe": Entry(expect(302, 200, 200, 200, 200, 200), method="post", data=lambda w: {
        "endpoint": "https://fcm.googleapis.com/fcm/send/matrix", "p256dh": "BMatrixKey", "auth": "matrixAuth",
    }),
    "push_unsubscribe": Entry(expect(302, 302, 302, 302, 302, 302), method="post",
                              data=lambda w: {"endpoint": "https://fcm.googleapis.com/fcm/send/matrix"}),
    "report_create": Entry(ATHLETES),
    # A session's effort and the daily wellness check: each athlete logs their own (POSTs below).
    "session_effort": Entry(ATHLETES),
    "wellness_check": Entry(ATHLETES),
    # A report is seen by the athlete who sent it and nobody else on the phone side.
    "report_sent": Entry(expect(302, 403, 403, 200, 404, 403), kwargs=_pending_report),
    # Strength and range tests.
    "athlete_tests": Entry(OWN_COACH, kwargs=_athlete_pk),
    "test_result_create": Entry(OWN_COACH, kwargs=_athlete_pk, data=lambda w: {"test": "nordic"}),
    "test_result_delete": Entry(OWN_COACH_POST, kwargs=_test_result, method="post"),
    "tests_import_example": Entry(COACHES),
    "team_tests_import": Entry(OWN_COACH, kwargs=_team),
    "team_screening": Entry(OWN_COACH, kwargs=_team),
    # Monitoring: a team's weekly load, its session logged for everyone at once, the recurrence
    # watch. The log's POST, persona by persona: tests/monitoring/test_team_pages.py.
    "team_load": Entry(OWN_COACH, kwargs=_team),
    "team_session_log": Entry(OWN_COACH, kwargs=_team),
    "team_recurrence_watch": Entry(OWN_COACH, kwargs=_team),
    # GPS: a team's export, imported by its coaches (the page), and an example file.
    "team_gps_import": Entry(OWN_COACH, kwargs=_team),
    "gps_import_example": Entry(COACHES),
    # An athlete's load, exposure and risk (monitoring/views/athlete.py) and its two forms.
    "athlete_load": Entry(OWN_COACH, kwargs=_athlete_pk),
    "max_velocity_set": Entry(OWN_COACH_POST, kwargs=_athlete_pk, method="post", data=_max_velocity),
    "prior_injury_create": Entry(OWN_COACH_POST, kwargs=_athlete_pk, method="post",
                                 data=lambda w: {"approx_date": "2024-03-01", "side": "left", "grade": "2"}),
    # Webhooks: the team's coaches and admins.
    "team_webhooks": Entry(OWN_COACH, kwargs=_team),
    "webhook_switch": Entry(OWN_COACH_POST, kwargs=_endpoint, method="post"),
    "webhook_delete": Entry(OWN_COACH_POST, kwargs=_endpoint, method="post"),
    "webhook_delivery_replay": Entry(OWN_COACH_POST, kwargs=_delivery, method="post"),
    # The Django admin: staff only; everyone else is sent to its sign-in page, which is ours.
    "admin:index": Entry(expect(302, 302, 302, 302, 302, 200)),
    "admin_login": Entry(expect(302, 403, 403, 403, 403, 302)),
}


def _effort(world):
    from monitoring.services import today_for

    return {"day": today_for(world.athlete_user).isoformat(), "kind": "training", "rpe": 6, "minutes": 75}


def _wellness(world):
    return {"sleep": 4, "soreness": 2, "tightness_left": 1, "tightness_right": 0, "mood": 4}


# Pages whose form posts back to the page itself: the POST is checked too (MATRIX holds the GET).
# A saved answer redirects to the page; each athlete saves their own (tests/phone/test_effort_wellness.py).
POSTS: dict[str, Entry] = {
    "session_effort": Entry(ATHLETES_POST, method="post", data=_effort),
    "wellness_check": Entry(ATHLETES_POST, method="post", data=_wellness),
}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_in_the_matrix():
    # The API's routes have their own matrix, with tokens: tests/api/test_access.py.
    names = {name for name in _url_names(get_resolver().url_patterns) if not name.startswith(("admin:", "api:"))}
    assert names == set(MATRIX) - {"admin:index"}


# Their objects are dated from today (a session today, a move to next week, a review today).
DATED = {"injury_doctor_review", "session_move", "session_detail", "set_log", "session_finish", "session_morning",
         "alert_resolve", "athlete_programme", "team_programme", "athlete_home", "athlete_history"}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", [pytest.param(n, marks=pytest.mark.calendar) if n in DATED else n for n in sorted(MATRIX)])
def test_access(client, world, name, persona):
    entry = MATRIX[name]
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    url = reverse(name, kwargs=entry.kwargs(world))
    response = getattr(client, entry.method)(url, entry.data(world))
    assert response.status_code == entry.expected[persona], (name, persona, response.status_code)
    if response.status_code == 302 and persona == "anonymous" and name not in {"logout", "admin:index"}:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.calendar
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(POSTS))
def test_access_on_post(client, world, name, persona):
    entry = POSTS[name]
    user = world.persona(persona)
    if user is not None:
        client.force_login(user)
    response = client.post(reverse(name, kwargs=entry.kwargs(world)), entry.data(world))
    assert response.status_code == entry.expected[persona], (name, persona, response.status_code)
    if response.status_code == 302:
        expected = reverse("login") if persona == "anonymous" else reverse(name)
        assert response["Location"].startswith(expected), (name, persona, response["Location"])
