"""IATI activity XML 2.03 for one partnership or a portfolio.

Mapping (each choice is the closest code in the IATI code lists):

- phase and closure outcome -> ActivityStatus: interest and design are pipeline (1); operation
  and assessment are implementation (2); suspended is 6; withdrawn is cancelled (5); a closed
  partnership (terminated, transferred or continued) is closed (4), with the outcome described.
- actor sector (and level, subtype) -> OrganisationType; member role -> OrganisationRole.
- planned dates -> activity-date 1 and 3; operation start and closure -> activity-date 2 and 4.
- contributions -> one budget per calendar year (planned amounts in the activity currency,
  spread over their period by days) and, once the agreement is in effect, an incoming
  commitment (11) per contribution; each delivery -> incoming funds (1).
- objectives -> result (general: impact, specific: outcome); indicators -> indicator with its
  baseline; measurements -> periods with the target and the actual value.
- DAC sector -> sector (vocabulary 1; "sectors not specified" when none is chosen); SDG goals and
  targets -> tag (vocabulary 2: UN SDG goals, 3: UN SDG targets).

The reporting organisation and the identifier prefix come from the settings
``ALIANZA_IATI_REPORTING_ORG_REF``, ``..._NAME`` and ``..._TYPE``.
"""

import datetime
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from lxml import etree

from actors.models import Level, Sector

from ..models import (
    ClosureOutcome,
    ContributionKind,
    Delivery,
    IndicatorMeasure,
    MemberRole,
    ObjectiveKind,
    Partnership,
    Phase,
)
from .text import xml_text

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
UNSPECIFIED_SECTOR = "99810"  # DAC "Sectors not specified"
CENT = Decimal("0.01")

ACTIVITY_STATUS = {
    Phase.INTEREST: "1",
    Phase.DESIGN: "1",
    Phase.OPERATION: "2",
    Phase.ASSESSMENT: "2",
    Phase.SUSPENDED: "6",
    Phase.WITHDRAWN: "5",
    Phase.CLOSURE: "4",
}

ORGANISATION_ROLE = {
    MemberRole.FUNDER: "1",
    MemberRole.PROVIDER: "1",
    MemberRole.PUBLIC_ENTITY: "2",
    MemberRole.FACILITATOR: "3",
    MemberRole.IMPLEMENTER: "4",
    MemberRole.ALLY: "4",
    MemberRole.BENEFICIARY: "4",
    MemberRole.PIVOT: "4",
    MemberRole.RECIPIENT: "4",
}

INDICATOR_MEASURE = {
    IndicatorMeasure.UNIT: "1",
    IndicatorMeasure.PERCENTAGE: "2",
    IndicatorMeasure.QUALITATIVE: "5",
}

CONTRIBUTION_KIND_LABEL = {
    ContributionKind.FINANCIAL: "Financial",
    ContributionKind.HUMAN: "Human / labour (valued)",
    ContributionKind.IN_KIND: "In kind (valued)",
    ContributionKind.KNOWLEDGE: "Knowledge / information (valued)",
}

_FORBIDDEN_IN_IDENTIFIER = re.compile(r"[/&|?\s]+")


def organisation_type(org) -> str:
    subtype = (org.subtype or "").lower()
    if org.sector == Sector.PUBLIC:
        return "11" if org.level in {Level.REGIONAL, Level.LOCAL} else "10"
    if org.sector == Sector.PRIVATE:
        return "60" if "foundation" in subtype or "fundaci" in subtype else "70"
    if org.sector == Sector.CIVIL_SOCIETY:
        return "21" if org.level == Level.INTERNATIONAL else "22"
    if org.sector == Sector.ACADEMIA:
        return "80"
    if org.sector == Sector.INTERNATIONAL:
        if "bilateral" in subtype:
            return "10"
        if "foundation" in subtype or "fundaci" in subtype:
            return "60"
        return "40"
    if org.sector == Sector.COMMUNITY:
        return "24"
    return "90"


def clean_identifier(value: str) -> str:
    # Identifiers are printable: a control character typed into one is dropped, not kept.
    printable = "".join(c for c in xml_text(value) if c.isprintable() or c.isspace())
    return _FORBIDDEN_IN_IDENTIFIER.sub("-", printable.strip()).strip("-")


def activity_identifier(partnership) -> str:
    prefix = clean_identifier(settings.ALIANZA_IATI_REPORTING_ORG_REF)
    return f"{prefix}-{clean_identifier(partnership.reference)}"


def _text(value) -> str:
    return xml_text(value or "").strip()


def _sub(parent, tag, text=None, **attrs):
    """Every element of the file is made here, so every text and attribute value passes
    ``xml_text`` (what XML 1.0 cannot carry is dropped, see ``text``)."""
    el = etree.SubElement(parent, tag, {k.replace("_", "-"): xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def _narrative(parent, tag, text, **attrs):
    el = _sub(parent, tag, **attrs)
    _sub(el, "narrative", _text(text))
    return el


def _amount(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP))


def _year_slices(start: datetime.date, end: datetime.date):
    """(slice_start, slice_end, days) per calendar year covered by [start, end]."""
    year = start.year
    while year <= end.year:
        a = max(start, datetime.date(year, 1, 1))
        b = min(end, datetime.date(year, 12, 31))
        yield a, b, (b - a).days + 1
        year += 1


def yearly_budgets(
    partnership, contributions
) -> list[tuple[datetime.date, datetime.date, Decimal]]:
    """Planned amounts in the activity currency, spread over their periods by days and summed
    per calendar year (IATI budgets cover at most a year and should not overlap)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    bounds: dict[int, list[datetime.date]] = {}
    for c in contributions:
        if c.currency != partnership.currency or not c.planned_amount:
            continue
        start = c.period_start or partnership.start_date
        end = c.period_end or partnership.end_date
        if not (start and end) or end < start:
            continue
        slices = list(_year_slices(start, end))
        total_days = sum(days for _a, _b, days in slices)
        remaining = Decimal(c.planned_amount)
        for i, (a, b, days) in enumerate(slices):
            share = (
                remaining
                if i == len(slices) - 1
                else (Decimal(c.planned_amount) * days / total_days).quantize(CENT)
            )
            remaining -= share
            totals[a.year] += share
            lo, hi = bounds.get(a.year, [a, b])
            bounds[a.year] = [min(lo, a), max(hi, b)]
    return [(bounds[y][0], bounds[y][1], totals[y]) for y in sorted(totals) if totals[y] > 0]


def _activity_dates(activity, p, today):
    planned_start = p.start_date
    note = None
    if planned_start is None and p.operation_started_on is None:
        # IATI needs a start date; before the agreement sets one, the registration date stands.
        planned_start = timezone.localtime(p.created_at).date()
        note = "Not yet agreed: the date the partnership was registered."
    if planned_start:
        el = _sub(activity, "activity-date", iso_date=planned_start.isoformat(), type="1")
        if note:
            _sub(el, "narrative", note)
    if p.operation_started_on and p.operation_started_on <= today:
        _sub(activity, "activity-date", iso_date=p.operation_started_on.isoformat(), type="2")
    if p.end_date and (planned_start is None or p.end_date >= planned_start):
        _sub(activity, "activity-date", iso_date=p.end_date.isoformat(), type="3")
    ended = p.closed_on if p.phase == Phase.CLOSURE else None
    if p.phase == Phase.WITHDRAWN:
        change = p.phase_changes.filter(to_phase=Phase.WITHDRAWN).order_by("-at").first()
        ended = timezone.localtime(change.at).date() if change else None
    if (
        ended
        and ended <= today
        and (p.operation_started_on is None or ended >= p.operation_started_on)
    ):
        _sub(activity, "activity-date", iso_date=ended.isoformat(), type="4")


def _participating_orgs(activity, p, members):
    if not members:
        org = p.facilitator.organisation if p.facilitator and p.facilitator.organisation else None
        if org is not None:
            _participating_org(activity, org, "3")
        else:
            el = _sub(
                activity,
                "participating-org",
                ref=settings.ALIANZA_IATI_REPORTING_ORG_REF,
                type=settings.ALIANZA_IATI_REPORTING_ORG_TYPE,
                role="3",
            )
            _sub(el, "narrative", _text(settings.ALIANZA_IATI_REPORTING_ORG_NAME))
    for m in members:
        _participating_org(activity, m.organisation, ORGANISATION_ROLE.get(m.role, "4"))


def _org_attrs(org) -> dict:
    attrs = {}
    ref = clean_identifier(org.iati_identifier or "")
    if ref:
        attrs["ref"] = ref
    attrs["type"] = organisation_type(org)
    return attrs


def _participating_org(activity, org, role):
    el = _sub(activity, "participating-org", **_org_attrs(org), role=role)
    _sub(el, "narrative", _text(org.name))


def _transactions(activity, p, contributions, deliveries, today):
    committed_on = p.operation_started_on
    for c in contributions:
        label = f"{CONTRIBUTION_KIND_LABEL.get(c.kind, c.kind)}: {_text(c.description)}"
        if committed_on and committed_on <= today and c.planned_amount > 0:
            _transaction(activity, "11", committed_on, c.planned_amount, c, label)
        for d in deliveries.get(c.pk, []):
            if d.delivered_on <= today:
                _transaction(activity, "1", d.delivered_on, d.amount, c, label)


def _transaction(activity, type_code, day, amount, contribution, label):
    t = _sub(activity, "transaction")
    _sub(t, "transaction-type", code=type_code)
    _sub(t, "transaction-date", iso_date=day.isoformat())
    _sub(t, "value", _amount(amount), currency=contribution.currency, value_date=day.isoformat())
    _narrative(t, "description", label)
    org = contribution.member.organisation
    provider = _sub(t, "provider-org", **_org_attrs(org))
    _sub(provider, "narrative", _text(org.name))


def _results(activity, p, objectives, today):
    base_day = p.operation_started_on or p.start_date or timezone.localtime(p.created_at).date()
    for objective in objectives:
        indicators = list(objective.indicators.all())
        if not indicators:
            continue
        result_type = "3" if objective.kind == ObjectiveKind.GENERAL else "2"
        result = _sub(activity, "result", type=result_type)
        _narrative(result, "title", objective.description)
        for indicator in indicators:
            _indicator(result, p, indicator, base_day)


def _value_attrs(measure: str, value) -> dict:
    return {} if measure == IndicatorMeasure.QUALITATIVE else {"value": _amount(value)}


def _indicator(result, p, indicator, base_day):
    measure = INDICATOR_MEASURE.get(indicator.measure, "1")
    attrs = {"measure": measure}
    if indicator.measure != IndicatorMeasure.QUALITATIVE:
        attrs["ascending"] = "1" if indicator.target >= indicator.baseline else "0"
    el = _sub(result, "indicator", **attrs)
    _narrative(el, "title", indicator.name)
    description = f"Unit: {indicator.unit}."
    if indicator.means_of_verification:
        description += f" Means of verification: {indicator.means_of_verification}"
    _narrative(el, "description", description)
    baseline = _sub(
        el,
        "baseline",
        year=base_day.year,
        iso_date=base_day.isoformat(),
        **_value_attrs(indicator.measure, indicator.baseline),
    )
    if indicator.measure == IndicatorMeasure.QUALITATIVE:
        _narrative(baseline, "comment", f"Baseline: {indicator.baseline}")
    previous_end = None
    for m in indicator.measurements.all():
        start = previous_end + datetime.timedelta(days=1) if previous_end else base_day
        start = min(start, m.measured_on)
        _period(el, indicator, start, m.measured_on, m.value, m.note)
        previous_end = m.measured_on
    if previous_end is None and p.start_date and p.end_date and p.end_date >= p.start_date:
        _period(el, indicator, p.start_date, p.end_date, None, "")


def _period(indicator_el, indicator, start, end, actual, note):
    period = _sub(indicator_el, "period")
    _sub(period, "period-start", iso_date=start.isoformat())
    _sub(period, "period-end", iso_date=end.isoformat())
    qualitative = indicator.measure == IndicatorMeasure.QUALITATIVE
    target = _sub(period, "target", **_value_attrs(indicator.measure, indicator.target))
    if qualitative:
        _narrative(target, "comment", f"Target: {indicator.target}")
    if actual is not None:
        el = _sub(period, "actual", **_value_attrs(indicator.measure, actual))
        comment = note if not qualitative else f"{actual}. {note}".strip()
        if comment.strip(" ."):
            _narrative(el, "comment", comment)


def activity_element(p, *, today=None):
    today = today or timezone.localdate()
    members = list(p.members.select_related("organisation").order_by("organisation__name", "pk"))
    contributions = list(
        p.contributions.select_related("member__organisation").order_by("period_start", "pk")
    )
    deliveries = defaultdict(list)
    for d in Delivery.objects.filter(contribution__partnership=p).order_by("delivered_on", "pk"):
        deliveries[d.contribution_id].append(d)
    objectives = list(
        p.objectives.prefetch_related("indicators__measurements").order_by("order", "pk")
    )

    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": p.updated_at.replace(microsecond=0).isoformat(),
            XML_LANG: xml_text(p.language),
            "default-currency": xml_text(p.currency),
            "hierarchy": "1",
        },
    )
    _sub(activity, "iati-identifier", activity_identifier(p))
    reporting = _sub(
        activity,
        "reporting-org",
        ref=settings.ALIANZA_IATI_REPORTING_ORG_REF,
        type=settings.ALIANZA_IATI_REPORTING_ORG_TYPE,
    )
    _sub(reporting, "narrative", _text(settings.ALIANZA_IATI_REPORTING_ORG_NAME))
    _narrative(activity, "title", p.title)
    general = next(
        (_text(v) for v in (p.problem, p.common_interest, p.general_objective) if _text(v)),
        _text(p.title),
    )
    _narrative(activity, "description", general, type="1")
    if _text(p.general_objective):
        _narrative(activity, "description", p.general_objective, type="2")
    if p.phase == Phase.CLOSURE and p.closure_outcome:
        outcome = f"Closed: {ClosureOutcome(p.closure_outcome).label}."
        if p.closure_outcome == ClosureOutcome.TRANSFERRED and p.transferred_to:
            outcome += f" Transferred to {p.transferred_to.name}."
        if _text(p.handover_note):
            outcome += f" {_text(p.handover_note)}"
        _narrative(activity, "description", str(outcome), type="4")
    _participating_orgs(activity, p, members)
    _sub(activity, "activity-status", code=ACTIVITY_STATUS[p.phase])
    _activity_dates(activity, p, today)
    _sub(activity, "recipient-country", code=p.country.code, percentage="100")
    _sub(
        activity,
        "sector",
        vocabulary="1",
        code=p.dac_sector or UNSPECIFIED_SECTOR,
        percentage="100",
    )
    for goal in p.sdg_goals or []:
        _sub(activity, "tag", vocabulary="2", code=str(goal))
    for target in p.sdg_targets or []:
        _sub(activity, "tag", vocabulary="3", code=str(target))
    status = "2" if p.operation_started_on else "1"
    for start, end, total in yearly_budgets(p, contributions):
        budget = _sub(activity, "budget", type="1", status=status)
        _sub(budget, "period-start", iso_date=start.isoformat())
        _sub(budget, "period-end", iso_date=end.isoformat())
        _sub(budget, "value", _amount(total), currency=p.currency, value_date=start.isoformat())
    _transactions(activity, p, contributions, deliveries, today)
    _results(activity, p, objectives, today)
    return activity


def activities_xml(partnerships, *, today=None) -> bytes:
    """The IATI activity file for these partnerships (a queryset or a list), as UTF-8 bytes."""
    root = etree.Element(
        "iati-activities",
        {
            "version": "2.03",
            "generated-datetime": timezone.now().replace(microsecond=0).isoformat(),
        },
    )
    if isinstance(partnerships, Partnership):
        partnerships = [partnerships]
    for p in partnerships:
        root.append(activity_element(p, today=today))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
