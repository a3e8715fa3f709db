"""Serializers for partnerships and their parts. Phase and lifecycle fields are read-only: they
change only through the transition action, which goes through ``partnerships.services``."""

from django.utils.translation import gettext_lazy as _
from django_countries.serializers import CountryFieldMixin
from rest_framework import serializers

from actors.dates import validate_sensible_date
from api_base.rest import ModelSerializer, ValidatedModelSerializer

from ..lifecycle import transitions
from ..models import (
    RESPONSIBLE_PERSON_MESSAGE,
    Activity,
    Assessment,
    Attendance,
    ClosureOutcome,
    Contribution,
    Delivery,
    GateApproval,
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
from ..reference.codes import SDG_GOALS

SDG_TARGET_PATTERN = r"^(1[0-7]|[1-9])\.([1-9][0-9]?|[a-z])$"


class PartnershipSerializer(CountryFieldMixin, ValidatedModelSerializer):
    sdg_goals = serializers.ListField(
        child=serializers.ChoiceField(choices=SDG_GOALS), required=False, max_length=17
    )
    sdg_targets = serializers.ListField(
        child=serializers.RegexField(SDG_TARGET_PATTERN, max_length=5),
        required=False,
        max_length=169,
        help_text=_("UN SDG target codes, for example 2.2 or 6.b."),
    )
    assessment_dates = serializers.ListField(
        child=serializers.DateField(validators=[validate_sensible_date]),
        required=False,
        max_length=120,
    )
    closure_outcome = serializers.ChoiceField(
        choices=ClosureOutcome.choices, allow_blank=True, read_only=True
    )
    planned_total = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, allow_null=True
    )
    delivered_total = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, allow_null=True
    )

    class Meta:
        model = Partnership
        fields = [
            "id",
            "reference",
            *Partnership.EDITABLE_FIELDS,
            *Partnership.LIFECYCLE_FIELDS,
            "planned_total",
            "delivered_total",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "reference",
            "facilitator",
            *Partnership.LIFECYCLE_FIELDS,
            "created_at",
            "updated_at",
        ]

    def update(self, instance, validated_data):
        """Write only the fields sent, so a transition saved meanwhile keeps its phase."""
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save(update_fields=[*validated_data, "updated_at"])
        return instance

    def validate_assessment_dates(self, value):
        return sorted({d.isoformat() for d in value})


SIGNATORY_MESSAGE = _("The signatory must work for the member organisation.")


class MemberSerializer(ValidatedModelSerializer):
    class Meta:
        model = Member
        fields = [
            "id",
            "partnership",
            "organisation",
            "role",
            "signatory",
            "motivation",
            "responsibilities",
        ]
        # An id that names nobody answers as one of a person elsewhere: ids cannot be probed.
        extra_kwargs = {"signatory": {"error_messages": {"does_not_exist": SIGNATORY_MESSAGE}}}

    def validate(self, attrs):
        signatory = attrs.get("signatory", getattr(self.instance, "signatory", None))
        organisation = attrs.get("organisation", getattr(self.instance, "organisation", None))
        if signatory and organisation and signatory.organisation_id != organisation.pk:
            raise serializers.ValidationError({"signatory": SIGNATORY_MESSAGE})
        return super().validate(attrs)


class ObjectiveSerializer(ValidatedModelSerializer):
    class Meta:
        model = Objective
        fields = ["id", "partnership", "kind", "description", "order"]


class IndicatorSerializer(ValidatedModelSerializer):
    class Meta:
        model = Indicator
        fields = [
            "id",
            "objective",
            "name",
            "unit",
            "measure",
            "baseline",
            "target",
            "means_of_verification",
        ]


class MeasurementSerializer(ValidatedModelSerializer):
    class Meta:
        model = Measurement
        fields = [
            "id",
            "indicator",
            "measured_on",
            "value",
            "note",
            "recorded_by",
            "created_at",
            "corrected_by",
            "corrected_at",
        ]
        read_only_fields = ["recorded_by", "created_at", "corrected_by", "corrected_at"]


class ContributionSerializer(ValidatedModelSerializer):
    class Meta:
        model = Contribution
        fields = [
            "id",
            "partnership",
            "member",
            "kind",
            "description",
            "planned_amount",
            "delivered_amount",
            "currency",
            "period_start",
            "period_end",
        ]
        read_only_fields = ["delivered_amount"]

    def validate(self, attrs):
        partnership = attrs.get("partnership", getattr(self.instance, "partnership", None))
        member = attrs.get("member", getattr(self.instance, "member", None))
        if partnership and member and member.partnership_id != partnership.pk:
            raise serializers.ValidationError(
                {"member": _("The member belongs to another partnership.")}
            )
        return super().validate(attrs)


class DeliverySerializer(ValidatedModelSerializer):
    class Meta:
        model = Delivery
        fields = ["id", "contribution", "delivered_on", "amount", "note", "recorded_by"]
        read_only_fields = ["recorded_by"]


class ActivitySerializer(ValidatedModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "partnership",
            "title",
            "description",
            "starts_on",
            "ends_on",
            "responsible",
            "status",
            "indicator",
        ]
        # Activity.clean() holds the rule; an id that names nobody gets the same answer.
        extra_kwargs = {
            "responsible": {"error_messages": {"does_not_exist": RESPONSIBLE_PERSON_MESSAGE}}
        }

    def validate(self, attrs):
        partnership = attrs.get("partnership", getattr(self.instance, "partnership", None))
        indicator = attrs.get("indicator", getattr(self.instance, "indicator", None))
        if partnership and indicator and indicator.objective.partnership_id != partnership.pk:
            raise serializers.ValidationError(
                {"indicator": _("The indicator belongs to another partnership.")}
            )
        return super().validate(attrs)


class AttendanceSerializer(ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["person", "minutes_confirmed_at"]


class MeetingSerializer(ValidatedModelSerializer):
    attendances = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "partnership",
            "title",
            "held_at",
            "place",
            "agenda",
            "minutes",
            "attendances",
        ]


class AssessmentSerializer(ValidatedModelSerializer):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "partnership",
            "period_start",
            "period_end",
            "results_summary",
            "wanted_results",
            "unwanted_results",
            "lessons_learned",
            "recommendation",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["created_by", "created_at"]


class PartnerCandidateSerializer(ValidatedModelSerializer):
    score = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartnerCandidate
        fields = [
            "id",
            "partnership",
            "organisation",
            *PartnerCandidate.CRITERIA,
            "notes",
            "score",
        ]


class PhaseChangeSerializer(ModelSerializer):
    note = serializers.CharField(
        source="note_text",
        read_only=True,
        help_text="What the system recorded with the change (who signed off), in the "
        "language of the request.",
    )

    class Meta:
        model = PhaseChange
        fields = [
            "id",
            "partnership",
            "transition",
            "from_phase",
            "to_phase",
            "by",
            "at",
            "comment",
            "note",
        ]


class GateApprovalSerializer(ModelSerializer):
    class Meta:
        model = GateApproval
        fields = ["id", "approver", "capacity", "member", "decision", "comment", "decided_at"]


class GateRequestSerializer(ModelSerializer):
    approvals = GateApprovalSerializer(many=True, read_only=True)

    class Meta:
        model = GateRequest
        fields = [
            "id",
            "partnership",
            "transition",
            "status",
            "fingerprint",
            "comment",
            "requested_by",
            "requested_at",
            "decided_at",
            "approvals",
        ]


class TransitionRequestSerializer(serializers.Serializer):
    """Ask for a lifecycle transition; ``close`` needs an outcome (and a receiver to transfer)."""

    transition = serializers.ChoiceField(choices=transitions.names())
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    outcome = serializers.ChoiceField(choices=ClosureOutcome.choices, required=False)
    transferred_to = serializers.PrimaryKeyRelatedField(
        queryset=Partnership._meta.get_field("transferred_to").related_model.objects.all(),
        required=False,
        allow_null=True,
    )
    handover_note = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )


class TransitionOptionSerializer(serializers.Serializer):
    transition = serializers.CharField()
    allowed = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())


class GateRequestedSerializer(serializers.Serializer):
    """A phase gate was asked for: who must now approve it."""

    detail = serializers.CharField()
    gate_request = serializers.IntegerField()
    awaited = serializers.ListField(child=serializers.EmailField())


class SignOffSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True, trim_whitespace=False)
    code = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        max_length=64,
        help_text=_(
            "The authenticator app's code, or a recovery code, if you have a second factor."
        ),
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")
