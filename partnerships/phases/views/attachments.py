"""Attachments of any phase: upload, download, delete."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ...models import (
    Attachment,
    Measurement,
    Meeting,
)
from ...permissions import (
    CONTRIBUTE,
    EDIT,
    get_partnership_for,
)
from .. import services as phase_services
from ..forms import (
    AttachmentForm,
)
from .common import (
    _messages_of,
)

# ----- attachments -----------------------------------------------------------------------------


def _safe_back(request, pk) -> str:
    """The ``next`` page if it is on this site (no ``//host`` nor ``/\\host`` tricks), else
    the operation page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("partnerships:phase_operation", args=[pk])


@login_required
@require_POST
def attachment_upload(request, pk):
    partnership = get_partnership_for(request.user, pk, CONTRIBUTE)
    form = AttachmentForm(request.POST, request.FILES)
    back = _safe_back(request, pk)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    meeting_obj = measurement_obj = None
    if form.cleaned_data["meeting"]:
        meeting_obj = Meeting.objects.filter(
            pk=form.cleaned_data["meeting"], partnership=partnership
        ).first()
    if form.cleaned_data["measurement"]:
        measurement_obj = Measurement.objects.filter(
            pk=form.cleaned_data["measurement"], indicator__objective__partnership=partnership
        ).first()
    if (form.cleaned_data["meeting"] and not meeting_obj) or (
        form.cleaned_data["measurement"] and not measurement_obj
    ):
        raise Http404("No such record.")
    try:
        attachment = phase_services.attachment_upload(
            partnership=partnership,
            upload=form.cleaned_data["file"],
            by=request.user,
            meeting=meeting_obj,
            measurement=measurement_obj,
            description=form.cleaned_data["description"],
        )
    except ValidationError as e:
        for m in _messages_of(e):
            messages.error(request, m)
    else:
        messages.success(
            request, _("“%(name)s” was attached.") % {"name": attachment.original_name}
        )
    return redirect(back)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    partnership = get_partnership_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, partnership=partnership)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, partnership=partnership)
    phase_services.attachment_delete(attachment=attachment)
    messages.success(request, _("The attachment was removed."))
    back = _safe_back(request, pk)
    return redirect(back)
