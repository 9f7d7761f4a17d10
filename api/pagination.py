from rest_framework.pagination import PageNumberPagination


class Pages(PageNumberPagination):
    """50 a page (`?page=2`); `next` and `previous` are full URLs, or null."""

    page_size = 50
