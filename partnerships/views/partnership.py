"""Pages of a partnership: the list, the detail page, create and edit, the sector picker's
search. Every view fetches the partnership through permissions.get_partnership_for or
visible_to."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_countries import countries

from actors.models import Role

from .. import gates, services
from ..amendments import services as amendment_services
from ..forms import (
    PartnershipFilterForm,
    PartnershipForm,
)
from ..lifecycle.views import lifecycle_context
from ..models import (
    Indicator,
    Measurement,
    Member,
    Partnership,
)
from ..permissions import (
    EDIT,
    VIEW,
    can_amend,
    can_contribute,
    can_edit,
    can_edit_agreement,
    delivery_recorder,
    get_partnership_for,
)
from ..reference import codes
from . import keyset


def can_create_partnership(user) -> bool:
    return user.is_authenticated and (user.is_administrator or user.role == Role.FACILITATOR)


def _query_string_without_page(request) -> str:
    params = request.GET.copy()
    for name in ("page", "after", "before"):
        params.pop(name, None)
    return params.urlencode()


class PartnershipListView(LoginRequiredMixin, ListView):
    """Newest changes first, 25 a page, keyset pagination (no COUNT over everything)."""

    paginate_by = 25

    def get_filter_form(self):
        user = self.request.user
        if user.is_administrator:
            codes = Partnership.objects.countries_in_use()
        else:
            visible = Partnership.objects.visible_to(user)
            codes = visible.order_by().values_list("country", flat=True).distinct()
        choices = sorted(((c, countries.name(c)) for c in codes if c), key=lambda c: c[1])
        return PartnershipFilterForm(self.request.GET or None, countries=choices)

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        qs = (
            Partnership.objects.visible_to(self.request.user)
            .select_related("facilitator")
            .with_contribution_totals()
        )
        if self.filter_form.is_bound and self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            qs = qs.search(data["q"])
            for name in ("phase", "dac_sector", "country"):
                if data[name]:
                    qs = qs.filter(**{name: data[name]})
        return qs

    def paginate_queryset(self, queryset, page_size):
        page = keyset.paginate(queryset, self.request.GET, page_size)
        return None, page, page.object_list, page.has_other_pages

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            query_string=_query_string_without_page(self.request),
            can_create=can_create_partnership(self.request.user),
            **kwargs,
        )


def _indicators_with_latest_measurement():
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    return Indicator.objects.annotate(
        latest_value=Subquery(latest.values("value")[:1]),
        latest_on=Subquery(latest.values("measured_on")[:1]),
    )


class PartnershipDetailView(LoginRequiredMixin, DetailView):
    def get_object(self, queryset=None):
        return get_partnership_for(
            self.request.user,
            self.kwargs["pk"],
            VIEW,
            queryset=Partnership.with_working_copies.select_related(
                "facilitator__organisation", "transferred_to", "predecessor"
            ),
        )

    def get_context_data(self, **kwargs):
        p, user = self.object, self.request.user
        contributions = list(p.contributions.select_related("member__organisation"))
        may_record = delivery_recorder(user, p)
        for contribution in contributions:
            contribution.may_record_delivery = may_record(contribution)
        member_totals = p.contributions.totals_by_member()
        return super().get_context_data(
            members=p.members.select_related("organisation", "signatory"),
            objectives=p.objectives.prefetch_related(
                Prefetch("indicators", queryset=_indicators_with_latest_measurement())
            ),
            contributions=contributions,
            member_totals=member_totals,
            activities=p.activities.select_related("responsible", "indicator"),
            meetings=p.meetings.prefetch_related(Prefetch("attendances", queryset=_attendances())),
            assessments=p.assessments.all(),
            history=p.phase_changes.select_related("by"),
            successor=Partnership.objects.visible_to(user).filter(predecessor=p).first(),
            can_edit=can_edit(user, p),
            can_edit_agreement=can_edit_agreement(user, p),
            can_contribute=can_contribute(user, p),
            can_amend=can_amend(user, p),
            # The signed ones are among the versions; these are the others.
            amendments=p.amendments.filter(number__isnull=True)
            .select_related("created_by")
            .order_by("-created_at", "-pk"),
            versions=amendment_services.signed_versions(p),
            **lifecycle_context(p, user),
            **kwargs,
        )


def _attendances():
    from ..models import Attendance

    return Attendance.objects.select_related("person").order_by("person__full_name")


class PartnershipCreateView(LoginRequiredMixin, CreateView):
    model = Partnership
    form_class = PartnershipForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_create_partnership(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        user = self.request.user
        if user.role == Role.FACILITATOR:
            initial["facilitator"] = user
        if user.organisation_id:
            initial["country"] = user.organisation.country
        return initial

    def form_valid(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if v is not None}
        self.object = services.partnership_create(by=self.request.user, **fields)
        messages.success(self.request, _("The partnership was created."))
        return redirect(self.object)


class PartnershipUpdateView(LoginRequiredMixin, UpdateView):
    form_class = PartnershipForm

    def get_object(self, queryset=None):
        return get_partnership_for(self.request.user, self.kwargs["pk"], EDIT)

    def form_valid(self, form):
        with transaction.atomic():
            # Only the form's fields: a transition saved meanwhile keeps its phase.
            form.instance.save(update_fields=[*form.Meta.fields, "updated_at"])
            gates.agreed_content_saved(partnership=form.instance, by=self.request.user)
        messages.success(self.request, _("The partnership was saved."))
        return redirect(self.object)


def organisation_partnerships(request, organisation) -> dict:
    """For the organisation's page: its memberships in partnerships this user may see."""
    visible = Partnership.objects.visible_to(request.user)
    return {
        "memberships": Member.objects.filter(
            organisation=organisation, partnership__in=visible
        ).select_related("partnership")
    }


@login_required
@require_GET
def sector_search(request):
    """At most ``codes.SEARCH_LIMIT`` OECD DAC purpose codes matching every word of ``q`` (in
    their code or names, then in their descriptions), as JSON for the sector picker
    (``forms.SectorPicker``); ``more`` says that others match too. Reference data: anybody
    who logs in may search it."""
    text = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    found, more = codes.sector_search(text)
    results = [
        {"code": s.code, "name": s.label(), "value": codes.sector_display(s.code)} for s in found
    ]
    return JsonResponse({"results": results, "more": more})
