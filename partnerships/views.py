"""Pages for partnerships: the list, the detail page with its lifecycle, create and edit, and
the POST-only transition action. Every view fetches the partnership through
``permissions.get_partnership_for`` or ``visible_to``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Prefetch, Subquery, Sum
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_countries import countries

from actors.models import Role

from . import codes, gates, keyset, services, transitions
from .forms import (
    CandidateForm,
    InviteForm,
    PartnershipFilterForm,
    PartnershipForm,
    TransitionForm,
)
from .models import (
    Indicator,
    Measurement,
    Member,
    PartnerCandidate,
    Partnership,
    Phase,
    ranked_candidates,
)
from .permissions import (
    EDIT,
    TRANSITION,
    VIEW,
    can_contribute,
    can_edit,
    delivery_recorder,
    get_partnership_for,
)


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


def lifecycle_context(partnership, user) -> dict:
    """The current phase's possible transitions, each with its reasons, checklist and form."""
    options = []
    if not partnership.is_read_only:
        for name, items, reasons in services.transition_options(partnership):
            # A reason that comes from a checklist item links to where it is fixed.
            where = {item.reason: item.url for item in items if not item.done}
            options.append(
                {
                    "name": name,
                    "label": transitions.label(name),
                    "reasons": [{"text": r, "url": where.get(r, "")} for r in reasons],
                    "items": items,
                    "done_count": sum(1 for item in items if item.done),
                    "form": TransitionForm(name=name, auto_id=f"id_{name}_%s"),
                    "gated": gates.is_gated(name),
                }
            )
    main = [Phase.INTEREST, Phase.DESIGN, Phase.OPERATION, Phase.ASSESSMENT, Phase.CLOSURE]
    # Suspension sits on operation; withdrawal ends before operation.
    at = {Phase.SUSPENDED: Phase.OPERATION}.get(partnership.phase, partnership.phase)
    index = main.index(at) if at in main else -1
    steps = [
        {
            "label": phase.label,
            "state": "current" if i == index else ("done" if i < index else ""),
        }
        for i, phase in enumerate(main)
    ]
    return {
        "transitions": options,
        "phase_steps": steps,
        "can_transition": can_edit(user, partnership),
    }


class PartnershipDetailView(LoginRequiredMixin, DetailView):
    def get_object(self, queryset=None):
        return get_partnership_for(
            self.request.user,
            self.kwargs["pk"],
            VIEW,
            queryset=Partnership.objects.select_related(
                "facilitator__organisation", "transferred_to", "predecessor"
            ),
        )

    def get_context_data(self, **kwargs):
        p, user = self.object, self.request.user
        contributions = list(p.contributions.select_related("member__organisation"))
        may_record = delivery_recorder(user, p)
        for contribution in contributions:
            contribution.may_record_delivery = may_record(contribution)
        member_totals = (
            p.contributions.order_by("member__organisation__name", "currency")
            .values("member_id", "member__organisation__name", "currency")
            .annotate(planned=Sum("planned_amount"), delivered=Sum("delivered_amount"))
        )
        for row in member_totals:
            row["ratio"] = (
                round(100 * row["delivered"] / row["planned"]) if row["planned"] else None
            )
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
            can_contribute=can_contribute(user, p),
            **lifecycle_context(p, user),
            **kwargs,
        )


def _attendances():
    from .models import Attendance

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


@login_required
@require_POST
def partnership_transition(request, pk: int, name: str):
    """Perform one lifecycle transition; a refusal shows its reasons and changes nothing."""
    partnership = get_partnership_for(request.user, pk, TRANSITION)
    if name not in transitions.names():
        raise Http404("No such transition.")
    if gates.is_gated(name):
        # Phase gates are passed only through a sign-off, never directly.
        return redirect(f"{reverse('partnerships:gate_request', args=[pk])}?transition={name}")
    label = transitions.label(name)
    form = TransitionForm(request.POST, name=name)
    back = f"{partnership.get_absolute_url()}#lifecycle"
    if not form.is_valid():
        for field, errors in form.errors.items():
            field_label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {field_label}: {error}".replace(": : ", ": "))
        return redirect(back)
    try:
        services.partnership_transition(
            partnership=partnership, name=name, by=request.user, **form.service_kwargs()
        )
    except services.TransitionRefused as refused:
        messages.error(request, _("%(action)s was refused:") % {"action": label})
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("%(action)s: done.") % {"action": label})
    return redirect(back)


@login_required
@require_POST
def partnership_request_assessment(request, pk: int):
    """Ask for an assessment now, before the schedule says one is due."""
    partnership = get_partnership_for(request.user, pk, TRANSITION)
    try:
        services.partnership_request_assessment(partnership=partnership, by=request.user)
    except services.TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(
            request,
            _("An assessment was requested. You can now ask for sign-off to start it."),
        )
    return redirect(f"{partnership.get_absolute_url()}#lifecycle")


class CandidateListView(LoginRequiredMixin, CreateView):
    """Prioritise candidate partners (001 stage 3): score them, rank them, invite the best."""

    model = PartnerCandidate
    form_class = CandidateForm
    template_name = "partnerships/partnercandidate_list.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = get_partnership_for(request.user, kwargs["pk"], EDIT)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.partnership}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.partnership = self.partnership
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partnership=self.partnership,
            candidates=ranked_candidates(self.partnership),
            invite_form=InviteForm(),
            criteria=[PartnerCandidate._meta.get_field(c) for c in PartnerCandidate.CRITERIA],
            **kwargs,
        )

    def form_valid(self, form):
        with transaction.atomic():
            form.save()
        messages.success(self.request, _("The candidate was added."))
        return redirect("partnerships:candidates", pk=self.partnership.pk)


@login_required
@require_POST
def candidate_invite(request, pk: int, candidate: int):
    partnership = get_partnership_for(request.user, pk, EDIT)
    candidacy = get_object_or_404(PartnerCandidate, pk=candidate, partnership=partnership)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the role of the new member."))
    elif Member.objects.filter(
        partnership=partnership, organisation_id=candidacy.organisation_id
    ).exists():
        messages.info(
            request, _("%(name)s is already a member.") % {"name": candidacy.organisation}
        )
    else:
        with transaction.atomic():
            services.candidate_invite(
                candidate=candidacy, role=form.cleaned_data["role"], by=request.user
            )
            # A new member while a sign-off is open: its signatory must sign too.
            gates.agreed_content_saved(partnership=partnership, by=request.user)
        messages.success(request, _("%(name)s is now a member.") % {"name": candidacy.organisation})
    return redirect("partnerships:candidates", pk=partnership.pk)


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
