"""The API's lists answer in a fixed number of queries, whatever the number of rows."""

import pytest
from django.urls import reverse

from tests.factories import AthleteFactory, InjuryFactory, TestResultFactory, assigned_session

# Each: the token with its user, knox's sweep of the user's expired tokens, the page with its total
# (athletes/paging.py) and its prefetches, the access log's row. The board's page brings each
# athlete's open injury or episode (injuries/selectors.py with_board_record): no query of the
# injuries by id.
LISTS = {"api:athlete-list": 4, "api:complaint-list": 4, "api:injury-list": 5, "api:test-result-list": 4,
         "api:session-list": 6, "api:programme-list": 5, "api:board": 4, "api:team-list": 3, "api:notification-list": 4}


def _grow(world, n):
    from reminders.models import Notification

    for _ in range(n):
        Notification.objects.create(user=world.coach, kind="pain_alert", title="t", body="b", url="/")
        athlete = AthleteFactory(team=world.team)
        InjuryFactory(complaint__athlete=athlete)
        TestResultFactory(athlete=athlete)
        assigned_session(athlete, world.coach)


@pytest.mark.calendar
@pytest.mark.parametrize("name", sorted(LISTS))
@pytest.mark.parametrize("rows", [1, 4])
def test_lists_take_a_fixed_number_of_queries(api, world, django_assert_num_queries, name, rows):
    _grow(world, rows)
    client = api(world.coach)
    with django_assert_num_queries(LISTS[name]):
        assert client.get(reverse(name)).status_code == 200
