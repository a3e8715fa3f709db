"""Requesting documents: each request writes a Document row in the caller's transaction and
hands its id to Celery after commit; documents_requeue_stale is the sweep that re-queues
requests whose task was lost."""

import contextlib
import contextvars
import datetime
import logging

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from partnerships.models import (
    GateRequest,
    GateStatus,
    Partnership,
)
from partnerships.permissions import can_request_report

from ..models import PENDING_STATUSES, Document, DocumentKind, DocumentStatus

logger = logging.getLogger(__name__)
RENDER_TASK = "reports.tasks.render_document"  # a stable name: beat rows and queues store it


# The sweep: a queued request older than this is handed to Celery again (its message was lost);
# a rendering that has not finished after this long is retried (its worker died).
REQUEUE_AFTER = datetime.timedelta(minutes=getattr(settings, "ALIANZA_DOCUMENT_REQUEUE_MINUTES", 5))
STUCK_AFTER = datetime.timedelta(minutes=getattr(settings, "ALIANZA_DOCUMENT_STUCK_MINUTES", 15))
MAX_ATTEMPTS = getattr(settings, "ALIANZA_DOCUMENT_MAX_ATTEMPTS", 3)


class DocumentRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(str(r) for r in reasons))


def _send(pk: int) -> None:
    """Hand a request to Celery; if the broker is down the row stays queued and the sweep
    (``documents_requeue_stale``) sends it again later: the user's action is not lost."""
    from kombu.exceptions import OperationalError

    try:
        # By its registered name, so the services do not import the tasks that call them;
        # the app's registry (which imports every tasks module) gives the task itself, so
        # eager mode (``make run``) runs it in-process.
        current_app.tasks[RENDER_TASK].delay(pk)
    except (OperationalError, OSError) as error:
        logger.warning("Broker unavailable, document %s left for the sweep: %s", pk, error)


_left_for_the_sweep = contextvars.ContextVar("alianza_documents_left_for_the_sweep", default=False)


@contextlib.contextmanager
def documents_left_for_the_sweep():
    """Requests made inside stay ``queued`` without being handed to Celery now: the sweep
    (``documents_requeue_stale``) sends them to a worker later, exactly as when the broker is
    down. For bulk loads (``load_demo --queue-documents``) that should not wait for PDFs."""
    token = _left_for_the_sweep.set(True)
    try:
        yield
    finally:
        _left_for_the_sweep.reset(token)


def _queue(document: Document) -> None:
    if _left_for_the_sweep.get():
        return
    pk = document.pk
    transaction.on_commit(lambda: _send(pk))


def _create_once(*, dedupe_key: str, **fields) -> tuple[Document, bool]:
    """The request with this key, created if missing (a savepoint keeps a race harmless)."""
    existing = Document.objects.filter(dedupe_key=dedupe_key).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            document = Document.objects.create(
                dedupe_key=dedupe_key, queued_at=timezone.now(), **fields
            )
    except IntegrityError:
        return Document.objects.get(dedupe_key=dedupe_key), False
    _queue(document)
    return document, True


def _next_agreement_version(partnership: Partnership) -> int:
    latest = Document.objects.filter(
        partnership=partnership, kind=DocumentKind.AGREEMENT
    ).aggregate(v=Max("version"))["v"]
    return (latest or 0) + 1


def current_agreement_version(partnership: Partnership) -> int | None:
    return (
        Document.objects.filter(partnership=partnership, kind=DocumentKind.AGREEMENT)
        .aggregate(v=Max("version"))
        .get("v")
    )


def document_request_agreement_draft(*, gate_request: GateRequest) -> Document:
    """The draft the design gate's approvers read: the content the request froze, marked
    as a draft on every page. Call inside the transaction that opens the request."""
    partnership = gate_request.partnership
    document, _created = _create_once(
        dedupe_key=f"agreement_draft:{gate_request.pk}",
        partnership=partnership,
        kind=DocumentKind.AGREEMENT_DRAFT,
        version=_next_agreement_version(partnership),
        language=partnership.language,
        content=gate_request.content or {},
        fingerprint=gate_request.fingerprint,
        gate_request=gate_request,
        requested_by=gate_request.requested_by,
    )
    return document


def _design_gate_request(partnership: Partnership) -> GateRequest | None:
    """The sign-off that moved the partnership into operation: the newest design-gate request
    that was not refused or cancelled (it may still read ``open`` while its transition runs)."""
    return (
        GateRequest.objects.filter(partnership=partnership, transition="start_operation")
        .exclude(status__in=[GateStatus.REFUSED, GateStatus.CANCELLED])
        .order_by("-requested_at", "-pk")
        .first()
    )


def document_request_agreement(
    *, partnership: Partnership, by=None, gate_request: GateRequest | None = None
) -> Document:
    """The final agreement, requested when the design gate is passed or an amendment is signed
    (``gate_request``: the amendment's sign-off); its version is the next one and never
    changes. Without a sign-off on record, the current agreed content is frozen."""
    gate_request = gate_request or _design_gate_request(partnership)
    if gate_request is not None:
        key = f"agreement:{gate_request.pk}"
        content, fingerprint = gate_request.content or {}, gate_request.fingerprint
        by = by or gate_request.requested_by
    else:
        # No sign-off recorded: freeze what is agreed now, once per operation start.
        content = partnership.agreed_content()
        fingerprint = partnership.agreed_fingerprint(content)
        key = f"agreement:p{partnership.pk}:{fingerprint}"
    document, _created = _create_once(
        dedupe_key=key,
        partnership=partnership,
        kind=DocumentKind.AGREEMENT,
        version=_next_agreement_version(partnership),
        language=partnership.language,
        content=content,
        fingerprint=fingerprint,
        gate_request=gate_request,
        requested_by=by,
    )
    return document


def document_request_closure(*, partnership: Partnership, by=None) -> Document:
    document, _created = _create_once(
        dedupe_key=f"closure:{partnership.pk}",
        partnership=partnership,
        kind=DocumentKind.CLOSURE,
        version=current_agreement_version(partnership),
        language=partnership.language,
        requested_by=by,
    )
    return document


def _queued_by(user) -> int:
    return Document.objects.filter(
        kind=DocumentKind.PROGRESS, requested_by=user, status__in=PENDING_STATUSES
    ).count()


@transaction.atomic
def document_request_progress(
    *, partnership: Partnership, period_start: datetime.date, period_end: datetime.date, by
) -> Document:
    """A progress report for a period; asking again while one is being made returns it.

    Only people who may ask (``permissions.can_request_report``: the facilitator and the people
    of member organisations; ``PermissionDenied`` otherwise), each with at most
    ``ALIANZA_DOCUMENT_QUEUE_PER_PERSON`` reports waiting (``DocumentRefused``). Takes a row
    lock on the requesting user, so one person's simultaneous requests are counted in turn.
    """
    if not can_request_report(by, partnership):
        raise PermissionDenied(
            _("Only the facilitator and the members ask for reports; donors download them.")
        )
    if period_end < period_start:
        raise DocumentRefused([_("The period must end after it starts.")])
    if period_end > timezone.localdate() + datetime.timedelta(days=366):
        raise DocumentRefused([_("The period must not end more than a year from now.")])
    fields = {
        "partnership": partnership,
        "kind": DocumentKind.PROGRESS,
        "period_start": period_start,
        "period_end": period_end,
        "language": partnership.language,
    }
    existing = Document.objects.filter(status__in=PENDING_STATUSES, **fields).first()
    if existing:
        return existing
    limit = settings.ALIANZA_DOCUMENT_QUEUE_PER_PERSON
    if limit:
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        waiting = _queued_by(by)
        if waiting >= limit:
            raise DocumentRefused(
                [
                    ngettext(
                        "You already have %(count)s report waiting to be generated; ask for "
                        "another once it is ready (one person may have %(limit)s waiting).",
                        "You already have %(count)s reports waiting to be generated; ask for "
                        "another once one is ready (one person may have %(limit)s waiting).",
                        waiting,
                    )
                    % {"count": waiting, "limit": limit}
                ]
            )
    try:
        with transaction.atomic():
            document = Document.objects.create(
                **fields,
                version=current_agreement_version(partnership),
                requested_by=by,
                queued_at=timezone.now(),
            )
    except IntegrityError:
        return Document.objects.filter(status__in=PENDING_STATUSES, **fields).first()
    _queue(document)
    return document


def documents_requeue_stale(*, now: datetime.datetime | None = None) -> int:
    """Hand lost requests to Celery again; returns how many were re-queued.

    Queued rows older than ``REQUEUE_AFTER`` are sent again (the claim makes a duplicate
    harmless). Rendering rows older than ``STUCK_AFTER`` go back to queued, or fail after
    ``MAX_ATTEMPTS``."""

    now = now or timezone.now()
    ids = []
    with transaction.atomic():
        stuck = Document.objects.select_for_update(skip_locked=True).filter(
            status=DocumentStatus.RENDERING, started_at__lt=now - STUCK_AFTER
        )
        for document in stuck:
            if document.attempts >= MAX_ATTEMPTS:
                document.status = DocumentStatus.FAILED
                document.failure_reason = _("Gave up after %(n)s attempts.") % {
                    "n": document.attempts
                }
                document.save(update_fields=["status", "failure_reason", "updated_at"])
            else:
                document.status = DocumentStatus.QUEUED
                document.queued_at = now
                document.save(update_fields=["status", "queued_at", "updated_at"])
                ids.append(document.pk)
        lost = list(
            Document.objects.select_for_update(skip_locked=True)
            .filter(status=DocumentStatus.QUEUED)
            .filter(Q(queued_at__lt=now - REQUEUE_AFTER) | Q(queued_at__isnull=True))
            .values_list("pk", flat=True)
        )
        Document.objects.filter(pk__in=lost).update(queued_at=now)
        ids.extend(lost)
        for pk in ids:
            transaction.on_commit(lambda pk=pk: _send(pk))
    if ids:
        logger.info("Re-queued %s document request(s): %s", len(ids), ids)
    return len(ids)
