"""The three documents, rendered by WeasyPrint, signed by pyHanko and read back as text."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings

from partnerships import services as partnership_services
from partnerships.models import ClosureOutcome
from reports import services
from reports.models import Document, DocumentKind, DocumentStatus
from risks import services as risk_services
from risks.models import Category

from .conftest import (
    add_assessment,
    approve_and_start,
    designed_partnership,
    open_design_gate,
    pdf_text,
    pdfsig,
    record_operation,
)

pytestmark = pytest.mark.django_db


def _render(document) -> bytes:
    produced = services.document_render(document_id=document.pk)
    assert produced is not None, Document.objects.get(pk=document.pk).failure_reason
    with produced.file.open("rb") as fh:
        data = fh.read()
    if os.environ.get("REPORTS_PDF_DIR"):  # to look at them: pdftoppm -png -r 60
        name = f"{produced.kind}-{produced.language}-{produced.verification_code}.pdf"
        (Path(os.environ["REPORTS_PDF_DIR"]) / name).write_bytes(data)
    return data


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_requesting_the_design_gate_writes_a_draft_marked_as_draft_on_every_page():
    partnership = designed_partnership()
    request = open_design_gate(partnership)
    draft = Document.objects.get(partnership=partnership)
    assert (draft.kind, draft.status, draft.version) == (DocumentKind.AGREEMENT_DRAFT, "queued", 1)
    assert draft.gate_request == request and draft.fingerprint == request.fingerprint
    text = pdf_text(_render(draft))
    pages = text.split("\f")[:-1]
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "DRAFT" in page
        assert draft.verification_code in page
        assert f"Page {number} of {len(pages)}" in page
    flat = _flat(text)
    for expected in (
        "Parties and roles",
        "Objectives and indicators",
        "Households washing hands",
        "Agreed scope.",
        "Duration",
        "People in charge",
        "Risks and who mitigates them",
        "Contributions over time",
        "USD 10,000.00",
        "Comité de gestión con reuniones trimestrales",
        "Agreed tracking tools.",
        "Agreed assessment criteria.",
        "Agreed confidentiality.",
        "Agreed non compliance.",
        "Dra. María José Núñez",
        request.fingerprint,
    ):
        assert expected in flat, expected


def test_agreement_lists_each_agreed_risk_with_its_category_ratings_and_owner():
    partnership = designed_partnership()
    owner = partnership.members.first()
    risk_services.risk_create(
        partnership=partnership,
        by=partnership.facilitator,
        title="Rotation of public officials",
        category=Category.POLITICAL,
        likelihood=4,
        impact=3,
        owner=owner,
        mitigation="Agreements signed at institutional level",
    )
    request = open_design_gate(partnership)
    context = services.agreement_context(
        Document(partnership=partnership, kind=DocumentKind.AGREEMENT, content=request.content)
    )
    (row,) = context["risks"]
    assert (row["title"], row["likelihood"], row["impact"]) == (
        "Rotation of public officials",
        4,
        3,
    )
    assert row["category_label"] == Category.POLITICAL.label
    approve_and_start(partnership, request)
    final = Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT)
    # Narrow columns hyphenate words across lines ("offi‐ cials").
    text = _flat(pdf_text(_render(final))).replace("\u2010 ", "")
    risks = text[text.index("who mitigates them") : text.index("Contributions over time")]
    assert "Likelihood Impact 4 3" in risks
    for expected in (
        "Rotation of public officials",
        str(Category.POLITICAL.label),
        owner.organisation.name,
        "Agreements signed at institutional level",
    ):
        assert expected in risks, expected


def test_final_agreement_carries_the_approved_content_and_every_signature():
    partnership = designed_partnership()
    request = open_design_gate(partnership)
    # A change after the request must not reach the agreement: what is signed is what was read.
    partnership.scope = "Changed after the request."
    partnership.save()
    approve_and_start(partnership, request)
    final = Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT)
    assert final.version == 1 and final.gate_request == request
    assert final.fingerprint == request.fingerprint
    data = _render(final)
    text = _flat(pdf_text(data))
    assert "DRAFT" not in text
    assert "Agreed scope." in text and "Changed after the request." not in text
    for approval in request.approvals.select_related("approver"):
        assert approval.approver.full_name in text
        assert approval.reference in text
    assert "Directora General (Public official" in text
    final.refresh_from_db()
    assert final.status == DocumentStatus.READY
    assert final.sha256 == services.signing.sha256_hex(data)
    assert final.file.name.startswith(f"documents/{partnership.pk}/")


def test_spanish_agreement_keeps_accents_and_translates_the_page_counter(tmp_path):
    partnership = designed_partnership(language="es")
    request = open_design_gate(partnership)
    approve_and_start(partnership, request)
    final = Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT)
    assert final.language == "es"
    text = _flat(pdf_text(_render(final)))
    assert "Agua segura para Huancavelica: niñas, niños y acción comunitaria" in text
    assert "Dra. María José Núñez" in text
    assert "Cooperación Española" in text


def test_progress_report_shows_indicators_contributions_activities_and_meetings():
    partnership = designed_partnership()
    approve_and_start(partnership, open_design_gate(partnership))
    record_operation(partnership)
    for likelihood, impact in ((4, 5), (4, 5), (2, 1)):
        risk_services.risk_create(
            partnership=partnership,
            by=partnership.facilitator,
            title=f"Risk {likelihood}x{impact}",
            category=Category.POLITICAL,
            likelihood=likelihood,
            impact=impact,
        )
    document = services.document_request_progress(
        partnership=partnership,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        by=partnership.facilitator,
    )
    assert document.version == 1
    html = services.render_html(document)
    assert "No risk heat map is available." not in html
    assert "<svg" in html and "3 risks." in html  # the heat map's description counts them
    data = _render(document)
    text = _flat(pdf_text(data))
    for expected in (
        "Indicators against targets",
        "Households washing hands",
        "35 / 60 %",  # the chart's caption: latest value against target
        "50 %",  # progress from baseline 10 to target 60
        "Contributions planned and delivered",
        "4,000.00",
        "40 %",
        "Capacitación en lavado de manos en escuelas rurales",
        "Reunión del comité de gestión",
        "Meetings held",
    ):
        assert expected in text, expected


def test_closure_report_names_the_outcome_results_and_lessons():
    partnership = designed_partnership()
    approve_and_start(partnership, open_design_gate(partnership))
    record_operation(partnership)
    by = partnership.facilitator
    partnership_services.partnership_request_assessment(partnership=partnership, by=by)
    partnership_services.partnership_transition(
        name="start_assessment", partnership=partnership, by=by
    )
    add_assessment(partnership)
    partnership_services.partnership_transition(
        name="close", partnership=partnership, by=by, outcome=ClosureOutcome.CONTINUED
    )
    document = Document.objects.get(partnership=partnership, kind=DocumentKind.CLOSURE)
    text = _flat(pdf_text(_render(document)))
    assert "Continued as a new partnership" in text
    assert f"{partnership.title} (continued)" in text
    assert "El 35 % de los hogares se lava las manos" in text
    assert "La participación de las comunidades campesinas fue decisiva." in text


def test_signed_pdf_is_valid_for_pdfsig_and_pyhanko_and_a_flipped_byte_breaks_it(tmp_path):
    partnership = designed_partnership()
    data = _render(Document.objects.get(pk=open_design_gate(partnership).documents.get().pk))
    report = pdfsig(data, tmp_path)
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    check = services.signing.check_signature(data)
    assert check.ok and check.intact and check.by_this_installation
    assert "Agreement (draft)" in check.reason and "version 1" in check.reason

    tampered = bytearray(data)
    tampered[len(tampered) // 3] ^= 0x01
    report = pdfsig(bytes(tampered), tmp_path)
    assert "Signature is Valid." not in report
    assert "Digest Mismatch" in report or "Invalid" in report
    assert not services.signing.check_signature(bytes(tampered)).ok


def test_rendered_pdf_is_pdf_a_3b():
    partnership = designed_partnership()
    data = _render(open_design_gate(partnership).documents.get())
    import io

    from pypdf import PdfReader

    xmp = PdfReader(io.BytesIO(data)).xmp_metadata
    raw = xmp.stream.get_data().decode()
    assert "<pdfaid:part>3</pdfaid:part>" in raw or 'pdfaid:part="3"' in raw
    assert "<pdfaid:conformance>B</pdfaid:conformance>" in raw or 'pdfaid:conformance="B"' in raw
    assert settings.ALIANZA_PUBLIC_URL in pdf_text(data)
