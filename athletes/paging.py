"""A paginator whose page brings its own total: one query a page where Django's takes two."""

from django.core.paginator import Paginator
from django.db.models import Count, Window

TOTAL = "paging_total"  # the annotation each row of the page carries


class CountedPaginator(Paginator):
    """Django's Paginator over a queryset, but ``get_page`` reads the page's rows together with the
    number of all rows, a window count (``COUNT(*) OVER ()``) in the same query, where Django counts
    first (docs/architecture.md#services-selectors-and-views). PostgreSQL still works a row's
    costly columns out for the page's rows only.

    A page number it does not take as it is (not a whole number from 1, or past the last page) and
    a DISTINCT queryset (the window would count the rows before DISTINCT) go Django's own way, with
    Django's result: page 1, or the last page.
    """

    def get_page(self, number):
        text = "1" if number in (None, "") else str(number)
        if not (text.isascii() and text.isdigit() and len(text) <= 9 and int(text) >= 1) or self.orphans or self.object_list.query.distinct:
            return super().get_page(number)
        number = int(text)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list.annotate(**{TOTAL: Window(Count("pk"))})[bottom:bottom + self.per_page])
        if rows:
            self.count = getattr(rows[0], TOTAL)  # Django's cached count, never queried
        elif number == 1 and self.allow_empty_first_page:
            self.count = 0
        else:  # past the last page
            return super().get_page(number)
        return self._get_page(rows, number, self)
