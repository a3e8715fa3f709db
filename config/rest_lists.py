"""Pagination and search for every list endpoint (kept apart from ``config.rest`` because
DRF imports these while it is still loading)."""

from rest_framework import filters, pagination


class Pagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


class SearchFilter(filters.SearchFilter):
    """DRF's search, minus characters the database refuses in a query (NUL).

    A queryset with a ``search(text)`` method (organisations, capacities, partnerships) is
    searched with it, the function the pages call: the typed text is normalised alike (case,
    accents, spaces; see ``actors.text``) instead of DRF's ``icontains``, which on SQLite folds
    the case of ASCII letters only. As DRF documents, whitespace separates terms and every term
    must match; each term is one call of the model's search."""

    def get_search_terms(self, request):
        return [t.replace("\x00", "") for t in super().get_search_terms(request) if t.strip("\x00")]

    def filter_queryset(self, request, queryset, view):
        search = getattr(queryset, "search", None)
        if not callable(search):
            return super().filter_queryset(request, queryset, view)
        for term in self.get_search_terms(request):
            queryset = queryset.search(term)
        return queryset
