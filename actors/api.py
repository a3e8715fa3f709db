"""REST endpoints for the actor catalogue: organisations, their capacities and contacts.

Everybody who logs in reads the catalogue (as the pages do); administrators and facilitators
change it. Organisations are never deleted through the API: partnerships refer to them.
"""

from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, viewsets

from api_base.rest import ValidatedModelSerializer

from .models import Capacity, ContactPerson, Organisation
from .permissions import can_manage_actors


class ManagesActorsOrReadOnly(permissions.BasePermission):
    message = _("Only administrators and facilitators change the actor catalogue.")

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_manage_actors(request.user)


class CapacitySerializer(ValidatedModelSerializer):
    class Meta:
        model = Capacity
        fields = ["id", "organisation", "area", "description"]


class ContactPersonSerializer(ValidatedModelSerializer):
    class Meta:
        model = ContactPerson
        fields = ["id", "organisation", "name", "position", "email", "phone", "is_key_leader"]


class OrganisationSerializer(CountryFieldMixin, ValidatedModelSerializer):
    capacities = CapacitySerializer(many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            *Organisation.EDITABLE_FIELDS,
            "capacities",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]


@extend_schema_view(
    list=extend_schema(summary=_("List actors")),
    retrieve=extend_schema(summary=_("One actor")),
)
class OrganisationViewSet(viewsets.ModelViewSet):
    serializer_class = OrganisationSerializer
    permission_classes = [permissions.IsAuthenticated, ManagesActorsOrReadOnly]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["sector", "level", "country"]
    # ?search= runs Organisation.objects.search(), as the list page does: "CÁRITAS" finds
    # "Cáritas" (api_base.lists.SearchFilter, actors/text.py).
    ordering_fields = ["name", "sector", "country", "created_at"]
    queryset = Organisation.objects.prefetch_related("capacities")


class CapacityViewSet(viewsets.ModelViewSet):
    """The capacity catalogue across all actors."""

    serializer_class = CapacitySerializer
    permission_classes = [permissions.IsAuthenticated, ManagesActorsOrReadOnly]
    filterset_fields = ["organisation", "area"]
    # ?search= runs Capacity.objects.search(), as the capacity catalogue page does.
    ordering_fields = ["area", "description"]
    queryset = Capacity.objects.select_related("organisation")


class ContactPersonViewSet(viewsets.ModelViewSet):
    serializer_class = ContactPersonSerializer
    permission_classes = [permissions.IsAuthenticated, ManagesActorsOrReadOnly]
    filterset_fields = ["organisation", "is_key_leader"]
    search_fields = ["name", "position"]
    ordering_fields = ["name"]
    queryset = ContactPerson.objects.all()
