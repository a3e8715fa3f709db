"""The "Amendment N" agreement: a signed PDF naming what changed and the version it replaces;
the public verification page calls the replaced version superseded."""

import pytest
from django.urls import reverse

from partnerships.amendments import services as amendment_services
from reports import services
from reports.models import Document, DocumentKind, DocumentStatus
from tests.reports.conftest import pdf_text, pdfsig

from .conftest import open_amendment, raise_first_target, sign_everything

pytestmark = pytest.mark.django_db


def _version(partnership, n):
    return Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT, version=n)


@pytest.fixture
def amended(signed):
    amendment = open_amendment(signed)
    raise_first_target(amendment, to="95")
    amendment = amendment_services.amendment_submit(amendment=amendment, by=signed.facilitator)
    sign_everything(amendment)
    for n in (1, 2):  # as the worker does after the commit
        services.document_render(document_id=_version(signed, n).pk)
    return signed, amendment, _version(signed, 1), _version(signed, 2)


def test_amendment_one_is_a_signed_pdf_that_names_its_changes(amended, tmp_path):
    partnership, amendment, original, document = amended
    assert document.status == DocumentStatus.READY
    data = document.file.open("rb").read()
    text = " ".join(pdf_text(data).split())
    assert "Amendment 1: Results (objectives, indicators, targets)" in text
    assert "The baseline study found more schools." in text
    assert "Households washing hands › Target" in text
    assert "60.00" in text and "95.00" in text
    assert original.verification_code in text  # the version it replaces, to check
    signers = [
        a.approver.full_name for a in amendment.sign_off.approvals.filter(decision="approved")
    ]
    for name in signers:
        assert name in text
    report = pdfsig(data, tmp_path)
    assert "Signature is Valid." in report and "Total document signed" in report


def test_the_public_page_calls_the_original_superseded_by_amendment_one(client, amended):
    _partnership, _amendment, original, document = amended
    page = client.get(reverse("reports:verify"), {"code": original.verification_code})
    text = page.content.decode()
    assert "Superseded: this is version 1 of the agreement." in text
    assert f"?code={document.verification_code}" in text
    current = client.get(reverse("reports:verify"), {"code": document.verification_code})
    assert "Superseded" not in current.content.decode()


def test_progress_reports_show_the_current_target_and_the_one_first_signed(amended):
    import datetime

    partnership, _amendment, _original, _document = amended
    report = services.document_request_progress(
        partnership=partnership,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        by=partnership.facilitator,
    )
    services.document_render(document_id=report.pk)
    report.refresh_from_db()
    text = " ".join(pdf_text(report.file.open("rb").read()).split())
    assert "Households washing hands" in text
    assert "first signed: 60" in text and " 95 " in text
    assert "where an amendment changed one, the target first signed is given below it" in text
