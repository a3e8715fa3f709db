"""Requesting, rendering, signing, storing and verifying documents, by step: ``requests``
(a ``Document`` row in the caller's transaction, handed to Celery after commit, and the sweep
that re-queues lost ones), ``rendering`` (claim, render with WeasyPrint, sign, store, exactly
once), ``contexts`` (what each document shows) and ``verification`` (by code or by file)."""

from .. import signing
from .contexts import (
    agreement_context,
    awaited_signatures,
    progress_context,
    qr_data_uri,
    signatures,
)
from .rendering import TEMPLATES, document_render, html_to_pdf, render_html, render_signed_pdf
from .requests import (
    MAX_ATTEMPTS,
    REQUEUE_AFTER,
    STUCK_AFTER,
    DocumentRefused,
    current_agreement_version,
    document_request_agreement,
    document_request_agreement_draft,
    document_request_closure,
    document_request_progress,
    documents_left_for_the_sweep,
    documents_requeue_stale,
)
from .verification import (
    Verification,
    document_for_code,
    document_verify_file,
    document_verify_wait,
    read_upload,
    superseding_agreement,
)

__all__ = [
    "MAX_ATTEMPTS",
    "REQUEUE_AFTER",
    "STUCK_AFTER",
    "TEMPLATES",
    "DocumentRefused",
    "Verification",
    "agreement_context",
    "awaited_signatures",
    "current_agreement_version",
    "document_for_code",
    "document_render",
    "document_request_agreement",
    "document_request_agreement_draft",
    "document_request_closure",
    "document_request_progress",
    "document_verify_file",
    "document_verify_wait",
    "documents_left_for_the_sweep",
    "documents_requeue_stale",
    "html_to_pdf",
    "progress_context",
    "qr_data_uri",
    "read_upload",
    "render_html",
    "render_signed_pdf",
    "signatures",
    "signing",
    "superseding_agreement",
]
