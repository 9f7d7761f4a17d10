"""A paginator whose page brings its own total: one query a page where Django's takes two."""

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Count, Window

TOTAL = "paging_total"  # the annotation each row of the page carries


class CountedPaginator(Paginator):
    """Django's Paginator over a queryset, but a page's rows come with the number of all rows, a
    window count (``COUNT(*) OVER ()``) in the same query, where Django counts first
    (docs/architecture.md#services-selectors-and-views). PostgreSQL still works a row's costly
    columns out for the page's rows only.

    A page number it does not take as it is (not a whole number from 1, or past the last page), a
    count already known, a list, and a DISTINCT queryset (the window would count the rows before
    DISTINCT) go Django's own way, with Django's answer: its page, its error, or for ``get_page``
    page 1 or the last page. The roster, the board and the API's lists (api/pagination.py) use it.
    """

    def page(self, number):
        whole = _whole_number(number)
        query = getattr(self.object_list, "query", None)  # a list, not a queryset: Django's way
        if whole is None or query is None or query.distinct or "count" in self.__dict__ or self.orphans:
            return super().page(number)
        bottom = (whole - 1) * self.per_page
        rows = list(self.object_list.annotate(**{TOTAL: Window(Count("pk"))})[bottom:bottom + self.per_page])
        if rows:
            self.count = getattr(rows[0], TOTAL)  # Django's cached count, never queried
        elif whole == 1 and self.allow_empty_first_page:
            self.count = 0
        else:  # past the last page: Django's EmptyPage
            return super().page(number)
        return self._get_page(rows, whole, self)

    def get_page(self, number):
        try:
            return self.page("1" if number in (None, "") else number)
        except InvalidPage:  # Django's answer: page 1, or the last page
            return super().get_page(number)


def _whole_number(number) -> int | None:
    """A page number from 1 written as digits (or an int), else None; at most 9 digits."""
    text = str(number) if isinstance(number, (int, str)) and not isinstance(number, bool) else ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 and int(text) >= 1 else None
