"""Admin for partnerships. The phase only changes through the services (it is read-only here),
and the lifecycle's records (phase changes, gate requests and approvals) cannot be edited."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import gates, services
from .forms import PartnershipForm
from .models import (
    Activity,
    Amendment,
    Assessment,
    Attendance,
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
    agreed,
)


class ReadOnlyAdminMixin:
    """Viewable, never added, changed or deleted through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignedContentAdminMixin:
    """The signed agreement in the admin: its agreed fields show read-only, and its rows can
    be neither added nor deleted (the models refuse it anyway, ``models.agreed``)."""

    def _signed(self, obj) -> bool:
        return (
            obj is not None and obj.pk is not None and agreed.signed(obj.agreement_partnership_id())
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._signed(obj) and obj.stored_is_agreed(obj._stored() or {}):
            fields += [f for f in obj.AGREED_FIELDS if f not in fields]
        return fields

    def has_delete_permission(self, request, obj=None):
        return not self._signed(obj) and super().has_delete_permission(request, obj)


class SignedInlineMixin:
    """An inline of the agreed content under a signed partnership: shown, not changed."""

    def _signed(self, parent) -> bool:
        return parent is not None and parent.pk is not None and agreed.signed(parent.pk)

    def has_add_permission(self, request, obj=None):
        return not self._signed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._signed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._signed(obj) and super().has_delete_permission(request, obj)


class MemberInline(SignedInlineMixin, admin.TabularInline):
    model = Member
    extra = 0
    fields = ["organisation", "role", "signatory", "motivation"]
    autocomplete_fields = ["organisation", "signatory"]

    def has_delete_permission(self, request, obj=None):
        # Removed on the member's own admin page or the member page (services.member_remove).
        return False


class ObjectiveInline(SignedInlineMixin, admin.TabularInline):
    model = Objective
    extra = 0
    fields = ["order", "kind", "description"]
    show_change_link = True


class ContributionInline(SignedInlineMixin, admin.TabularInline):
    model = Contribution
    extra = 0
    fields = [
        "member",
        "kind",
        "description",
        "planned_amount",
        "delivered_amount",
        "currency",
        "period_start",
        "period_end",
    ]
    readonly_fields = ["delivered_amount"]
    show_change_link = True


class PhaseChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PhaseChange
    extra = 0
    fields = ["at", "transition", "from_phase", "to_phase", "by", "comment", "note_text"]
    readonly_fields = fields

    @admin.display(description=_("note"))
    def note_text(self, obj):
        return obj.note_text


@admin.register(Partnership)
class PartnershipAdmin(SignedContentAdminMixin, admin.ModelAdmin):
    list_display = ["reference", "title", "phase", "country", "dac_sector", "facilitator"]
    list_filter = ["phase", "country", "dac_sector", "modality", "formalisation_level"]
    # The search key too: "ancash" finds "Áncash" (the admin does not normalise what is typed,
    # but text typed without accents is its own key, up to case).
    search_fields = ["reference", "title", "territory", "search_key", "members__organisation__name"]
    list_select_related = ["facilitator"]
    # The lifecycle's fields change only through its services (``partnerships.lifecycle``).
    readonly_fields = [
        "reference",
        *Partnership.LIFECYCLE_FIELDS,
        "created_by",
        "created_at",
        "updated_at",
    ]
    autocomplete_fields = ["facilitator", "predecessor"]
    inlines = [MemberInline, ObjectiveInline, ContributionInline, PhaseChangeInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Members, signatories and content changed here count like anywhere else: an open
        # sign-off is recomputed and a signed agreement's change audited.
        gates.agreed_content_saved(partnership=form.instance, by=request.user)

    # The partnership form's sections (the same fields, the same order), then the lifecycle.
    fieldsets = [
        (None, {"fields": ["reference", "phase"]}),
        *((title, {"fields": names}) for title, names in PartnershipForm.SECTIONS),
        (
            _("Lifecycle"),
            {
                "fields": [
                    *(f for f in Partnership.LIFECYCLE_FIELDS if f != "phase"),
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]


@admin.register(Member)
class MemberAdmin(SignedContentAdminMixin, admin.ModelAdmin):
    list_display = ["organisation", "partnership", "role", "signatory"]
    list_filter = ["role", "organisation__sector"]
    search_fields = ["organisation__name", "partnership__title", "partnership__reference"]
    list_select_related = ["organisation", "partnership", "signatory"]
    autocomplete_fields = ["partnership", "organisation", "signatory"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        gates.agreed_content_saved(partnership=obj.partnership, by=request.user)

    # Members leave one at a time, through services.member_remove (refused once signed).
    actions = None

    def has_delete_permission(self, request, obj=None):
        if obj is not None and services.member_removal_blockers(obj.partnership):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        services.member_remove(member=obj, by=request.user)


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0
    fields = ["name", "unit", "measure", "baseline", "target", "means_of_verification"]
    show_change_link = True


@admin.register(Objective)
class ObjectiveAdmin(SignedContentAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "kind", "partnership", "order"]
    list_filter = ["kind"]
    search_fields = ["description", "partnership__title", "partnership__reference"]
    list_select_related = ["partnership"]
    autocomplete_fields = ["partnership"]
    inlines = [IndicatorInline]


class MeasurementInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Read here; changed on the measurement's own admin page, which goes through the services
    (so a correction says who made it)."""

    model = Measurement
    extra = 0
    fields = ["measured_on", "value", "note", "recorded_by", "corrected_by", "corrected_at"]
    readonly_fields = fields
    show_change_link = True


@admin.register(Indicator)
class IndicatorAdmin(SignedContentAdminMixin, admin.ModelAdmin):
    list_display = ["name", "objective", "unit", "measure", "baseline", "target"]
    list_filter = ["measure"]
    search_fields = ["name", "objective__description", "objective__partnership__title"]
    list_select_related = ["objective"]
    raw_id_fields = ["objective"]
    inlines = [MeasurementInline]


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    """Adding, correcting and removing go through the services, as on the pages: the
    recorder is whoever adds it, a correction records who made it and when."""

    list_display = ["indicator", "measured_on", "value", "recorded_by", "corrected_by"]
    list_filter = ["measured_on"]
    search_fields = ["indicator__name", "note"]
    list_select_related = ["indicator", "recorded_by", "corrected_by"]
    raw_id_fields = ["indicator"]
    readonly_fields = ["recorded_by", "corrected_by", "corrected_at"]
    date_hierarchy = "measured_on"

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in services.MEASUREMENT_FIELDS}
        if change:
            corrected = services.measurement_correct(measurement=obj, by=request.user, **values)
        else:
            corrected = services.measurement_record(by=request.user, **values)
        obj.pk = corrected.pk

    def delete_model(self, request, obj):
        services.measurement_remove(measurement=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for measurement in queryset:
            services.measurement_remove(measurement=measurement, by=request.user)


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ["delivered_on", "amount", "note", "recorded_by"]
    raw_id_fields = ["recorded_by"]


@admin.register(Contribution)
class ContributionAdmin(SignedContentAdminMixin, admin.ModelAdmin):
    list_display = [
        "description",
        "member",
        "partnership",
        "kind",
        "planned_amount",
        "delivered_amount",
        "currency",
    ]
    list_filter = ["kind", "currency"]
    search_fields = ["description", "member__organisation__name", "partnership__title"]
    list_select_related = ["member__organisation", "partnership"]
    raw_id_fields = ["partnership", "member"]
    inlines = [DeliveryInline]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["contribution", "delivered_on", "amount", "recorded_by"]
    list_filter = ["delivered_on"]
    search_fields = ["contribution__description", "note"]
    list_select_related = ["contribution__member__organisation", "recorded_by"]
    raw_id_fields = ["contribution", "recorded_by"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "starts_on", "ends_on", "status", "responsible"]
    list_filter = ["status", "starts_on"]
    search_fields = ["title", "description", "partnership__title"]
    list_select_related = ["partnership", "responsible"]
    raw_id_fields = ["partnership", "responsible", "indicator"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["person", "minutes_confirmed_at"]
    autocomplete_fields = ["person"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "partnership", "held_at", "place"]
    list_filter = ["held_at"]
    search_fields = ["title", "agenda", "minutes", "partnership__title"]
    list_select_related = ["partnership"]
    raw_id_fields = ["partnership"]
    date_hierarchy = "held_at"
    inlines = [AttendanceInline]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["partnership", "period_start", "period_end", "recommendation", "created_at"]
    list_filter = ["recommendation"]
    search_fields = ["partnership__title", "results_summary", "lessons_learned"]
    list_select_related = ["partnership"]
    raw_id_fields = ["partnership", "created_by"]


@admin.register(PartnerCandidate)
class PartnerCandidateAdmin(admin.ModelAdmin):
    list_display = [
        "organisation",
        "partnership",
        "complementarity",
        "resources",
        "leverage",
        "partnership_experience",
        "development_experience",
    ]
    search_fields = ["organisation__name", "partnership__title"]
    list_select_related = ["organisation", "partnership"]
    autocomplete_fields = ["partnership", "organisation"]


@admin.register(PhaseChange)
class PhaseChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["partnership", "transition", "from_phase", "to_phase", "by", "at"]
    list_filter = ["transition", "to_phase"]
    search_fields = ["partnership__title", "partnership__reference", "comment"]
    list_select_related = ["partnership", "by"]
    date_hierarchy = "at"


class GateApprovalInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = GateApproval
    extra = 0
    fields = ["approver", "capacity", "decision", "comment", "decided_at", "ip_address"]
    readonly_fields = fields


@admin.register(GateRequest)
class GateRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["partnership", "transition", "status", "requested_by", "requested_at"]
    list_filter = ["status", "transition"]
    search_fields = ["partnership__title", "partnership__reference", "comment"]
    list_select_related = ["partnership", "requested_by"]
    date_hierarchy = "requested_at"
    inlines = [GateApprovalInline]


@admin.register(GateApproval)
class GateApprovalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["request", "approver", "capacity", "decision", "decided_at"]
    list_filter = ["decision", "capacity"]
    search_fields = ["approver__full_name", "request__partnership__title", "reference"]
    list_select_related = ["request__partnership", "approver"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Amendments are opened, submitted, signed and withdrawn on their pages only (the
    services record each step); here they are read."""

    list_display = ["partnership", "number", "kind", "status", "created_by", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["partnership__title", "partnership__reference", "reason"]
    list_select_related = ["partnership", "created_by"]
    date_hierarchy = "created_at"
    exclude = ["rows", "content_before"]
