"""athletes/paging.py: the roster's and the board's pages read their rows and the total in one
query, and answer every page number as Django's Paginator does."""

import pytest
from django.core.paginator import Paginator

from athletes.models import Athlete
from athletes.paging import CountedPaginator
from tests.factories import AthleteFactory

NUMBERS = [None, "", "1", "2", "3", "4", "5", "0", "-1", "abc", "1.0", "2.5", " 2", "２", "99", "9" * 30, 1, 3, 2.0]


@pytest.fixture
def athletes(db):
    AthleteFactory.create_batch(7)
    return Athlete.objects.order_by("last_name", "pk")


@pytest.mark.parametrize("number", NUMBERS, ids=repr)
@pytest.mark.parametrize("per_page", [3, 7, 10])
def test_every_page_number_gets_djangos_page(athletes, number, per_page):
    ours, theirs = CountedPaginator(athletes, per_page).get_page(number), Paginator(athletes, per_page).get_page(number)
    assert ours.number == theirs.number
    assert [a.pk for a in ours] == [a.pk for a in theirs]
    assert (ours.paginator.count, ours.paginator.num_pages) == (theirs.paginator.count, theirs.paginator.num_pages) == (7, -(-7 // per_page))
    assert (ours.has_next(), ours.has_previous(), ours.start_index(), ours.end_index()) == (
        theirs.has_next(), theirs.has_previous(), theirs.start_index(), theirs.end_index())


@pytest.mark.parametrize("number", ["1", "2", "3"])
def test_a_page_and_its_total_take_one_query(athletes, django_assert_num_queries, number):
    with django_assert_num_queries(1):
        page = CountedPaginator(athletes, 3).get_page(number)
        assert page.paginator.count == 7 and len(page) == (1 if number == "3" else 3)


@pytest.mark.parametrize("number", NUMBERS, ids=repr)
def test_every_page_number_gets_djangos_page_or_error(athletes, number):
    """``page`` (what the API's pages call) answers as Django's does, its error included."""
    def answer(paginator):
        try:
            page = paginator.page(number)
        except Exception as error:  # noqa: BLE001 (compared, not swallowed)
            return type(error).__name__, str(error)
        return page.number, [a.pk for a in page], paginator.count
    assert answer(CountedPaginator(athletes, 3)) == answer(Paginator(athletes, 3))


def test_nothing_to_show_is_an_empty_first_page(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        page = CountedPaginator(Athlete.objects.order_by("pk"), 3).get_page("1")
    assert (page.number, page.paginator.count, page.paginator.num_pages, list(page)) == (1, 0, 1, [])
    with django_assert_num_queries(0):
        assert CountedPaginator(Athlete.objects.none(), 3).get_page(None).paginator.count == 0


def test_a_distinct_queryset_is_counted_after_distinct(athletes):
    """Each athlete joined to each teammate, made distinct again: Django's count, not the join's."""
    distinct = Athlete.objects.filter(team__athletes__isnull=False).distinct().order_by("pk")
    assert CountedPaginator(distinct, 3).get_page("1").paginator.count == Paginator(distinct, 3).count


def test_a_list_is_paged_as_django_pages_it(athletes):
    rows = list(athletes)
    ours, theirs = CountedPaginator(rows, 3).get_page("2"), Paginator(rows, 3).get_page("2")
    assert (list(ours), ours.paginator.count) == (list(theirs), theirs.paginator.count) == (rows[3:6], 7)
