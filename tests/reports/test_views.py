"""The documents page, downloads by role, and the public verification page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actors.models import Role
from partnerships.models import MemberRole
from reports import services
from reports.models import Document, DocumentStatus
from tests.factories import OrganisationFactory, UserFactory

from .conftest import designed_partnership, open_design_gate

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued():
    """A partnership with a signed, stored draft agreement; returns (document, pdf bytes)."""
    partnership = designed_partnership()
    document = services.document_render(
        document_id=open_design_gate(partnership).documents.get().pk
    )
    with document.file.open("rb") as fh:
        return document, fh.read()


def _upload(data: bytes, name="agreement.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_members_officials_and_funders_download_the_pdf_as_an_attachment(client, issued):
    document, data = issued
    partnership = document.partnership
    funder_org = partnership.members.get(role=MemberRole.FUNDER).organisation
    public_org = partnership.members.get(role=MemberRole.PUBLIC_ENTITY).organisation
    people = [
        partnership.facilitator,
        UserFactory(role=Role.DONOR, organisation=funder_org),
        UserFactory(role=Role.OFFICIAL, organisation=public_org),
        partnership.members.get(role=MemberRole.IMPLEMENTER).signatory,
    ]
    for person in people:
        client.force_login(person)
        response = client.get(reverse("reports:download", args=[document.pk]))
        assert response.status_code == 200, person
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == data


def test_unrelated_people_and_donors_of_other_partnerships_get_404(client, issued):
    document, _data = issued
    url = reverse("reports:download", args=[document.pk])
    for person in (
        UserFactory(role=Role.PARTNER),
        UserFactory(role=Role.DONOR, organisation=OrganisationFactory()),
        UserFactory(role=Role.OFFICIAL),
    ):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert (
            client.get(reverse("reports:list", args=[document.partnership_id])).status_code == 404
        )


def test_anonymous_download_goes_to_login(client, issued):
    document, _data = issued
    response = client.get(reverse("reports:download", args=[document.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_documents_page_lists_documents_and_requests_a_progress_report(client, issued):
    document, _data = issued
    partnership = document.partnership
    client.force_login(partnership.facilitator)
    url = reverse("reports:list", args=[partnership.pk])
    page = client.get(url).content.decode()
    assert document.verification_code in page
    assert reverse("reports:download", args=[document.pk]) in page
    assert "data-pending" not in page

    response = client.post(url, {"period_start": "2026-01-01", "period_end": "2026-06-30"})
    assert response.status_code == 302
    report = Document.objects.get(kind="progress")
    assert report.period_end == datetime.date(2026, 6, 30)
    assert report.requested_by == partnership.facilitator
    status = client.get(reverse("reports:status", args=[partnership.pk])).content.decode()
    assert "data-pending" in status and "Queued" in status

    response = client.post(url, {"period_start": "2026-06-30", "period_end": "2026-01-01"})
    assert response.status_code == 200
    assert "The period must end after it starts." in response.content.decode()


def test_the_verification_page_accepts_the_issued_file_without_login(client, issued):
    document, data = issued
    response = client.post(reverse("reports:verify"), {"file": _upload(data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Authentic: Alianza issued this file and it has not been changed." in page
    assert document.partnership.title in page and document.partnership.reference in page
    assert "Agreement (draft)" in page


def test_the_verification_page_rejects_a_modified_copy_and_says_why(client, issued):
    document, data = issued
    tampered = bytearray(data)
    tampered[len(tampered) // 3] ^= 0x01
    page = client.post(reverse("reports:verify"), {"file": _upload(bytes(tampered))}).content
    page = page.decode()
    assert "Not authentic" in page
    assert f"It claims to be document {document.verification_code}" in page
    assert "The digital signature is broken" in page


def test_the_verification_page_rejects_an_unknown_pdf_and_a_non_pdf(client, issued):
    _document, data = issued
    other = services.html_to_pdf("<p>Un documento cualquiera</p>")
    page = client.post(reverse("reports:verify"), {"file": _upload(other)}).content.decode()
    assert "Not authentic" in page
    assert "Alianza has not issued a document with this exact content." in page
    assert "The file carries no digital signature." in page
    response = client.post(
        reverse("reports:verify"), {"file": _upload(b"hello", "a.txt", "text/plain")}
    )
    assert "This is not a PDF file." in response.content.decode()


def test_the_verification_page_refuses_files_over_the_limit(client, settings, issued):
    _document, data = issued
    settings.ALIANZA_MAX_UPLOAD_BYTES = 1000
    page = client.post(reverse("reports:verify"), {"file": _upload(data)}).content.decode()
    assert "The file is larger than" in page


def test_the_code_from_the_qr_code_finds_the_document(client, issued):
    document, _data = issued
    page = client.get(document.verification_path()).content.decode()
    assert "Alianza issued a document with this code." in page
    assert document.sha256 in page
    typed = document.verification_code.lower().replace("-", " ")
    assert (
        "Alianza issued" in client.post(reverse("reports:verify"), {"code": typed}).content.decode()
    )
    page = client.get(reverse("reports:verify"), {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert "No document issued by Alianza has this verification code." in page


def test_a_pending_document_cannot_be_verified_or_downloaded(client, issued):
    document, _data = issued
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.RENDERING)
    assert "Not authentic" in client.get(document.verification_path()).content.decode()
    client.force_login(document.partnership.facilitator)
    assert client.get(reverse("reports:download", args=[document.pk])).status_code == 404


def test_the_verification_form_is_csrf_protected(issued):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("reports:verify"), {"code": "x"})
    assert response.status_code == 403
