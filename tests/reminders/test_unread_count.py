"""The header's unread count comes with the signed-in user's own query (reminders/backends.py)."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from reminders import services
from reminders.backends import UnreadCountBackend
from reminders.models import Notification

pytestmark = pytest.mark.django_db


def _notify(user, n):
    return [Notification.objects.create(user=user, kind="pain_alert", title=f"t{i}", body="b", url="/") for i in range(n)]


def _header_count(client) -> str:
    html = client.get(reverse("notification_list")).content.decode()
    nav = html[html.index('<nav aria-label="Main">'):html.index("</nav>")]
    start = nav.find('<span class="count">')
    return "" if start < 0 else nav[start + len('<span class="count">'):].split("<", 1)[0]


def test_the_header_counts_only_the_users_unread_and_follows_each_read(coach_client, world):
    first, *_ = _notify(world.coach, 3)
    _notify(world.other_coach, 2)  # somebody else's
    assert _header_count(coach_client) == "3"
    services.notification_read(notification=first)
    assert _header_count(coach_client) == "2"
    services.notifications_read_all(user=world.coach)
    assert _header_count(coach_client) == ""


def test_a_session_loads_its_user_with_the_count_in_one_query(coach_client, world, django_assert_num_queries):
    _notify(world.coach, 2)
    assert coach_client.session[BACKEND_SESSION_KEY] == "reminders.backends.UnreadCountBackend"
    with django_assert_num_queries(1):
        user = UnreadCountBackend().get_user(world.coach.pk)
    assert user == world.coach and user.unread_notifications == 2


def test_an_inactive_or_unknown_user_is_nobody(world):
    world.coach.is_active = False
    world.coach.save(update_fields=["is_active"])
    assert UnreadCountBackend().get_user(world.coach.pk) is None
    assert UnreadCountBackend().get_user(10**9) is None


def test_a_user_loaded_another_way_is_counted_by_a_query_of_its_own(rf, world):
    """A user the session did not load (the sign-in request's own, say) has no count with them."""
    from reminders.context_processors import unread_notifications

    _notify(world.coach, 1)
    request = rf.get("/")
    request.user = type(world.coach).objects.get(pk=world.coach.pk)
    assert not hasattr(request.user, "unread_notifications")
    assert unread_notifications(request)["unread_count"] == 1
