"""Browser downloads: spreadsheets of the partnerships a user can see, and IATI XML."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..models import Partnership
from ..permissions import get_partnership_for
from . import iati
from . import tables as exports
from .text import attachment_name


def xml_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{attachment_name(filename)}"'
    return response


@require_GET
@login_required
def index(request):
    return render(
        request,
        "partnerships/exports.html",
        {"datasets": exports.datasets().values(), "formats": list(exports.FORMATS)},
    )


@require_GET
@login_required
def dataset(request, dataset, fmt):
    if dataset not in exports.datasets() or fmt not in exports.FORMATS:
        raise Http404("No such dataset.")
    return exports.download(dataset, fmt, Partnership.objects.visible_to(request.user))


@require_GET
@login_required
def portfolio_iati(request):
    qs = Partnership.objects.visible_to(request.user).order_by("pk")
    stamp = timezone.localdate().isoformat()
    return xml_download(iati.activities_xml(qs), f"alianza-iati-{stamp}.xml")


@require_GET
@login_required
def partnership_iati(request, pk):
    # An amendment's working copy is no activity of its own: never published.
    partnership = get_partnership_for(request.user, pk, queryset=Partnership.objects.all())
    return xml_download(iati.activities_xml([partnership]), f"{partnership.reference}-iati.xml")
