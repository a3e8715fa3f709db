"""Spreadsheet exports in long ("tidy") shape: one row per observation, so people can pivot
without reshaping. Each dataset is a function from the partnerships a user can see to
(columns, rows); apps above this one add theirs with ``register_dataset`` (risks, say). The
writers make every text cell safe for their format (``text.csv_text``, ``xlsx_text``),
so no dataset has to.
"""

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ..models import Contribution, Delivery, Indicator, Measurement, Member
from .text import csv_text, xlsx_text

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Builder = Callable[[object], tuple[list[str], Iterable[list]]]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    build: Builder


_DATASETS: dict[str, Dataset] = {}


def register_dataset(name: str, title, build: Builder) -> None:
    """Add a dataset; ``build(partnerships)`` gets the user's visible partnerships."""
    _DATASETS[name] = Dataset(name, title, build)


def datasets() -> dict[str, Dataset]:
    return dict(_DATASETS)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def partnership_cells(p) -> list:
    return [p.pk, p.reference, p.title, p.phase]


PARTNERSHIP_COLUMNS = ["partnership_id", "reference", "partnership", "phase"]


def partnerships_rows(partnerships):
    columns = [
        *PARTNERSHIP_COLUMNS,
        "country",
        "territory",
        "dac_sector",
        "sdg_targets",
        "modality",
        "formalisation_level",
        "start_date",
        "end_date",
        "currency",
        "facilitator",
        "members",
        "planned_total",
        "delivered_total",
        "closure_outcome",
        "is_published",
    ]
    qs = (
        partnerships.with_contribution_totals()
        .select_related("facilitator")
        .prefetch_related("members")
        .order_by("reference")
    )
    rows = (
        [
            *partnership_cells(p),
            p.country.code,
            p.territory,
            p.dac_sector,
            " ".join(p.sdg_targets or []),
            p.modality,
            p.formalisation_level,
            p.start_date,
            p.end_date,
            p.currency,
            p.facilitator.full_name if p.facilitator else "",
            len(p.members.all()),
            _money(p.planned_total),
            _money(p.delivered_total),
            p.closure_outcome,
            p.is_published,
        ]
        for p in qs
    )
    return columns, rows


def members_rows(partnerships):
    columns = [
        *PARTNERSHIP_COLUMNS,
        "member_id",
        "organisation",
        "acronym",
        "sector",
        "level",
        "country",
        "role",
        "signatory",
    ]
    qs = (
        Member.objects.filter(partnership__in=partnerships)
        .select_related("partnership", "organisation", "signatory")
        .order_by("partnership__reference", "organisation__name")
    )
    rows = (
        [
            *partnership_cells(m.partnership),
            m.pk,
            m.organisation.name,
            m.organisation.acronym,
            m.organisation.sector,
            m.organisation.level,
            m.organisation.country.code,
            m.role,
            m.signatory.full_name if m.signatory else "",
        ]
        for m in qs
    )
    return columns, rows


def contributions_rows(partnerships):
    """One row per planned amount and one per delivery (status ``planned`` / ``delivered``)."""
    columns = [
        *PARTNERSHIP_COLUMNS,
        "contribution_id",
        "member",
        "sector",
        "role",
        "kind",
        "description",
        "period_start",
        "period_end",
        "status",
        "date",
        "amount",
        "currency",
    ]

    def rows():
        qs = (
            Contribution.objects.filter(partnership__in=partnerships)
            .select_related("partnership", "member__organisation")
            .order_by("partnership__reference", "member__organisation__name", "pk")
        )
        deliveries: dict[int, list[Delivery]] = {}
        for d in Delivery.objects.filter(contribution__in=qs).order_by("delivered_on", "pk"):
            deliveries.setdefault(d.contribution_id, []).append(d)
        for c in qs:
            head = [
                *partnership_cells(c.partnership),
                c.pk,
                c.member.organisation.name,
                c.member.organisation.sector,
                c.member.role,
                c.kind,
                c.description,
                c.period_start,
                c.period_end,
            ]
            yield [*head, "planned", c.period_start, c.planned_amount, c.currency]
            recorded = Decimal(0)
            for d in deliveries.get(c.pk, []):
                recorded += d.amount
                yield [*head, "delivered", d.delivered_on, d.amount, c.currency]
            if c.delivered_amount > recorded:
                # Delivered before deliveries were itemised: the date is unknown.
                yield [*head, "delivered", None, c.delivered_amount - recorded, c.currency]

    return columns, rows()


def indicators_rows(partnerships):
    """One row per baseline, target and measurement of each indicator."""
    columns = [
        *PARTNERSHIP_COLUMNS,
        "objective_kind",
        "objective",
        "indicator_id",
        "indicator",
        "unit",
        "measure",
        "observation",
        "date",
        "value",
        "note",
    ]

    def rows():
        qs = (
            Indicator.objects.filter(objective__partnership__in=partnerships)
            .select_related("objective__partnership")
            .order_by("objective__partnership__reference", "objective__order", "pk")
        )
        measurements: dict[int, list[Measurement]] = {}
        for m in Measurement.objects.filter(indicator__in=qs).order_by("measured_on", "pk"):
            measurements.setdefault(m.indicator_id, []).append(m)
        for i in qs:
            p = i.objective.partnership
            head = [
                *partnership_cells(p),
                i.objective.kind,
                i.objective.description,
                i.pk,
                i.name,
                i.unit,
                i.measure,
            ]
            yield [*head, "baseline", p.operation_started_on or p.start_date, i.baseline, ""]
            yield [*head, "target", p.end_date, i.target, i.means_of_verification]
            for m in measurements.get(i.pk, []):
                yield [*head, "measurement", m.measured_on, m.value, m.note]

    return columns, rows()


register_dataset("partnerships", _("Partnerships"), partnerships_rows)
register_dataset("members", _("Members"), members_rows)
register_dataset("contributions", _("Contributions, planned and delivered"), contributions_rows)
register_dataset(
    "indicators", _("Indicators with baselines, targets and measurements"), indicators_rows
)
# The risks app registers "risks" (risks/exports.py).


# ----- writers: every text cell passes the format's function of text.py ----------------------


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return csv_text(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def write_csv(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([csv_text(c) for c in columns])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    # A byte-order mark so spreadsheet programs read the accents as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx(columns, rows, *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([xlsx_text(c) for c in columns])
    for row in rows:
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=xlsx_text(value))
                cell.data_type = "s"  # never a formula
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def render(dataset: str, fmt: str, partnerships) -> bytes:
    ds = _DATASETS[dataset]
    columns, rows = ds.build(partnerships)
    if fmt == "csv":
        return write_csv(columns, rows)
    return write_xlsx(columns, rows, title=dataset)


def download(dataset: str, fmt: str, partnerships) -> HttpResponse:
    content = render(dataset, fmt, partnerships)
    response = HttpResponse(content, content_type=FORMATS[fmt])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="alianza-{dataset}-{stamp}.{fmt}"'
    return response
