"""Documents of a partnership (list, request, status, download) and the public verification."""

import math

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from partnerships.audit import client_ip
from partnerships.permissions import can_request_report, get_partnership_for

from . import services, signing
from .forms import ProgressReportForm, VerifyForm
from .models import Document, DocumentStatus


def _documents(partnership):
    return partnership.documents.select_related("requested_by").order_by("-created_at", "-pk")


@login_required
@require_http_methods(["GET", "POST"])
def document_list(request, pk):
    """The partnership's documents, and the form to ask for a progress report for those who may
    (``permissions.can_request_report``; the service checks it and the per-person limit)."""
    partnership = get_partnership_for(request.user, pk)
    may_request = can_request_report(request.user, partnership)
    if request.method == "POST" and not may_request:
        raise PermissionDenied
    form = ProgressReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.document_request_progress(
                partnership=partnership,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                by=request.user,
            )
        except services.DocumentRefused as refused:
            for reason in refused.reasons:
                form.add_error(None, reason)
        else:
            return redirect("reports:list", pk=partnership.pk)
    return render(
        request,
        "reports/document_list.html",
        {
            "partnership": partnership,
            "documents": _documents(partnership),
            "form": form,
            "may_request": may_request,
        },
    )


@login_required
@require_GET
def document_status(request, pk):
    """The documents table alone, which the list page fetches while a document is pending."""
    partnership = get_partnership_for(request.user, pk)
    return render(
        request,
        "reports/_documents.html",
        {"partnership": partnership, "documents": _documents(partnership)},
    )


@require_GET
def document_download(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    document = get_object_or_404(Document, pk=pk, status=DocumentStatus.READY)
    get_partnership_for(request.user, document.partnership_id)
    if not document.file:
        raise Http404("No file.")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name(),
        content_type="application/pdf",
    )


@require_http_methods(["GET", "POST"])
def verify(request):
    """Public: is this code or this PDF a document Alianza issued, unchanged?"""
    result = None
    looked_up = False
    wait, busy = 0, False
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            looked_up = True
            upload = form.cleaned_data.get("file")
            if upload and not request.user.is_authenticated:
                wait = services.document_verify_wait(address=client_ip(request))
            if wait:
                form.add_error("file", _too_many(wait))
                looked_up = False
            elif upload:
                try:
                    result = services.document_verify_file(services.read_upload(upload))
                except services.DocumentRefused as refused:
                    form.add_error("file", refused.reasons[0])
                    looked_up = False
                except signing.CheckerBusy:
                    form.add_error(
                        "file",
                        _("Another file is being checked right now. Try again in a minute."),
                    )
                    looked_up, busy = False, True
            else:
                result = _by_code(form.cleaned_data["code"])
    else:
        form = VerifyForm(initial={"code": request.GET.get("code", "")})
        if request.GET.get("code"):
            looked_up = True
            result = _by_code(request.GET["code"])
    response = render(
        request,
        "reports/verify.html",
        {"form": form, "result": result, "looked_up": looked_up},
        status=429 if wait else 503 if busy else 200,
    )
    if wait or busy:
        response["Retry-After"] = str(wait or 60)
    return response


def _too_many(wait: int) -> str:
    minutes = math.ceil(wait / 60)
    return ngettext(
        "Too many files were checked from your address. Try again in %(count)d minute, or "
        "enter the verification code instead.",
        "Too many files were checked from your address. Try again in %(count)d minutes, or "
        "enter the verification code instead.",
        minutes,
    ) % {"count": minutes}


def _by_code(code: str) -> services.Verification:
    document = services.document_for_code(code)
    if document is None:
        return services.Verification(
            reasons=[_("No document issued by Alianza has this verification code.")]
        )
    return services.Verification(
        authentic=True,
        document=document,
        sha256=document.sha256,
        superseded_by=services.superseding_agreement(document),
    )
