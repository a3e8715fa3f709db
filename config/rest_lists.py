"""Pagination and search for every list endpoint (kept apart from ``config.rest`` because
DRF imports these while it is still loading)."""

from rest_framework import filters, pagination


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class SearchFilter(filters.SearchFilter):
    """DRF's search, minus characters the database refuses in a query (NUL)."""

    def get_search_terms(self, request):
        return [t.replace("\x00", "") for t in super().get_search_terms(request) if t.strip("\x00")]
