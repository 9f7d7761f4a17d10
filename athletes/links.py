"""Links for the rows of a list page, reversed once per page rather than once per row.

A list page of 100 athletes calls ``reverse()`` (or ``{% url %}``) 100 times for the same URL
pattern with a different id; each call walks the URL resolver. ``by_pk(name)`` reverses the
pattern once, with a marker in place of the id, and returns a function that fills an id in: the
same URL, a string format per row (docs/architecture.md#services-selectors-and-views).
"""

from typing import Callable

from django.urls import reverse

# An id no row has (ids are positive and far smaller), written only where the id goes.
_MARKER = 987654321987654321


def by_pk(name: str) -> Callable[[int], str]:
    """``by_pk("athlete_detail")(7) == reverse("athlete_detail", args=[7])``, for a URL whose one
    argument is an id. Reversed per call (not at import): the URLconf may differ per request."""
    url = reverse(name, args=[_MARKER])
    if url.count(str(_MARKER)) != 1:  # never expected: a pattern that repeats or reshapes the id
        return lambda pk: reverse(name, args=[pk])
    return url.replace(str(_MARKER), "{}", 1).format
