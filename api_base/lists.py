"""Pagination and search for every list endpoint (kept apart from ``api_base.rest`` because
DRF imports these while it is still loading)."""

import django_filters.rest_framework
from django import forms
from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
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


#: The largest id a record can have (a 64-bit primary key).
MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """A filter on the id of a related record, compared as a number.

    django-filter's default (``ModelChoiceFilter``) answers an id that exists nowhere with a 400
    ("Select a valid choice") while the id of a record the user may not see gives an empty list,
    so the difference told which ids exist. Here both give the empty list; only text that is no
    whole number is a 400."""

    field_class = forms.IntegerField

    def filter(self, qs, value):
        if value is not None and not 1 <= value <= MAX_ID:
            return qs.none()  # no record has it (and SQLite refuses numbers past 64 bits)
        return super().filter(qs, value)


class FilterSet(django_filters.rest_framework.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        models.ForeignKey: {"filter_class": IdFilter},
        models.OneToOneField: {"filter_class": IdFilter},
    }


class FilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """``filterset_fields`` built on ``FilterSet``: related records are filtered by id."""

    filterset_base = FilterSet
