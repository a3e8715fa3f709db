"""How the documents lay out and whom they serve: no text runs out of its table cell, a total
comes once at the end of its table, and every PDF is tagged for screen readers while still
signed and valid."""

import datetime
import os
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from partnerships.models import Contribution, ContributionKind, MemberRole
from reports import services
from reports.models import Document
from tests.factories import MemberFactory, OrganisationFactory, UserFactory

from .conftest import (
    approve_and_start,
    designed_partnership,
    open_design_gate,
    pdf_text,
    pdfsig,
    record_operation,
)

pytestmark = pytest.mark.django_db


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or []:
        yield from _walk(child)


def spilling_text(html: str) -> list[str]:
    """Texts that WeasyPrint lays out beyond the edges of their table cell (into the next
    column, or past the table), with the page they are on."""
    found = []
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    for number, page in enumerate(document.pages, start=1):
        for cell in _walk(page._page_box):
            if not isinstance(cell, boxes.TableCellBox):
                continue
            left = cell.position_x + cell.border_left_width
            right = cell.position_x + cell.border_width() - cell.border_right_width
            for text in _walk(cell):
                if not (isinstance(text, boxes.TextBox) and text.text.strip()):
                    continue
                if text.position_x < left - 0.5 or text.position_x + text.width > right + 0.5:
                    found.append(f"page {number}: {text.text!r}")
    return found


def _big_contributions(partnership, amounts):
    for amount in amounts:
        Contribution.objects.create(
            partnership=partnership,
            member=partnership.members.first(),
            kind=ContributionKind.FINANCIAL,
            description="Co-financing of micronutrients and training",
            planned_amount=Decimal(amount),
            currency="PEN",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2027, 12, 31),
        )


@pytest.mark.parametrize("language", ["es", "en"])
def test_no_text_runs_out_of_its_cell_in_the_agreement(language):
    """'Línea de base' ran into 'Meta'; a total of millions ran into the period."""
    partnership = designed_partnership(language=language)
    _big_contributions(partnership, [2_400_000, 850_000, 2_490_000])
    draft = open_design_gate(partnership).documents.get()
    assert spilling_text(services.render_html(draft)) == []


def test_no_text_runs_out_of_its_cell_in_the_progress_report():
    partnership = designed_partnership(language="es")
    _big_contributions(partnership, [5_740_000])
    partnership = approve_and_start(partnership, open_design_gate(partnership))
    record_operation(partnership)
    report = services.document_request_progress(
        partnership=partnership,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        by=partnership.facilitator,
    )
    assert spilling_text(services.render_html(report)) == []


def test_the_contributions_total_comes_once_after_the_last_member_on_every_document():
    """A <tfoot> is repeated on each page a table spans: the progress report showed
    "Total" on page 1 right after the first member."""
    partnership = designed_partnership()
    for n in range(1, 41):
        organisation = OrganisationFactory(name=f"Socio {n:02d}")
        member = MemberFactory(
            partnership=partnership,
            organisation=organisation,
            role=MemberRole.IMPLEMENTER,
            signatory=UserFactory(organisation=organisation),
        )
        Contribution.objects.create(
            partnership=partnership,
            member=member,
            kind=ContributionKind.HUMAN,
            description=f"Field team {n}",
            planned_amount=Decimal(1000 * n),
            currency="PEN",
        )
    partnership = approve_and_start(partnership, open_design_gate(partnership))
    report = services.document_request_progress(
        partnership=partnership,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        by=partnership.facilitator,
    )
    agreement = Document.objects.filter(partnership=partnership, kind="agreement_draft").get()
    for document, after in ((report, "3. "), (agreement, "9. ")):
        pdf = services.html_to_pdf(services.render_html(document))
        if os.environ.get("REPORTS_PDF_DIR"):  # to look at them: pdftoppm -png -r 60
            Path(os.environ["REPORTS_PDF_DIR"], f"totals-{document.kind}.pdf").write_bytes(pdf)
        text = pdf_text(pdf)
        pages = text.split("\f")
        spanned = [i for i, page in enumerate(pages) if "Socio " in page]
        assert len(spanned) >= 2, f"the table should span pages: {spanned}"
        # From the first member to the next section: the totals once, after Socio 40.
        table = text[text.index("Socio 01") :]
        table = table[: table.index(after, table.index("Socio 40"))]
        lines = table.splitlines()
        totals = [i for i, line in enumerate(lines) if line.startswith("Total")]
        assert len(totals) == 2, (document.kind, totals)  # one per currency: PEN and USD
        assert min(totals) > lines.index("Socio 40")


def test_every_document_is_a_tagged_pdf_a_still_signed_and_valid(tmp_path):
    partnership = designed_partnership(language="es")
    draft = open_design_gate(partnership).documents.get()
    produced = services.document_render(document_id=draft.pk)
    assert produced is not None, Document.objects.get(pk=draft.pk).failure_reason
    with produced.file.open("rb") as fh:
        data = fh.read()
    path = tmp_path / "agreement.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    assert "Signature is Valid." in pdfsig(data, tmp_path)
    from pypdf import PdfReader

    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "es"
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in xmp or 'pdfaid:part="3"' in xmp
    # The structure tree has the document's headings and tables for a screen reader.
    tree = subprocess.run(["pdfinfo", "-struct", str(path)], capture_output=True, text=True).stdout
    assert "H2" in tree or "/H2" in tree
    assert "Table" in tree
