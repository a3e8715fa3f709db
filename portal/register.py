"""The public register: partnerships that opted in (``is_published``), readable without login.

Only non-confidential fields are shown (the public summary, members, phase) and only final
documents meant for the public (ready agreements and closure reports). Anything about an
unpublished partnership is a 404, as if it did not exist.
"""

from django.db.models import Prefetch
from django.http import FileResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from partnerships.models import Member, Partnership
from reports.models import Document

# Kinds of document the register publishes (reports.models.DocumentKind values).
PUBLIC_DOCUMENT_KINDS = ("agreement", "closure")


def _public_documents():
    return (
        Document.objects.ready()
        .filter(kind__in=PUBLIC_DOCUMENT_KINDS, partnership__is_published=True)
        .exclude(file="")
        .order_by("kind", "-version", "-pk")
    )


def _published():
    members = Member.objects.select_related("organisation").order_by("organisation__name")
    qs = (
        Partnership.objects.filter(is_published=True)
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("title", "pk")
    )
    documents = _public_documents()
    return qs.prefetch_related(Prefetch("documents", queryset=documents, to_attr="public_docs"))


@require_GET
def register(request):
    return render(request, "public/register.html", {"partnerships": _published()})


@require_GET
def register_detail(request, reference):
    partnership = get_object_or_404(_published(), reference=reference)
    return render(request, "public/register_detail.html", {"partnership": partnership})


@require_GET
def document_download(request, pk):
    """A published document, without login; 404 for anything else."""
    document = get_object_or_404(_public_documents().select_related("partnership"), pk=pk)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.download_name(),
        content_type="application/pdf",
    )
