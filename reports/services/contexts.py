"""What each document shows: the template context of the agreement (its content, risks and
signatures), the progress report (indicators and contributions up to a date, charts, the risk
heat map) and the closure report."""

import base64
import datetime
import logging
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_countries import countries

from actors import numbers
from actors.links import absolute_url
from partnerships.agreement import diff as agreement_diff
from partnerships.models import (
    Activity,
    Amendment,
    ApprovalCapacity,
    ContributionKind,
    Decision,
    Delivery,
    FormalisationLevel,
    Indicator,
    Measurement,
    Meeting,
    MemberRole,
    Modality,
    ObjectiveKind,
    Partnership,
)
from partnerships.reference.codes import sector_label
from risks.heatmap import partnership_heat_map_svg
from risks.models import Category as RiskCategory

from .. import charts
from ..models import Document, DocumentKind

logger = logging.getLogger(__name__)


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
        "amendment": amendment_context(document),
    }


def amendment_context(document: Document) -> dict | None:
    """For the version an amendment made: its number, kind and reason, what it changed from
    the version it replaces, and that version (to check it)."""
    if document.gate_request_id is None or document.kind != DocumentKind.AGREEMENT:
        return None
    amendment = Amendment.objects.filter(sign_off_id=document.gate_request_id).first()
    if amendment is None:
        return None
    changes = agreement_diff.diff_agreements(amendment.content_before, document.content or {})
    replaces = (
        Document.objects.filter(
            partnership_id=document.partnership_id,
            kind=DocumentKind.AGREEMENT,
            version__lt=document.version or 0,
        )
        .order_by("-version")
        .first()
    )
    return {
        "number": amendment.number,
        "kind_label": amendment.get_kind_display(),
        "reason": amendment.reason,
        "effective_on": amendment.effective_on
        or (amendment.signed_at and amendment.signed_at.date()),
        "changes": [
            {
                "kind": c.kind,
                "where": c.where,
                "old": agreement_diff.describe(c.old),
                "new": agreement_diff.describe(c.new),
            }
            for c in changes
        ],
        "replaces": replaces,
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
    originally = _originally_signed_targets(partnership)
    rows = []
    for indicator in indicators.order_by("objective__order", "objective_id", "pk"):
        measurement = latest.get(indicator.pk)
        original = originally.get(indicator.name)
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
                # An amendment changed the target: the one first signed, for comparison.
                "signed_target": original
                if original is not None and original != indicator.target
                else None,
            }
        )
    return rows


def _originally_signed_targets(partnership: Partnership) -> dict:
    """The targets of the agreement as first signed, by indicator name (empty before any
    amendment: then the targets are the signed ones)."""
    if not partnership.amendments.filter(number__isnull=False).exists():
        return {}
    first = partnership.agreement_versions.filter(frozen=True).order_by("number").first()
    if first is None:
        return {}
    return {
        i.get("name"): _decimal(i.get("target"))
        for o in (first.content or {}).get("objectives", [])
        for i in o.get("indicators", [])
    }


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
        bars.append(charts.ShareBar(ind.name, row["progress"] or 0.0, caption))
    return charts.share_chart(bars, medium=charts.PRINT)


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
        "amended_targets": any(r["signed_target"] is not None for r in indicators),
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
        "amended_targets": any(r["signed_target"] is not None for r in indicators),
        "contributions": contributions,
        "contribution_charts": _contribution_charts(contributions),
        "assessments": list(partnership.assessments.order_by("created_at", "pk")),
        "closed_on": until,
    }
