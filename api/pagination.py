from rest_framework.pagination import PageNumberPagination

from athletes.paging import CountedPaginator


class Pages(PageNumberPagination):
    """50 a page (`?page=2`); `next` and `previous` are full URLs, or null. Each page's rows come
    with their total in one query (athletes/paging.py)."""

    page_size = 50
    django_paginator_class = CountedPaginator

    def get_page_number(self, request, paginator):
        # DRF reads an empty `?page=` as page 1; it is not a page number, so it is refused (404,
        # as `?page=x` is), as the schema says (an integer).
        number = request.query_params.get(self.page_query_param)
        if number is None:
            return 1
        return paginator.num_pages if number in self.last_page_strings else number
