"""Pages for actors: the register of organisations, their capacities and contact people."""

import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET
from django.views.generic import CreateView, DetailView, ListView, UpdateView
from django_countries import countries

from . import importing
from .forms import (
    CapacityFormSet,
    CapacitySearchForm,
    ContactFormSet,
    OrganisationFilterForm,
    OrganisationForm,
)
from .models import Capacity, Organisation
from .permissions import can_create_organisation, can_edit_organisation, can_manage_actors

# Apps above ``actors`` add to an organisation's page (its partnerships, for example) with
# ``register_detail_context(provider)``; ``provider(request, organisation) -> dict``.
_detail_context = []


def register_detail_context(provider) -> None:
    if provider not in _detail_context:
        _detail_context.append(provider)


def _query_string_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class OrganisationListView(LoginRequiredMixin, ListView):
    model = Organisation
    paginate_by = 30

    def get_filter_form(self):
        codes = Organisation.objects.order_by().values_list("country", flat=True).distinct()
        choices = sorted(((c, countries.name(c)) for c in codes if c), key=lambda c: c[1])
        return OrganisationFilterForm(self.request.GET or None, countries=choices)

    def get_queryset(self):
        self.filter_form = self.get_filter_form()
        qs = Organisation.objects.all()
        if self.filter_form.is_bound and self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            qs = qs.search(data["q"])
            for name in ("sector", "level", "country"):
                if data[name]:
                    qs = qs.filter(**{name: data[name]})
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter_form=self.filter_form,
            query_string=_query_string_without_page(self.request),
            can_create=can_create_organisation(self.request.user),
            **kwargs,
        )


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    model = Organisation

    def get_queryset(self):
        return Organisation.objects.prefetch_related("capacities", "contacts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            can_edit=can_edit_organisation(self.request.user, self.object), **kwargs
        )
        for provider in _detail_context:
            context.update(provider(self.request, self.object))
        return context


class OrganisationFormMixin:
    """The organisation with its capacities and contact people, saved together or not at all."""

    model = Organisation
    form_class = OrganisationForm

    def get_formsets(self):
        data = self.request.POST if self.request.method == "POST" else None
        instance = self.object or Organisation()
        return {
            "capacities": CapacityFormSet(data, instance=instance, prefix="capacities"),
            "contacts": ContactFormSet(data, instance=instance, prefix="contacts"),
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("formsets", self.get_formsets())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if self.kwargs.get("pk") else None
        form = self.get_form()
        formsets = self.get_formsets()
        if form.is_valid() and all(fs.is_valid() for fs in formsets.values()):
            with transaction.atomic():
                self.object = form.save()
                for formset in formsets.values():
                    formset.instance = self.object
                    formset.save()
            messages.success(request, _("The organisation was saved."))
            return HttpResponseRedirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formsets=formsets))


class OrganisationCreateView(LoginRequiredMixin, OrganisationFormMixin, CreateView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_create_organisation(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OrganisationUpdateView(LoginRequiredMixin, OrganisationFormMixin, UpdateView):
    def get_object(self, queryset=None):
        organisation = super().get_object(queryset)
        if not can_edit_organisation(self.request.user, organisation):
            raise PermissionDenied
        return organisation


class CapacityCatalogueView(LoginRequiredMixin, ListView):
    """Every actor's capacities, searchable by text and area."""

    template_name = "actors/capacity_list.html"
    paginate_by = 50

    def get_queryset(self):
        self.search_form = CapacitySearchForm(self.request.GET or None)
        text = area = ""
        if self.search_form.is_bound and self.search_form.is_valid():
            text, area = self.search_form.cleaned_data["q"], self.search_form.cleaned_data["area"]
        return Capacity.objects.search(text=text, area=area).order_by(
            "area", "organisation__name", "description"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search_form=self.search_form,
            query_string=_query_string_without_page(self.request),
            **kwargs,
        )


SEARCH_LIMIT = 20


@login_required
@require_GET
def organisation_search(request):
    """At most ``SEARCH_LIMIT`` organisations whose name or acronym contains ``q``, as JSON for
    the organisation picker (``forms.OrganisationPicker``); ``more`` says that others match too.
    Organisations are directory data that everybody who logs in sees, as on the list page."""
    text = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    found = list(
        Organisation.objects.suggest(text).values("id", "name", "acronym")[: SEARCH_LIMIT + 1]
    )
    return JsonResponse({"results": found[:SEARCH_LIMIT], "more": len(found) > SEARCH_LIMIT})


# ----- import from CSV/XLSX -----------------------------------------------------------------------

IMPORT_SESSION_KEY = "actors_import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("One organisation per row; the first row names the columns."),
    )


@login_required
def organisation_import(request):
    """Upload -> preview with a row-by-row error report -> confirm (imports all or nothing)."""
    if not can_manage_actors(request.user):
        raise PermissionDenied
    context = {"columns": importing.COLUMNS, "required": importing.REQUIRED}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(IMPORT_SESSION_KEY)
        if not pending or pending.get("token") != request.POST.get("token"):
            messages.error(request, _("Nothing to import: upload the file again."))
            return redirect("actors:import")
        try:
            created = importing.organisations_import(rows=pending["rows"])
        except ValueError as exc:
            request.session.pop(IMPORT_SESSION_KEY, None)
            context.update(form=ImportForm(), errors=exc.args[0], rows=pending["rows"])
            return render(request, "actors/organisation_import.html", context, status=400)
        request.session.pop(IMPORT_SESSION_KEY, None)
        messages.success(request, _("%(n)s organisations imported.") % {"n": len(created)})
        return redirect("actors:list")
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = importing.read_file(form.cleaned_data["file"])
            except importing.ImportFileError as exc:
                form.add_error("file", str(exc))
            else:
                cleaned, errors = importing.check_rows(rows)
                context.update(rows=cleaned, errors=errors)
                if not errors:
                    token = secrets.token_urlsafe(16)
                    request.session[IMPORT_SESSION_KEY] = {"token": token, "rows": cleaned}
                    context["token"] = token
                else:
                    request.session.pop(IMPORT_SESSION_KEY, None)
        context["form"] = form
        status = 400 if (form.errors or context.get("errors")) else 200
        return render(request, "actors/organisation_import.html", context, status=status)
    context["form"] = ImportForm()
    return render(request, "actors/organisation_import.html", context)
