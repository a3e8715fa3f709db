"""Rendering a requested document: document_render claims the row (a compare-and-set from
queued to rendering under select_for_update(skip_locked=True)), renders the HTML
template with WeasyPrint as PDF/A-3b, signs it (signing), stores it through Django's
storage API and marks it ready only if its claim still holds, so running the task twice
yields one file."""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import checkpoints, signing
from ..models import Document, DocumentKind, DocumentStatus
from .contexts import _common_context, agreement_context, closure_context, progress_context

logger = logging.getLogger(__name__)


def _claim(document_id: int) -> Document | None:
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(skip_locked=True)
            .filter(pk=document_id, status=DocumentStatus.QUEUED)
            .first()
        )
        if document is None:
            return None
        document.status = DocumentStatus.RENDERING
        document.started_at = timezone.now()
        document.attempts = F("attempts") + 1
        document.save(update_fields=["status", "started_at", "attempts", "updated_at"])
        document.refresh_from_db(fields=["attempts"])
    return document


def document_render(*, document_id: int) -> Document | None:
    """Render, sign and store one requested document. Returns it when this call produced the
    file; ``None`` when there was nothing to do (already claimed, done, or unknown)."""
    document = _claim(document_id)
    if document is None:
        return None
    claim = document.attempts
    try:
        pdf = render_signed_pdf(document)
    except Exception as exc:
        logger.exception("Document %s could not be generated", document.pk)
        Document.objects.filter(
            pk=document.pk, status=DocumentStatus.RENDERING, attempts=claim
        ).update(
            status=DocumentStatus.FAILED,
            failure_reason=f"{type(exc).__name__}: {exc}"[:1000],
            updated_at=timezone.now(),
        )
        return None
    return _store(document, pdf, claim=claim)


def _store(document: Document, pdf: bytes, *, claim: int) -> Document | None:
    stem = document.download_name().removesuffix(".pdf")
    name = document.file.field.generate_filename(
        document, f"{stem}_{document.verification_code}.pdf"
    )
    stored = document.file.storage.save(name, ContentFile(pdf))
    digest = signing.sha256_hex(pdf)
    now = timezone.now()
    with transaction.atomic():
        won = Document.objects.filter(
            pk=document.pk, status=DocumentStatus.RENDERING, attempts=claim
        ).update(
            status=DocumentStatus.READY,
            file=stored,
            sha256=digest,
            rendered_at=now,
            failure_reason="",
            updated_at=now,
        )
    if not won:
        # Another run took the request over meanwhile; its file is the one that counts.
        document.file.storage.delete(stored)
        return None
    document.refresh_from_db()
    # A signed document is a moment the trail's head is worth recording outside the database
    # (the document is committed: the store above ran in its own transaction).
    checkpoints.write_quietly(reason=f"document {document.verification_code}")
    return document


def render_signed_pdf(document: Document) -> bytes:
    pdf = html_to_pdf(render_html(document))
    with translation.override(document.language):
        reason = _("%(kind)s %(version)s of %(reference)s, issued by Alianza") % {
            "kind": document.get_kind_display(),
            "version": _("version %(n)s") % {"n": document.version} if document.version else "",
            "reference": document.partnership.reference,
        }
    return signing.sign_pdf(
        pdf, reason=" ".join(reason.split()), verification_code=document.verification_code
    )


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    # Tagged (a structure tree with headings, tables and reading order, and the language):
    # screen readers can read it. PDF/A-3b as before; pyHanko's signature is appended after.
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/a-3b", pdf_tags=True
    )


TEMPLATES = {
    DocumentKind.AGREEMENT: "reports/pdf/agreement.html",
    DocumentKind.AGREEMENT_DRAFT: "reports/pdf/agreement.html",
    DocumentKind.PROGRESS: "reports/pdf/progress.html",
    DocumentKind.CLOSURE: "reports/pdf/closure.html",
}


def render_html(document: Document) -> str:
    """The document's HTML, in the partnership's language."""
    builders = {
        DocumentKind.AGREEMENT: agreement_context,
        DocumentKind.AGREEMENT_DRAFT: agreement_context,
        DocumentKind.PROGRESS: progress_context,
        DocumentKind.CLOSURE: closure_context,
    }
    with translation.override(document.language):
        context = _common_context(document)
        context.update(builders[document.kind](document))
        return render_to_string(TEMPLATES[document.kind], context)
