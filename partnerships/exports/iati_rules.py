"""Checks of an IATI activity file beyond what the XSD expresses: codes from the code lists,
and the standard's rules listed in the IATI reference data's README.

The schema and code lists are vendored in ``partnerships/iati_data/``; every function takes
their folder (``settings.ALIANZA_IATI_DIR``, that copy by default). Each check returns a list of
problems; empty is good.
"""

import datetime
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

FORBIDDEN_IN_IDENTIFIER = set("/&|?")

# (XPath relative to an iati-activity, attribute, code list)
CODED_ATTRIBUTES = [
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("reporting-org", "type", "OrganisationType"),
    ("transaction/provider-org", "type", "OrganisationType"),
    ("transaction/receiver-org", "type", "OrganisationType"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
    ("transaction/transaction-type", "code", "TransactionType"),
    ("result", "type", "ResultType"),
    ("result/indicator", "measure", "IndicatorMeasure"),
    (".", "default-currency", "Currency"),
    (".//value", "currency", "Currency"),
    ("recipient-country", "code", "Country"),
    ("sector[not(@vocabulary) or @vocabulary='1']", "code", "Sector"),
    ("sector[@vocabulary='2']", "code", "SectorCategory"),
    ("tag[@vocabulary='2']", "code", "UNSDG-Goals"),
    ("tag[@vocabulary='3']", "code", "UNSDG-Targets"),
    ("collaboration-type", "code", "CollaborationType"),
    ("document-link/category", "code", "DocumentCategory"),
]


@cache
def _codelist(path: str) -> frozenset[str]:
    tree = etree.parse(path)
    return frozenset(
        item.findtext("code").strip()
        for item in tree.iter("codelist-item")
        if item.get("status", "active") != "withdrawn"
    )


def codelist(iati_dir: Path, name: str) -> frozenset[str]:
    return _codelist(str(Path(iati_dir) / "codelists" / f"{name}.xml"))


@cache
def _schema(path: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(path))


def xsd_errors(xml: bytes, iati_dir: Path) -> list[str]:
    schema = _schema(str(Path(iati_dir) / "schema-2.03" / "iati-activities-schema.xsd"))
    doc = etree.fromstring(xml)
    if schema.validate(doc):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _identifier(activity) -> str:
    return (activity.findtext("iati-identifier") or "").strip()


def code_errors(xml: bytes, iati_dir: Path) -> list[str]:
    problems = []
    for activity in etree.fromstring(xml).iter("iati-activity"):
        ident = _identifier(activity)
        for path, attribute, name in CODED_ATTRIBUTES:
            allowed = codelist(iati_dir, name)
            for el in activity.xpath(path):
                value = el.get(attribute)
                if value is not None and value not in allowed:
                    problems.append(f"{ident}: {path}/@{attribute}={value!r} is not in {name}")
    return problems


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _has_text(el) -> bool:
    return any((n.text or "").strip() for n in el.findall("narrative"))


def rule_errors(xml: bytes, *, today: datetime.date | None = None) -> list[str]:
    today = today or datetime.date.today()
    problems = []
    for activity in etree.fromstring(xml).iter("iati-activity"):
        ident = _identifier(activity)

        def fail(message, ident=ident):
            problems.append(f"{ident}: {message}")

        # Identifiers
        if not ident or FORBIDDEN_IN_IDENTIFIER & set(ident) or any(c.isspace() for c in ident):
            fail("the identifier is empty or contains / & | ? or spaces")
        reporting_ref = activity.find("reporting-org").get("ref", "")
        if not reporting_ref or not ident.startswith(reporting_ref):
            fail("the identifier does not start with the reporting organisation's identifier")

        # Dates
        dates = defaultdict(list)
        for el in activity.findall("activity-date"):
            dates[el.get("type")].append(_date(el.get("iso-date")))
        if not (dates["1"] or dates["2"]):
            fail("no activity-date of type 1 (planned start) or 2 (actual start)")
        for start in dates["1"]:
            for end in dates["3"]:
                if start and end and start > end:
                    fail("the planned start is after the planned end")
        for kind in ("2", "4"):
            for day in dates[kind]:
                if day is None or day > today:
                    fail(f"an actual date (type {kind}) is in the future")
        for el in activity.findall("transaction/transaction-date"):
            day = _date(el.get("iso-date"))
            if day is None or day > today:
                fail("a transaction date is in the future")

        # Sectors: on the activity or on every transaction, not both; percentages add up
        sectors = activity.findall("sector")
        transactions = activity.findall("transaction")
        with_sector = [t for t in transactions if t.find("sector") is not None]
        if not sectors and (not transactions or len(with_sector) != len(transactions)):
            fail("no sector on the activity nor on every transaction")
        if sectors and with_sector:
            fail("sectors on both the activity and its transactions")
        by_vocabulary = defaultdict(list)
        for el in sectors:
            by_vocabulary[el.get("vocabulary", "1")].append(el.get("percentage"))
        for vocabulary, percentages in by_vocabulary.items():
            if len(percentages) == 1 and percentages[0] is None:
                continue
            try:
                total = sum(Decimal(p) for p in percentages)
            except (TypeError, InvalidOperation):
                fail(f"a sector of vocabulary {vocabulary} has no valid percentage")
                continue
            if total != 100:
                fail(f"sector percentages of vocabulary {vocabulary} add up to {total}, not 100")

        # Organisations
        for el in activity.findall("participating-org"):
            if not el.get("ref") and not _has_text(el):
                fail("a participating-org has neither a ref nor a narrative")

        # Periods
        for budget in activity.findall("budget"):
            start = _date(budget.find("period-start").get("iso-date"))
            end = _date(budget.find("period-end").get("iso-date"))
            if not (start and end) or start > end:
                fail("a budget period ends before it starts")
            elif (end - start).days > 366:
                fail("a budget period is longer than one year")
        for period in activity.findall("result/indicator/period"):
            start = _date(period.find("period-start").get("iso-date"))
            end = _date(period.find("period-end").get("iso-date"))
            if not (start and end) or start > end:
                fail("a result period ends before it starts")

        # Narratives are never empty
        for el in activity.iter("narrative"):
            if not (el.text or "").strip():
                fail(f"an empty narrative in {el.getparent().tag}")
    return problems


def all_errors(xml: bytes, iati_dir: Path, *, today=None) -> list[str]:
    return xsd_errors(xml, iati_dir) + code_errors(xml, iati_dir) + rule_errors(xml, today=today)
