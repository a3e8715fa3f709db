"""Importing actors from a CSV or XLSX file: parse, check every row, then import all or nothing.

The page keeps the checked rows in the session between the preview and the confirmation and
checks them again before writing, in one transaction.
"""

import csv
import io
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from .models import Capacity, CapacityArea, ContactPerson, Level, Organisation, Sector

COLUMNS = [
    *Organisation.EDITABLE_FIELDS,
    "capacities",
    "contact_name",
    "contact_position",
    "contact_email",
    "contact_phone",
]
REQUIRED = ["name", "sector", "country"]
TEXT_LIMITS = {
    "name": 200,
    "acronym": 30,
    "subtype": 100,
    "territory": 200,
    "iati_identifier": 100,
    "contact_name": 200,
    "contact_position": 200,
    "contact_phone": 50,
}


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, size, columns)."""


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


def _choice(value: str, choices) -> str | None:
    """A code, or its label in any case ("Civil society" -> civil_society)."""
    wanted = value.strip().lower()
    for code, label in choices:
        if wanted in {code.lower(), str(label).lower(), code.lower().replace("_", " ")}:
            return code
    return None


def read_file(uploaded) -> list[dict]:
    """The rows of an uploaded CSV or XLSX file as dicts keyed by the known columns."""
    limit = settings.ALIANZA_IMPORT_MAX_BYTES
    if uploaded.size > limit:
        raise ImportFileError(
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / 1024 / 1024, 1)}
        )
    name = (uploaded.name or "").lower()
    data = uploaded.read()
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    if not table:
        raise ImportFileError(_("The file is empty."))
    header = [str(h or "").strip().lower().replace(" ", "_") for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("These columns are missing: %(columns)s. Expected columns: %(expected)s.")
            % {"columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    rows = []
    for values in table[1:]:
        if not any(str(v or "").strip() for v in values):
            continue
        row = dict.fromkeys(COLUMNS, "")
        for key, value in zip(header, values, strict=False):
            if key in row:
                row[key] = "" if value is None else str(value).strip()
        rows.append(row)
    if len(rows) > settings.ALIANZA_IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(n)s rows.") % {"n": settings.ALIANZA_IMPORT_MAX_ROWS}
        )
    if not rows:
        raise ImportFileError(_("The file has no rows under its header."))
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ImportFileError(_("The CSV file cannot be read: %(error)s") % {"error": exc})


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise ImportFileError(_("The XLSX file cannot be read."))
    sheet = workbook.worksheets[0]
    table = []
    for values in sheet.iter_rows(values_only=True):
        table.append(list(values))
        if len(table) > settings.ALIANZA_IMPORT_MAX_ROWS + 1:
            break
    workbook.close()
    return table


_CAPACITY_SPLIT = re.compile(r"\s*;\s*")


def parse_capacities(text: str) -> list[tuple[str, str]]:
    """``"technical: water engineering; financial: credit lines"`` -> [(area, description)]."""
    out = []
    for part in _CAPACITY_SPLIT.split(text.strip()):
        if not part:
            continue
        area, sep, description = part.partition(":")
        if not sep:
            raise ValueError(part)
        code = _choice(area, CapacityArea.choices)
        if code is None or not description.strip():
            raise ValueError(part)
        out.append((code, description.strip()[:300]))
    return out


def check_rows(rows: list[dict]) -> tuple[list[dict], list[RowError]]:
    """Every row checked; returns the cleaned rows and every error found."""
    errors: list[RowError] = []
    cleaned = []
    existing = {n.lower() for n in Organisation.objects.values_list("name", flat=True)}
    seen: dict[str, int] = {}
    for index, raw in enumerate(rows, start=2):
        row = {c: str(raw.get(c, "") or "").replace("\x00", "").strip() for c in COLUMNS}

        def err(column, message, index=index):
            errors.append(RowError(index, column, str(message)))

        for column in REQUIRED:
            if not row[column]:
                err(column, _("This value is required."))
        for column, limit in TEXT_LIMITS.items():
            if len(row[column]) > limit:
                err(column, _("At most %(n)s characters.") % {"n": limit})
        name_key = row["name"].lower()
        if name_key:
            if name_key in existing:
                err("name", _("An organisation with this name already exists."))
            elif name_key in seen:
                err("name", _("The same name is on row %(row)s.") % {"row": seen[name_key]})
            seen.setdefault(name_key, index)
        if row["sector"]:
            sector = _choice(row["sector"], Sector.choices)
            if sector is None:
                err(
                    "sector",
                    _("Unknown sector; use one of: %(codes)s.")
                    % {"codes": ", ".join(Sector.values)},
                )
            row["sector"] = sector or row["sector"]
        if row["level"]:
            level = _choice(row["level"], Level.choices)
            if level is None:
                err(
                    "level",
                    _("Unknown level; use one of: %(codes)s.") % {"codes": ", ".join(Level.values)},
                )
            row["level"] = level or row["level"]
        if row["country"]:
            code = countries.alpha2(row["country"].upper())
            if not code:
                err("country", _("Not an ISO 3166 country code (PE, CO, HN...)."))
            row["country"] = code or row["country"]
        if row["website"]:
            try:
                URLValidator()(row["website"])
            except ValidationError:
                err("website", _("Not a web address (https://...)."))
        if row["contact_email"]:
            try:
                EmailValidator()(row["contact_email"])
            except ValidationError:
                err("contact_email", _("Not an email address."))
        if (row["contact_email"] or row["contact_phone"] or row["contact_position"]) and not row[
            "contact_name"
        ]:
            err("contact_name", _("A contact needs a name."))
        if row["capacities"]:
            try:
                parse_capacities(row["capacities"])
            except ValueError as bad:
                err(
                    "capacities",
                    _("“%(part)s” is not “area: description” with an area among %(areas)s.")
                    % {"part": bad, "areas": ", ".join(CapacityArea.values)},
                )
        cleaned.append(row)
    return cleaned, errors


@transaction.atomic
def organisations_import(*, rows: list[dict]) -> list[Organisation]:
    """Create every organisation (with its capacities and contact) or none.

    Checks the rows again (the catalogue may have changed since the preview) and raises
    ``ValueError`` with the errors if any row is no longer valid."""
    cleaned, errors = check_rows(rows)
    if errors:
        raise ValueError(errors)
    created = []
    for row in cleaned:
        org = Organisation(**{f: row[f] for f in Organisation.EDITABLE_FIELDS})
        org.full_clean()
        org.save()
        Capacity.objects.bulk_create(
            Capacity(organisation=org, area=area, description=description)
            for area, description in parse_capacities(row["capacities"])
        )
        if row["contact_name"]:
            ContactPerson.objects.create(
                organisation=org,
                name=row["contact_name"],
                position=row["contact_position"],
                email=row["contact_email"],
                phone=row["contact_phone"],
                is_key_leader=True,
            )
        created.append(org)
    return created
