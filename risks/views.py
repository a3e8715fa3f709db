"""Pages of the risk register. Thin: permissions from ``risks.permissions``, writes in services.

Requests made by htmx (``HX-Request``) get the partial that changed (a table row, the heat map)
instead of the whole page, so a review or a closure happens in place; without JavaScript the
same URLs serve full pages.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView

from partnerships.permissions import EDIT, can_edit, get_partnership_for, visible_ids

from . import services
from .forms import (
    CloseForm,
    PortfolioFilterForm,
    ReviewForm,
    RiskFilterForm,
    RiskForm,
    add_service_errors,
)
from .heatmap import (
    heat_map,
    heat_map_counts,
    partnership_heat_map_counts,
    tallied_heat_map_counts,
)
from .models import Risk
from .permissions import REVIEW, can_review, get_risk_for


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def cell_link(partnership):
    base = reverse("risks:list", args=[partnership.pk])

    def link(likelihood, impact):
        return f"{base}?likelihood={likelihood}&impact={impact}&status=active#risks"

    return link


def partnership_heat_map(partnership):
    return heat_map(
        partnership_heat_map_counts(partnership),
        link=cell_link(partnership),
        caption=_("Open risks of %(title)s by likelihood (rows) and impact (columns)")
        % {"title": partnership.title},
    )


def _row_context(request, risk, **extra):
    risk.user_can_review = can_review(request.user, risk)
    return {
        "risk": risk,
        "partnership": risk.partnership,
        "can_edit": can_edit(request.user, risk.partnership),
        "can_review": risk.user_can_review,
        "today": timezone.localdate(),
        **extra,
    }


class RiskListView(LoginRequiredMixin, ListView):
    """A partnership's register: the heat map and the risks, filterable by cell."""

    template_name = "risks/risk_list.html"
    context_object_name = "risks"
    paginate_by = 100

    def get_queryset(self):
        self.partnership = get_partnership_for(self.request.user, self.kwargs["pk"])
        self.filters = RiskFilterForm(self.request.GET, auto_id="id_filter_%s")
        qs = Risk.objects.filter(partnership=self.partnership).select_related("owner__organisation")
        return self.filters.filter(qs).order_by("-score", "title", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        for risk in ctx["risks"]:
            risk.partnership = self.partnership
            risk.user_can_review = can_review(user, risk)
        ctx.update(
            partnership=self.partnership,
            filters=self.filters,
            heat_map=partnership_heat_map(self.partnership),
            can_edit=can_edit(user, self.partnership),
            today=timezone.localdate(),
            is_filtered=any(v for v in self.request.GET.values()),
        )
        return ctx


@login_required
@require_http_methods(["GET", "POST"])
def risk_create(request, pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    form = RiskForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_create(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Risk “%(title)s” added.") % {"title": risk.title})
            return redirect("risks:list", pk=partnership.pk)
    return render(
        request,
        "risks/risk_form.html",
        {"form": form, "partnership": partnership, "risk": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def risk_edit(request, pk, risk_pk):
    risk = get_risk_for(request.user, pk, risk_pk, EDIT)
    partnership = risk.partnership
    form = RiskForm(request.POST or None, instance=risk, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            risk = services.risk_update(risk=risk, by=request.user, **changed)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Risk “%(title)s” saved.") % {"title": risk.title})
            return redirect(risk.get_absolute_url())
    return render(
        request,
        "risks/risk_form.html",
        {"form": form, "partnership": partnership, "risk": risk},
        status=400 if form.errors else 200,
    )


@login_required
def risk_detail(request, pk, risk_pk):
    risk = get_risk_for(request.user, pk, risk_pk)
    reviews = risk.reviews.select_related("reviewer").order_by("reviewed_on", "pk")
    ctx = _row_context(request, risk, reviews=reviews)
    if ctx["can_review"]:
        ctx["review_form"] = ReviewForm(initial=_review_initial(risk))
    if ctx["can_edit"] and risk.is_active:
        ctx["close_form"] = CloseForm()
    return render(request, "risks/risk_detail.html", ctx)


def _review_initial(risk):
    return {
        "reviewed_on": timezone.localdate(),
        "likelihood": risk.likelihood,
        "impact": risk.impact,
        "status": risk.status,
    }


@login_required
@require_http_methods(["GET", "POST"])
def risk_review(request, pk, risk_pk):
    """Record a review; from the list (htmx) the row is swapped in place with the heat map."""
    risk = get_risk_for(request.user, pk, risk_pk, REVIEW)
    form = ReviewForm(
        request.POST or None, initial=_review_initial(risk), auto_id=f"id_review{risk.pk}_%s"
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_review(risk=risk, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _is_htmx(request):
                return _row_response(request, risk, message=_("Review recorded."))
            messages.success(request, _("Review recorded."))
            return redirect(risk.get_absolute_url())
    ctx = _row_context(request, risk, form=form)
    if _is_htmx(request):
        # Errors are swapped in place too (htmx only swaps 2xx responses).
        return render(request, "risks/_review_row.html", ctx)
    return render(request, "risks/risk_review.html", ctx, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def risk_close(request, pk, risk_pk):
    risk = get_risk_for(request.user, pk, risk_pk, EDIT)
    form = CloseForm(request.POST or None, auto_id=f"id_close{risk.pk}_%s")
    if request.method == "POST" and form.is_valid():
        try:
            risk = services.risk_close(risk=risk, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if _is_htmx(request):
                return _row_response(request, risk, message=_("Risk closed."))
            messages.success(request, _("Risk “%(title)s” closed.") % {"title": risk.title})
            return redirect("risks:list", pk=pk)
    ctx = _row_context(request, risk, form=form)
    if _is_htmx(request):
        return render(request, "risks/_close_row.html", ctx)
    return render(request, "risks/risk_close.html", ctx, status=400 if form.errors else 200)


@login_required
def risk_row(request, pk, risk_pk):
    """The plain row (htmx "cancel" of an in-place form)."""
    risk = get_risk_for(request.user, pk, risk_pk)
    return render(request, "risks/_risk_row.html", _row_context(request, risk))


def _row_response(request, risk, *, message: str) -> HttpResponse:
    risk = Risk.objects.select_related("owner__organisation").get(pk=risk.pk)
    risk.partnership = get_partnership_for(request.user, risk.partnership_id)
    ctx = _row_context(
        request,
        risk,
        heat_map=partnership_heat_map(risk.partnership),
        oob=True,
        message=message,
    )
    return render(request, "risks/_risk_row_updated.html", ctx)


class PortfolioView(LoginRequiredMixin, ListView):
    """All risks of the partnerships the user can see, across the portfolio."""

    template_name = "risks/portfolio.html"
    context_object_name = "risks"
    paginate_by = 50

    def get_queryset(self):
        user = self.request.user
        # The risks of visible partnerships by partnership id (index risk_partnership_score),
        # without joining or de-duplicating partnerships; administrators see every risk.
        ids = visible_ids(user)
        self.base = (
            # (amendments' working copies hold copies of risks, not risks of their own)
            Risk.objects.filter(partnership__is_working_copy=False)
            if ids is None
            else Risk.objects.filter(partnership_id__in=ids)
        )
        self.filters = PortfolioFilterForm(self.request.GET, auto_id="id_filter_%s")
        qs = self.filters.filter(self.base)
        # The heat map's counts also give the paginator its total (no COUNT(*)): over every
        # risk (administrators) from the tally when the filters allow, else one GROUP BY.
        keep = self.filters.cell_filter() if ids is None else None
        self.counts = tallied_heat_map_counts(keep) if keep else heat_map_counts(qs)
        self.total = sum(self.counts.values())
        return qs.select_related("partnership", "owner__organisation")

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.__dict__["count"] = self.total  # known from the heat map: no COUNT(*)
        return paginator

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        counts = self.counts
        params = self.request.GET.copy()
        for name in ("page", "likelihood", "impact"):
            params.pop(name, None)
        base = f"{reverse('risks:portfolio')}?{params.urlencode()}&".replace("?&", "?")

        def link(likelihood, impact):
            return f"{base}likelihood={likelihood}&impact={impact}#risks"

        ctx.update(
            filters=self.filters,
            heat_map=heat_map(
                counts,
                link=link,
                caption=_("Risks listed below by likelihood (rows) and impact (columns)"),
            ),
            overdue_count=self.base.overdue().count(),
            today=timezone.localdate(),
            query=self._query_without_page(),
        )
        return ctx

    def _query_without_page(self) -> str:
        params = self.request.GET.copy()
        params.pop("page", None)
        return params.urlencode()
