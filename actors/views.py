import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from . import importing
from .models import Organisation
from .permissions import can_manage_actors


class OrganisationListView(LoginRequiredMixin, ListView):
    model = Organisation
    paginate_by = 50


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    model = Organisation


# ----- import from CSV/XLSX -----------------------------------------------------------------------

IMPORT_SESSION_KEY = "actors_import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One organisation per row; the first row names the columns."),
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
