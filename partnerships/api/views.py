"""REST endpoints of partnerships and their parts.

Every queryset starts from ``Partnership.objects.visible_to(user)`` and every write asks
``partnerships.permissions`` (``can_edit``, ``can_contribute``), so a user sees and changes through
the API exactly what the pages let them. Transitions go through ``partnerships.services``; a
refused one answers 409 with the reasons.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from actors import ratelimits
from actors.models import Role
from api_base.rest import Conflict, ErrorSerializer

from .. import exports, gates, services
from ..exports import iati
from ..exports.views import xml_download
from ..gates import reauth
from ..models import (
    Activity,
    Assessment,
    Contribution,
    Delivery,
    GateRequest,
    Indicator,
    Measurement,
    Meeting,
    Member,
    Objective,
    PartnerCandidate,
    Partnership,
    PhaseChange,
)
from ..permissions import CONTRIBUTE, EDIT, TRANSITION, can_contribute, can_edit
from ..permissions import get_partnership_for as _get_partnership_for
from . import serializers as s

_CHECK = {EDIT: can_edit, CONTRIBUTE: can_contribute}

REFUSED = OpenApiResponse(ErrorSerializer, description=_("Refused: the reasons say why."))
TOO_MANY = OpenApiResponse(
    ErrorSerializer, description=_("Too many attempts: Retry-After says how many seconds to wait.")
)


def visible_partnerships(user):
    return Partnership.objects.visible_to(user)


class PartnershipViewSet(viewsets.ModelViewSet):
    """Partnerships the user can see. Facilitators and administrators create them; the
    facilitator of a partnership (or an administrator) changes it until it closes."""

    serializer_class = s.PartnershipSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    filterset_fields = ["phase", "country", "dac_sector", "modality", "is_published"]
    # ?search= runs Partnership.objects.search(), as the list page does: "ANCASH" finds
    # "Áncash" (api_base.lists.SearchFilter).
    ordering_fields = ["title", "reference", "updated_at", "created_at", "start_date", "phase"]

    def get_queryset(self):
        return (
            visible_partnerships(self.request.user)
            .with_contribution_totals()
            .select_related("facilitator")
        )

    def perform_create(self, serializer):
        user = self.request.user
        if not (user.is_administrator or user.role == Role.FACILITATOR):
            raise exceptions.PermissionDenied(
                _("Only facilitators and administrators create partnerships.")
            )
        serializer.instance = services.partnership_create(by=user, **serializer.validated_data)

    def perform_update(self, serializer):
        if not can_edit(self.request.user, serializer.instance):
            raise exceptions.PermissionDenied(_("You may not change this partnership."))
        with transaction.atomic():
            serializer.save()
            gates.agreed_content_saved(partnership=serializer.instance, by=self.request.user)

    def _get_for(self, pk, action_name):
        return _get_partnership_for(self.request.user, pk, action_name)

    @extend_schema(
        summary=_("Transitions leaving the current phase, with their blockers"),
        responses={200: s.TransitionOptionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None, format=None):
        partnership = self._get_for(pk, "view")
        options = [
            {"transition": name, "allowed": not reasons, "reasons": reasons}
            for name, reasons in services.available_transitions(partnership)
        ]
        return Response(s.TransitionOptionSerializer(options, many=True).data)

    @extend_schema(
        summary=_("Move the partnership to its next phase"),
        request=s.TransitionRequestSerializer,
        responses={200: s.PartnershipSerializer, 202: s.GateRequestedSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def transition(self, request, pk=None, format=None):
        partnership = self._get_for(pk, TRANSITION)
        body = s.TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        name = data["transition"]
        kwargs = {"partnership": partnership, "by": request.user, "comment": data["comment"]}
        if name == "close":
            kwargs.update(
                outcome=data.get("outcome", ""),
                transferred_to=data.get("transferred_to"),
                handover_note=data["handover_note"],
            )
        if gates.is_gated(name):
            # A phase gate is passed only by its sign-off: open the request, as the pages do.
            kwargs["transition"] = name
            try:
                gate = gates.gate_request_create(**kwargs)
            except gates.GateError as refused:
                raise Conflict(refused.reasons, detail=_("The sign-off could not be requested."))
            return Response(
                {
                    "detail": str(_("Sign-off requested; the phase changes on the last approval.")),
                    "gate_request": gate.pk,
                    "awaited": [
                        a.approver.email for a in gate.approvals.select_related("approver")
                    ],
                },
                status=202,
            )
        try:
            services.partnership_transition(name=name, **kwargs)
        except services.TransitionRefused as refused:
            raise Conflict(refused.reasons, detail=_("The transition was refused."))
        return Response(self.get_serializer(self.get_queryset().get(pk=partnership.pk)).data)

    @extend_schema(
        summary=_("Ask for an assessment before the schedule says one is due"),
        request=None,
        responses={200: s.PartnershipSerializer, 409: REFUSED},
    )
    @action(detail=True, methods=["post"], url_path="request-assessment", filter_backends=[])
    def request_assessment(self, request, pk=None, format=None):
        partnership = self._get_for(pk, TRANSITION)
        try:
            services.partnership_request_assessment(partnership=partnership, by=request.user)
        except services.TransitionRefused as refused:
            raise Conflict(refused.reasons, detail=_("The request was refused."))
        return Response(self.get_serializer(self.get_queryset().get(pk=partnership.pk)).data)

    @extend_schema(
        summary=_("The partnership as an IATI 2.03 activity file"),
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def iati(self, request, pk=None, format=None):
        partnership = self._get_for(pk, "view")
        return xml_download(iati.activities_xml([partnership]), f"{partnership.reference}.xml")


#: How a record that a write may name reaches its partnership.
PATHS_TO_PARTNERSHIP = {
    Partnership: "pk",
    Member: "partnership",
    Objective: "partnership",
    Indicator: "objective__partnership",
    Contribution: "partnership",
}


class PartViewSet(viewsets.ModelViewSet):
    """A part of a partnership: visible with its partnership, changed by whoever
    ``write_action`` allows on it (``edit``: its facilitator; ``contribute``: members too)."""

    #: the lookup from the part to its partnership
    partnership_path = "partnership"
    #: the serializer field that names the parent (partnership, objective...)
    parent_field = "partnership"
    write_action = EDIT

    def get_queryset(self):
        visible = visible_partnerships(self.request.user)
        return self.model.objects.filter(**{f"{self.partnership_path}__in": visible})

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        visible = visible_partnerships(self.request.user)
        for field in getattr(serializer, "fields", {}).values():
            queryset = getattr(field, "queryset", None)
            path = None if queryset is None else PATHS_TO_PARTNERSHIP.get(queryset.model)
            if path is not None and not field.read_only:
                # Only records of partnerships the user can see are valid; the others read as
                # "does not exist", exactly as an id that exists nowhere.
                field.queryset = queryset.model.objects.filter(**{f"{path}__in": visible})
        return serializer

    def _partnership_of(self, obj) -> Partnership:
        for step in self.partnership_path.split("__"):
            obj = getattr(obj, step)
        return obj

    def _check_write(self, partnership):
        if not _CHECK[self.write_action](self.request.user, partnership):
            raise exceptions.PermissionDenied(_("You may not change this partnership's records."))

    def _parent_partnership(self, serializer):
        parent = serializer.validated_data.get(self.parent_field)
        if parent is None:
            return self._partnership_of(serializer.instance)
        if self.parent_field == "partnership":
            return parent
        rest = self.partnership_path.split("__", 1)[1]
        for step in rest.split("__"):
            parent = getattr(parent, step)
        return parent

    def perform_create(self, serializer):
        partnership = self._parent_partnership(serializer)
        self._check_write(partnership)
        with transaction.atomic():
            self.save_new(serializer)
            # Open sign-offs approved other content: void them, as the pages do.
            gates.agreed_content_saved(partnership=partnership, by=self.request.user)

    def save_new(self, serializer):
        serializer.save()

    def perform_update(self, serializer):
        current = self._partnership_of(serializer.instance)
        self._check_write(current)
        if self._parent_partnership(serializer).pk != current.pk:
            raise exceptions.ValidationError(
                {self.parent_field: [_("A record cannot move to another partnership.")]}
            )
        with transaction.atomic():
            serializer.save()
            gates.agreed_content_saved(partnership=current, by=self.request.user)

    def perform_destroy(self, instance):
        partnership = self._partnership_of(instance)
        self._check_write(partnership)
        with transaction.atomic():
            instance.delete()
            gates.agreed_content_saved(partnership=partnership, by=self.request.user)


class MemberViewSet(PartViewSet):
    """Members of the partnerships the user can see. Removing one (``DELETE``) goes through
    ``services.member_remove``, as on the member page: before the agreement is signed its
    contributions are deleted and the risks it owns have no owner; afterwards 409."""

    model = Member
    serializer_class = s.MemberSerializer
    filterset_fields = ["partnership", "organisation", "role"]
    ordering_fields = ["organisation__name", "role"]

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")

    def perform_destroy(self, instance):
        self._check_write(instance.partnership)
        try:
            services.member_remove(member=instance, by=self.request.user)
        except services.MemberRemovalRefused as refused:
            raise Conflict(refused.reasons, detail=_("The member cannot be removed."))


class ObjectiveViewSet(PartViewSet):
    model = Objective
    serializer_class = s.ObjectiveSerializer
    filterset_fields = ["partnership", "kind"]
    ordering_fields = ["order", "id"]


class IndicatorViewSet(PartViewSet):
    model = Indicator
    serializer_class = s.IndicatorSerializer
    partnership_path = "objective__partnership"
    parent_field = "objective"
    filterset_fields = ["objective", "objective__partnership", "measure"]
    ordering_fields = ["id", "name"]


class MeasurementViewSet(PartViewSet):
    """Members add measurements; only whoever recorded one, or the facilitator, corrects or
    removes it (the services ask ``permissions.can_change_measurement``: 403 otherwise). A
    correction says who made it and when (``corrected_by``, ``corrected_at``)."""

    model = Measurement
    serializer_class = s.MeasurementSerializer
    partnership_path = "indicator__objective__partnership"
    parent_field = "indicator"
    write_action = CONTRIBUTE
    filterset_fields = ["indicator", "indicator__objective__partnership"]
    ordering_fields = ["measured_on", "id"]

    def save_new(self, serializer):
        serializer.instance = services.measurement_record(
            by=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        current = self._partnership_of(serializer.instance)
        self._check_write(current)
        if self._parent_partnership(serializer).pk != current.pk:
            raise exceptions.ValidationError(
                {self.parent_field: [_("A record cannot move to another partnership.")]}
            )
        serializer.instance = services.measurement_correct(
            measurement=serializer.instance, by=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        self._check_write(self._partnership_of(instance))
        services.measurement_remove(measurement=instance, by=self.request.user)


class ContributionViewSet(PartViewSet):
    model = Contribution
    serializer_class = s.ContributionSerializer
    filterset_fields = ["partnership", "member", "kind", "currency"]
    ordering_fields = ["id", "planned_amount", "delivered_amount", "period_start"]

    def get_queryset(self):
        return super().get_queryset().select_related("member__organisation")


class DeliveryViewSet(PartViewSet):
    """Deliveries are recorded, never changed: the contribution keeps the running total. A
    member's people record their own organisation's contributions, the facilitator any; the
    service checks the same rules as the page (403 or 400 with the reasons)."""

    model = Delivery
    serializer_class = s.DeliverySerializer
    partnership_path = "contribution__partnership"
    parent_field = "contribution"
    write_action = CONTRIBUTE
    http_method_names = ["get", "post", "head", "options"]
    filterset_fields = ["contribution", "contribution__partnership"]
    ordering_fields = ["delivered_on", "id"]

    def save_new(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.contribution_record_delivery(
            contribution=data["contribution"],
            amount=data["amount"],
            delivered_on=data["delivered_on"],
            note=data.get("note", ""),
            by=self.request.user,
        )


class ActivityViewSet(PartViewSet):
    model = Activity
    serializer_class = s.ActivitySerializer
    filterset_fields = ["partnership", "status", "responsible", "indicator"]
    ordering_fields = ["starts_on", "ends_on", "id"]


class MeetingViewSet(PartViewSet):
    model = Meeting
    serializer_class = s.MeetingSerializer
    filterset_fields = ["partnership"]
    ordering_fields = ["held_at", "id"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("attendances")


class AssessmentViewSet(PartViewSet):
    model = Assessment
    serializer_class = s.AssessmentSerializer
    filterset_fields = ["partnership", "recommendation"]
    ordering_fields = ["created_at", "id"]

    def save_new(self, serializer):
        serializer.save(created_by=self.request.user)


class PartnerCandidateViewSet(PartViewSet):
    model = PartnerCandidate
    serializer_class = s.PartnerCandidateSerializer
    filterset_fields = ["partnership", "organisation"]
    ordering_fields = ["id"]


class PhaseChangeViewSet(viewsets.ReadOnlyModelViewSet):
    """The lifecycle history, newest first."""

    serializer_class = s.PhaseChangeSerializer
    filterset_fields = ["partnership", "transition", "to_phase"]
    ordering_fields = ["at", "id"]

    def get_queryset(self):
        return PhaseChange.objects.filter(partnership__in=visible_partnerships(self.request.user))


class GateRequestViewSet(viewsets.ReadOnlyModelViewSet):
    """Sign-off requests and their approvals; assigned approvers approve or refuse."""

    serializer_class = s.GateRequestSerializer
    filterset_fields = ["partnership", "status", "transition"]
    ordering_fields = ["requested_at", "id"]

    def get_queryset(self):
        # With the sign-offs of amendments, which are gate requests of their working copies.
        return GateRequest.objects.filter(
            partnership__in=Partnership.with_working_copies.visible_to(self.request.user)
        ).prefetch_related("approvals")

    def _decide(self, request, pk, *, approve: bool):
        # Every call counts, right or wrong (the proof's own limit counts wrong ones).
        try:
            ratelimits.hit(request._request, "api_signoff", user=request.user)
        except ratelimits.RateLimited as limited:
            raise ratelimits.api_refusal(limited)
        gate = self.get_object()
        body = s.SignOffSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        # The same proof as the sign-off page, in the same request: a token alone cannot sign.
        try:
            reauth.signoff_decide(
                request._request,
                gate_request=gate,
                approve=approve,
                comment=data["comment"],
                proof=reauth.Proof(password=data["password"], code=data["code"]),
            )
        except reauth.RateLimited as limited:
            raise ratelimits.api_refusal(limited)
        except reauth.CredentialsRefused as refused:
            raise Conflict(refused.reasons, detail=_("Sign-off refused."))
        except gates.GateError as refused:
            raise Conflict(refused.reasons, detail=_("Sign-off refused."))
        return Response(self.get_serializer(self.get_queryset().get(pk=gate.pk)).data)

    @extend_schema(
        summary=_(
            "Approve a sign-off (with your password, and your second factor's code if you have one)"
        ),
        request=s.SignOffSerializer,
        responses={200: s.GateRequestSerializer, 409: REFUSED, 429: TOO_MANY},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def approve(self, request, pk=None):
        return self._decide(request, pk, approve=True)

    @extend_schema(
        summary=_(
            "Refuse a sign-off, with a reason (with your password, and your second factor's code if you have one)"
        ),
        request=s.SignOffSerializer,
        responses={200: s.GateRequestSerializer, 409: REFUSED, 429: TOO_MANY},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def refuse(self, request, pk=None):
        return self._decide(request, pk, approve=False)


# ----- exports ------------------------------------------------------------------------------------

# The datasets registered by then (this module is imported with the URLs, after every app's
# ready(), where the apps above partnerships register theirs): the schema names only what
# answers. It advertised "risks" while nobody had registered it.
DATASET_PARAM = OpenApiParameter(
    "dataset", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(exports.datasets())
)
FORMAT_PARAM = OpenApiParameter(
    "fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(exports.FORMATS)
)


class ExportView(APIView):
    """One dataset, for the partnerships the user can see, one row per observation."""

    @extend_schema(
        summary=_("Download a dataset as CSV or XLSX"),
        # Named here: the one drf-spectacular derives from the path holds dots.
        operation_id="exports_dataset_retrieve",
        parameters=[DATASET_PARAM, FORMAT_PARAM],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,  # text (UTF-8), not bytes
            (200, exports.FORMATS["xlsx"]): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, dataset, fmt):
        if dataset not in exports.datasets() or fmt not in exports.FORMATS:
            raise exceptions.NotFound(_("No such dataset or format."))
        return exports.download(dataset, fmt, visible_partnerships(request.user))


class PortfolioIatiView(APIView):
    """Every partnership the user can see, as one IATI 2.03 activity file."""

    @extend_schema(
        summary=_("The portfolio as an IATI 2.03 activity file"),
        operation_id="exports_iati_retrieve",
        parameters=[
            OpenApiParameter(
                "partnership",
                OpenApiTypes.INT,
                many=True,
                description=_("Only these partnerships (repeat the parameter)."),
            )
        ],
        responses={(200, "application/xml"): OpenApiTypes.BINARY},
    )
    def get(self, request):
        qs = visible_partnerships(request.user)
        wanted = request.query_params.getlist("partnership")
        if wanted:
            if not all(w.isdigit() and len(w) < 19 for w in wanted):
                raise exceptions.ValidationError({"partnership": [_("Give partnership ids.")]})
            qs = qs.filter(pk__in=[int(w) for w in wanted])
        stamp = timezone.localdate().isoformat()
        return xml_download(iati.activities_xml(qs.order_by("pk")), f"alianza-iati-{stamp}.xml")
