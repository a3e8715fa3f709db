"""The agreed content (``Partnership.agreed_content()``, frozen in a gate request) as its reader
sees it: the agreement's sections in the agreement's order, codes as their labels in the active
language, amounts as numbers, dates as dates.

Pure functions over the plain data: what is shown is what was frozen (and fingerprinted), never
the live rows. Sections added by other apps (``checklists.register_agreed_content``) are shown
with the columns their app registered, or as plain text when it registered none.
"""

from collections import defaultdict
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date
from django_countries import countries

from ..lifecycle import checklists
from ..models import (
    ContributionKind,
    FormalisationLevel,
    MemberRole,
    Modality,
    ObjectiveKind,
    Partnership,
)
from ..reference.codes import sector_display
from .diff import label as field_label

# The sections that have their own place in the layout; every other key is listed after them.
LAID_OUT = {*Partnership.AGREED_FIELDS, "members", "objectives", "contributions", "extra"}


def choice_label(choices, value) -> str:
    """``public_entity`` -> "Accountable public entity" (a code no longer known stays as it is)."""
    if value in (None, ""):
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _date(value):
    return parse_date(value) if isinstance(value, str) else value


def _plain(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{field_label(k)}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    return "—" if value in (None, "") else str(value)


def _extra_section(key: str, value) -> dict:
    """A section another app added: a table when its app says how, else plain text."""
    title = checklists.agreed_content_title(key) or field_label(key)
    columns = checklists.agreed_content_columns(key)
    if columns and isinstance(value, list):
        rows = [
            [
                choice_label(choices, item.get(name)) if choices else _plain(item.get(name))
                for name, (_heading, choices) in columns.items()
            ]
            for item in value
            if isinstance(item, dict)
        ]
        headings = [str(heading) for heading, _choices in columns.values()]
        return {"key": key, "title": str(title), "headings": headings, "rows": rows}
    return {"key": key, "title": str(title), "text": _plain(value)}


def readable(content: dict) -> dict:
    """What a template needs to lay the frozen ``content`` out as the agreement does."""
    content = content or {}
    members = [
        {**m, "role_label": choice_label(MemberRole, m.get("role"))}
        for m in content.get("members") or []
        if isinstance(m, dict)
    ]
    objectives = [
        {
            **o,
            "kind_label": choice_label(ObjectiveKind, o.get("kind")),
            "indicators": [
                {**i, "baseline": _decimal(i.get("baseline")), "target": _decimal(i.get("target"))}
                for i in o.get("indicators") or []
                if isinstance(i, dict)
            ],
        }
        for o in content.get("objectives") or []
        if isinstance(o, dict)
    ]
    contributions, totals = [], defaultdict(Decimal)
    for c in content.get("contributions") or []:
        if not isinstance(c, dict):
            continue
        amount = _decimal(c.get("planned_amount"))
        totals[c.get("currency") or ""] += amount or 0
        contributions.append(
            {
                **c,
                "kind_label": choice_label(ContributionKind, c.get("kind")),
                "planned_amount": amount,
                "period_start": _date(c.get("period_start")),
                "period_end": _date(c.get("period_end")),
            }
        )
    dac = content.get("dac_sector") or ""
    country = content.get("country") or ""
    extra = [_extra_section(k, v) for k, v in (content.get("extra") or {}).items()]
    extra += [_extra_section(k, v) for k, v in content.items() if k not in LAID_OUT]
    return {
        "content": content,
        "members": members,
        "objectives": objectives,
        "contributions": contributions,
        "contribution_totals": sorted(totals.items()),
        "start_date": _date(content.get("start_date")),
        "end_date": _date(content.get("end_date")),
        "assessment_dates": [_date(d) for d in content.get("assessment_dates") or []],
        "modality_label": choice_label(Modality, content.get("modality")),
        "formalisation_label": choice_label(FormalisationLevel, content.get("formalisation_level")),
        "dac_label": sector_display(dac) if dac else dac,
        "country_name": countries.name(country) or country,
        "extra_sections": extra,
    }
