"""Requesting, rendering, signing, storing and verifying documents.

Requests (``document_request_*``) only write a ``Document`` row in the caller's transaction
and hand its id to Celery after commit. ``document_render`` does the work for the task: it
claims the row (a compare-and-set from ``queued`` to ``rendering`` under
``select_for_update(skip_locked=True)``), renders the HTML template with WeasyPrint as
PDF/A-3b, signs it (``signing``), stores it through Django's storage API and marks it ``ready``
only if its claim still holds, so running the task twice yields one file.
``documents_requeue_stale`` is the sweep that re-queues requests whose task was lost.
"""

import base64
import contextlib
import contextvars
import datetime
import io
import ipaddress
import logging
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q, Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django_countries import countries

from actors import numbers
from actors.links import absolute_url
from partnerships.models import (
    Activity,
    ApprovalCapacity,
    ContributionKind,
    Decision,
    Delivery,
    FormalisationLevel,
    GateRequest,
    GateStatus,
    Indicator,
    Measurement,
    Meeting,
    MemberRole,
    Modality,
    ObjectiveKind,
    Partnership,
)
from partnerships.permissions import can_request_report
from partnerships.reference.codes import sector_label
from risks.heatmap import partnership_heat_map_svg
from risks.models import Category as RiskCategory

from . import charts, signing
from .models import PENDING_STATUSES, Document, DocumentKind, DocumentStatus

logger = logging.getLogger(__name__)

# The sweep: a queued request older than this is handed to Celery again (its message was lost);
# a rendering that has not finished after this long is retried (its worker died).
REQUEUE_AFTER = datetime.timedelta(minutes=getattr(settings, "ALIANZA_DOCUMENT_REQUEUE_MINUTES", 5))
STUCK_AFTER = datetime.timedelta(minutes=getattr(settings, "ALIANZA_DOCUMENT_STUCK_MINUTES", 15))
MAX_ATTEMPTS = getattr(settings, "ALIANZA_DOCUMENT_MAX_ATTEMPTS", 3)


class DocumentRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(str(r) for r in reasons))


# ----- requests ----------------------------------------------------------------------------------


def _send(pk: int) -> None:
    """Hand a request to Celery; if the broker is down the row stays queued and the sweep
    (``documents_requeue_stale``) sends it again later: the user's action is not lost."""
    from kombu.exceptions import OperationalError

    from .tasks import render_document

    try:
        render_document.delay(pk)
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


def document_request_agreement(*, partnership: Partnership, by=None) -> Document:
    """The final agreement, requested when the design gate is passed; its version is the next
    one and never changes. Without a sign-off on record, the current agreed content is frozen."""
    gate_request = _design_gate_request(partnership)
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


# ----- the sweep -------------------------------------------------------------------------------


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


# ----- rendering -------------------------------------------------------------------------------


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


def _css_string(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _page_counter_css() -> str:
    """``Page X of Y`` as a CSS ``content`` value, word order from the translation."""
    label = _("Page %(page)s of %(pages)s")
    out, rest = [], label
    for token, counter in (("%(page)s", "counter(page)"), ("%(pages)s", "counter(pages)")):
        before, _sep, rest = rest.partition(token)
        out += [_css_string(before), counter]
    out.append(_css_string(rest))
    return " ".join(out)


def qr_data_uri(url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=1)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode()


def _common_context(document: Document) -> dict:
    partnership = document.partnership
    url = document.verification_url()
    issued = timezone.localtime(document.started_at or timezone.now())
    footer = _("Verification code %(code)s · %(url)s") % {
        "code": document.verification_code,
        "url": absolute_url(reverse("reports:verify")),
    }
    return {
        "document": document,
        "partnership": partnership,
        "issued_at": issued,
        "verification_url": url,
        "qr": qr_data_uri(url),
        "is_draft": document.kind == DocumentKind.AGREEMENT_DRAFT,
        "css_page_counter": _page_counter_css(),
        "css_footer": _css_string(footer),
        "css_header": _css_string(f"{partnership.reference} · {document.get_kind_display()}"),
        "css_draft": _css_string(_("DRAFT: not signed, for review only")),
        "language": document.language,
        "country_name": countries.name(str(partnership.country)) or str(partnership.country),
    }


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or ""


def _date(value):
    if isinstance(value, str):
        return parse_date(value)
    return value


def _decimal(value) -> Decimal:
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError, TypeError):
        return Decimal(0)


def _risks_for_agreement(document: Document, content: dict) -> list[dict]:
    """Risks as the frozen content has them (if the risks app adds them to the agreed
    content), else the live register (``partnership.risks``) when it exists."""
    frozen = (content.get("extra") or {}).get("risks")
    if isinstance(frozen, list):
        return [
            {**r, "category_label": _label(RiskCategory, r.get("category"))}
            for r in frozen
            if isinstance(r, dict)
        ]
    manager = getattr(document.partnership, "risks", None)
    if manager is None:
        return []
    rows = []
    try:
        for risk in manager.all():
            owner = getattr(risk, "owner", None)
            rows.append(
                {
                    "title": getattr(risk, "title", "") or str(risk),
                    "category_label": risk.get_category_display()
                    if hasattr(risk, "get_category_display")
                    else getattr(risk, "category", ""),
                    "likelihood": getattr(risk, "likelihood", ""),
                    "impact": getattr(risk, "impact", ""),
                    "owner": str(getattr(owner, "organisation", owner) or ""),
                    "mitigation": getattr(risk, "mitigation", ""),
                }
            )
    except Exception:  # the risks app's shape is not this app's contract
        logger.exception("Could not list the risks of partnership %s", document.partnership_id)
    return rows


def agreement_context(document: Document) -> dict:
    content = document.content or {}
    members = [
        {**m, "role_label": _label(MemberRole, m.get("role"))} for m in content.get("members", [])
    ]
    objectives = [
        {
            **o,
            "kind_label": _label(ObjectiveKind, o.get("kind")),
            "indicators": [
                {**i, "baseline": _decimal(i.get("baseline")), "target": _decimal(i.get("target"))}
                for i in o.get("indicators", [])
            ],
        }
        for o in content.get("objectives", [])
    ]
    contributions = []
    totals = defaultdict(Decimal)
    for c in content.get("contributions", []):
        amount = _decimal(c.get("planned_amount"))
        totals[c.get("currency", "")] += amount
        contributions.append(
            {
                **c,
                "kind_label": _label(ContributionKind, c.get("kind")),
                "planned_amount": amount,
                "period_start": _date(c.get("period_start")),
                "period_end": _date(c.get("period_end")),
            }
        )
    dac = sector_label(content.get("dac_sector") or "")
    return {
        "content": content,
        "members": members,
        "objectives": objectives,
        "contributions": contributions,
        "contribution_totals": sorted(totals.items()),
        "start_date": _date(content.get("start_date")),
        "end_date": _date(content.get("end_date")),
        "assessment_dates": [_date(d) for d in content.get("assessment_dates", [])],
        "modality_label": _label(Modality, content.get("modality")),
        "formalisation_label": _label(FormalisationLevel, content.get("formalisation_level")),
        "dac_label": dac,
        "agreement_country": countries.name(content.get("country") or "") or content.get("country"),
        "risks": _risks_for_agreement(document, content),
        "signatures": signatures(document),
        "awaited": awaited_signatures(document),
    }


def _approval_row(approval) -> dict:
    organisation = (
        approval.member.organisation.name
        if approval.member_id and approval.member
        else (approval.approver.organisation.name if approval.approver.organisation_id else "")
    )
    role = approval.get_capacity_display()
    if approval.member_id and approval.member:
        role = f"{role} · {approval.member.get_role_display()}"
    if approval.approver.position:
        role = f"{approval.approver.position} ({role})"
    return {
        "name": approval.approver.full_name or approval.approver.email,
        "organisation": organisation,
        "role": role,
        "decided_at": timezone.localtime(approval.decided_at) if approval.decided_at else None,
        "reference": approval.reference,
        "fingerprint": approval.fingerprint,
        "is_official": approval.capacity == ApprovalCapacity.OFFICIAL,
    }


def _approvals(document: Document):
    if document.gate_request_id is None:
        return []
    return document.gate_request.approvals.select_related(
        "approver__organisation", "member__organisation"
    ).order_by("decided_at", "pk")


def signatures(document: Document) -> list[dict]:
    """Each approval of the design gate, for the final agreement's signatures page."""
    if document.kind != DocumentKind.AGREEMENT or document.gate_request_id is None:
        return []
    return [_approval_row(a) for a in _approvals(document) if a.decision == Decision.APPROVED]


def awaited_signatures(document: Document) -> list[dict]:
    """Whose sign-off the draft is submitted to."""
    if document.kind != DocumentKind.AGREEMENT_DRAFT or document.gate_request_id is None:
        return []
    return [
        _approval_row(a)
        for a in _approvals(document)
        if a.decision in (Decision.PENDING, Decision.APPROVED)
    ]


# ----- progress and closure --------------------------------------------------------------------


def _indicator_rows(partnership: Partnership, *, until: datetime.date, since=None) -> list[dict]:
    indicators = Indicator.objects.filter(objective__partnership=partnership).select_related(
        "objective"
    )
    latest = {}
    in_period = defaultdict(int)
    for m in Measurement.objects.filter(
        indicator__objective__partnership=partnership, measured_on__lte=until
    ).order_by("measured_on", "pk"):
        latest[m.indicator_id] = m
        if since is None or m.measured_on >= since:
            in_period[m.indicator_id] += 1
    rows = []
    for indicator in indicators.order_by("objective__order", "objective_id", "pk"):
        measurement = latest.get(indicator.pk)
        value = measurement.value if measurement else None
        span = indicator.target - indicator.baseline
        progress = None
        if value is not None and span:
            progress = float((value - indicator.baseline) / span)
        rows.append(
            {
                "indicator": indicator,
                "objective": indicator.objective,
                "value": value,
                "measured_on": measurement.measured_on if measurement else None,
                "measurements_in_period": in_period[indicator.pk],
                "progress": progress,
                "progress_pct": round(progress * 100) if progress is not None else None,
                "reached": value is not None
                and (value >= indicator.target if span >= 0 else value <= indicator.target),
            }
        )
    return rows


def _indicator_chart(rows) -> str:
    bars = []
    for row in rows:
        ind = row["indicator"]
        value = row["value"]
        caption = (
            f"{numbers.quantity(value)} / {numbers.quantity(ind.target)} {ind.unit}"
            if value is not None
            else _("no data")
        )
        bars.append(charts.IndicatorBar(ind.name, row["progress"] or 0.0, caption))
    return charts.indicator_chart(bars)


def _contribution_rows(partnership: Partnership, *, until: datetime.date, since=None):
    """Planned vs delivered per member and currency, delivered counted up to ``until``."""
    contributions = list(
        partnership.contributions.select_related("member__organisation").order_by(
            "member__organisation__name", "pk"
        )
    )
    with_deliveries = set(
        Delivery.objects.filter(contribution__partnership=partnership).values_list(
            "contribution_id", flat=True
        )
    )
    upto = dict(
        Delivery.objects.filter(contribution__partnership=partnership, delivered_on__lte=until)
        .values("contribution_id")
        .annotate(total=Sum("amount"))
        .values_list("contribution_id", "total")
    )
    during = {}
    if since is not None:
        during = dict(
            Delivery.objects.filter(
                contribution__partnership=partnership,
                delivered_on__gte=since,
                delivered_on__lte=until,
            )
            .values("contribution_id")
            .annotate(total=Sum("amount"))
            .values_list("contribution_id", "total")
        )
    grouped: dict[tuple[str, str], dict] = {}
    for c in contributions:
        delivered = upto.get(c.pk) or Decimal(0) if c.pk in with_deliveries else c.delivered_amount
        key = (c.member.organisation.name, c.currency)
        row = grouped.setdefault(
            key,
            {
                "member": c.member.organisation.name,
                "role": c.member.get_role_display(),
                "currency": c.currency,
                "planned": Decimal(0),
                "delivered": Decimal(0),
                "delivered_in_period": Decimal(0),
                "kinds": set(),
            },
        )
        row["planned"] += c.planned_amount
        row["delivered"] += delivered
        row["delivered_in_period"] += during.get(c.pk) or Decimal(0)
        row["kinds"].add(c.get_kind_display())
    rows = list(grouped.values())
    for row in rows:
        row["kinds"] = ", ".join(sorted(row["kinds"]))
        row["pct"] = round(row["delivered"] * 100 / row["planned"]) if row["planned"] else None
    return rows


def _contribution_charts(rows) -> list[dict]:
    by_currency = defaultdict(list)
    for row in rows:
        by_currency[row["currency"]].append(row)
    out = []
    for currency, items in sorted(by_currency.items()):
        out.append(
            {
                "currency": currency,
                "planned": sum((r["planned"] for r in items), Decimal(0)),
                "delivered": sum((r["delivered"] for r in items), Decimal(0)),
                "svg": charts.planned_vs_delivered_chart(
                    [charts.PairBar(r["member"], r["planned"], r["delivered"]) for r in items],
                    planned_label=pgettext("amount", "Planned"),
                    delivered_label=_("Delivered"),
                ),
            }
        )
    return out


def _heat_map(partnership: Partnership) -> str:
    """The risks app's SVG of the active risks (escaped there); a drawing failure leaves the
    report without it rather than failing the report."""
    try:
        return mark_safe(partnership_heat_map_svg(partnership))  # noqa: S308
    except Exception:
        logger.exception("The risk heat map could not be drawn for %s", partnership.pk)
        return ""


def progress_context(document: Document) -> dict:
    partnership = document.partnership
    start, end = document.period_start, document.period_end
    indicators = _indicator_rows(partnership, until=end, since=start)
    contributions = _contribution_rows(partnership, until=end, since=start)
    activities = (
        Activity.objects.filter(partnership=partnership, starts_on__lte=end, ends_on__gte=start)
        .select_related("responsible", "indicator")
        .order_by("starts_on", "pk")
    )
    meetings = (
        Meeting.objects.filter(
            partnership=partnership, held_at__date__gte=start, held_at__date__lte=end
        )
        .prefetch_related("attendances__person")
        .order_by("held_at")
    )
    return {
        "indicators": indicators,
        "indicator_chart": _indicator_chart(indicators),
        "contributions": contributions,
        "contribution_charts": _contribution_charts(contributions),
        "activities": list(activities),
        "meetings": [
            {
                "meeting": m,
                "attendees": [a.person.full_name for a in m.attendances.all()],
                "confirmed": sum(1 for a in m.attendances.all() if a.minutes_confirmed_at),
            }
            for m in meetings
        ],
        "heat_map": _heat_map(partnership),
    }


def closure_context(document: Document) -> dict:
    partnership = document.partnership
    until = partnership.closed_on or timezone.localdate()
    try:
        successor = partnership.successor
    except Partnership.DoesNotExist:
        successor = None
    indicators = _indicator_rows(partnership, until=until)
    contributions = _contribution_rows(partnership, until=until)
    return {
        "successor": successor,
        "objectives": partnership.objectives.order_by("order", "pk"),
        "indicators": indicators,
        "indicator_chart": _indicator_chart(indicators),
        "contributions": contributions,
        "contribution_charts": _contribution_charts(contributions),
        "assessments": list(partnership.assessments.order_by("created_at", "pk")),
        "closed_on": until,
    }


# ----- verification ----------------------------------------------------------------------------


@dataclass
class Verification:
    """The public answer about a code or a file."""

    authentic: bool = False
    document: Document | None = None
    sha256: str = ""
    signature: signing.SignatureCheck | None = None
    reasons: list[str] = field(default_factory=list)
    # False when the file was too large or too complex to be examined within the limits.
    checked: bool = True


def document_for_code(code: str) -> Document | None:
    from .models import normalise_code

    code = normalise_code(code)
    if not code:
        return None
    return (
        Document.objects.select_related("partnership")
        .filter(verification_code=code, status=DocumentStatus.READY)
        .first()
    )


def document_verify_file(data: bytes) -> Verification:
    """Is ``data`` a PDF Alianza issued, unchanged? Compares its SHA-256 with the documents
    issued and checks its signature; says why not when it is not."""
    result = Verification(sha256=signing.sha256_hex(data))
    result.signature = signing.check_signature(data)
    if not result.signature.checked:
        # Nothing is said about its origin: the file was not examined.
        result.checked = False
        result.reasons = list(result.signature.problems)
        return result
    result.document = (
        Document.objects.select_related("partnership")
        .filter(sha256=result.sha256, status=DocumentStatus.READY)
        .first()
    )
    if result.document is None:
        claimed = document_for_code(result.signature.claimed_code)
        if claimed is not None:
            result.reasons.append(
                _(
                    "It claims to be document %(code)s, but its content differs from the file "
                    "Alianza issued: it has been modified."
                )
                % {"code": claimed.verification_code}
            )
            result.document = claimed
        else:
            result.reasons.append(_("Alianza has not issued a document with this exact content."))
    result.reasons.extend(result.signature.problems)
    result.authentic = (
        result.document is not None
        and result.document.sha256 == result.sha256
        and result.signature.ok
    )
    return result


def _address_bucket(address: str) -> str:
    """One bucket per IPv4 address, one per IPv6 /64 (what one subscriber is given)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def document_verify_wait(*, address: str | None) -> int:
    """Count one anonymous file check from ``address``; return 0 when it may go ahead, else
    the seconds until it may check again. At most ``ALIANZA_VERIFY_ANONYMOUS_FILES`` checks
    per ``ALIANZA_VERIFY_WINDOW_SECONDS`` window (fixed windows, counted in Django's cache,
    which every web process shares when it is Redis)."""
    limit = settings.ALIANZA_VERIFY_ANONYMOUS_FILES
    window = settings.ALIANZA_VERIFY_WINDOW_SECONDS
    now = time.time()
    slot = int(now // window)
    key = f"reports:verify:{_address_bucket(address or '')}:{slot}"
    try:
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window + 1)
            count = 1
    except Exception as error:  # noqa: BLE001 - an unreachable cache must not close the page
        logger.warning("Verification rate limit not applied: %r", error)
        return 0
    if count <= limit:
        return 0
    return max(1, math.ceil((slot + 1) * window - now))


def read_upload(uploaded, *, limit: int | None = None) -> bytes:
    """The bytes of an uploaded file, refusing anything over ``limit``."""
    limit = limit or settings.ALIANZA_MAX_UPLOAD_BYTES
    buffer = io.BytesIO()
    for chunk in uploaded.chunks():
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise DocumentRefused([_("The file is too large.")])
    return buffer.getvalue()
