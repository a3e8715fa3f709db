import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actors.models import Role
from partnerships.models import Attachment, Indicator, Measurement, Meeting, Objective
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.ALIANZA_PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.ALIANZA_PRIVATE_MEDIA_ROOT


def upload(client, p, name, content, **extra):
    return client.post(
        reverse("partnerships:phase_attachment_upload", args=[p.pk]),
        {"file": SimpleUploadedFile(name, content), **extra},
        follow=True,
    )


def test_upload_is_stored_privately_under_a_random_name_and_served_as_download(
    fclient, partnership, private_root
):
    upload(fclient, partnership, "../../Acta firmada.pdf", PDF, description="Signed act")
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Acta firmada.pdf"
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    stored = Path(attachment.file.path)
    assert stored.is_file() and private_root in stored.parents
    assert "Acta" not in stored.name and stored.suffix == ".pdf"
    assert Path(settings.MEDIA_ROOT) not in stored.parents
    response = fclient.get(
        reverse("partnerships:phase_attachment_download", args=[partnership.pk, attachment.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Acta firmada.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_office_documents_and_images_are_accepted(fclient, partnership):
    upload(fclient, partnership, "plan.docx", docx_bytes())
    upload(fclient, partnership, "photo.PNG", PNG)
    assert sorted(Attachment.objects.values_list("original_name", flat=True)) == [
        "photo.PNG",
        "plan.docx",
    ]


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("tool.exe", b"MZ\x90\x00", "Files of this type cannot be attached"),
        ("page.html", b"<html><script>alert(1)</script>", "Files of this type cannot be attached"),
        ("fake.pdf", b"MZ\x90\x00 renamed executable", "is not a PDF file"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "is not a DOCX file"),
        ("odd.docx", None, "is not a DOCX file"),
        ("empty.pdf", b"", "file is empty"),
    ],
)
def test_wrong_types_are_refused_with_a_clear_message(fclient, partnership, name, content, message):
    if content is None:  # a valid zip that is a spreadsheet, not a text document
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("[Content_Types].xml", "<Types/>")
            z.writestr("xl/workbook.xml", "<workbook/>")
        content = buffer.getvalue()
    response = upload(fclient, partnership, name, content)
    assert message in response.content.decode()
    assert not Attachment.objects.exists()


def test_oversize_files_are_refused(fclient, partnership, settings):
    settings.ALIANZA_MAX_UPLOAD_BYTES = 1024
    response = upload(fclient, partnership, "big.pdf", PDF + b"0" * 2048)
    assert "The file is too large" in response.content.decode()
    assert "1.0" in response.content.decode()  # the limit, in KB
    assert not Attachment.objects.exists()


def test_unrelated_users_get_404_and_members_can_download(client, fclient, partnership, outsider):
    upload(fclient, partnership, "a.pdf", PDF)
    attachment = Attachment.objects.get()
    download = reverse(
        "partnerships:phase_attachment_download", args=[partnership.pk, attachment.pk]
    )
    client.force_login(outsider)
    assert client.get(download).status_code == 404
    other = PartnershipFactory(facilitator=outsider)
    wrong_pair = reverse("partnerships:phase_attachment_download", args=[other.pk, attachment.pk])
    assert client.get(wrong_pair).status_code == 404
    assert upload(client, partnership, "b.pdf", PDF).redirect_chain == [] or True
    assert Attachment.objects.count() == 1
    member = UserFactory(role=Role.PARTNER, organisation=partnership.members.first().organisation)
    client.force_login(member)
    assert client.get(download).status_code == 200


def test_outsider_upload_is_404(client, partnership, outsider):
    client.force_login(outsider)
    response = client.post(
        reverse("partnerships:phase_attachment_upload", args=[partnership.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF)},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_evidence_attaches_to_a_measurement_and_minutes_to_a_meeting(fclient, partnership):
    objective = Objective.objects.create(partnership=partnership, description="O")
    indicator = Indicator.objects.create(objective=objective, name="I", unit="n", target=5)
    measurement = Measurement.objects.create(
        indicator=indicator, measured_on=timezone.localdate(), value=2
    )
    meeting = Meeting.objects.create(partnership=partnership, title="M", held_at=timezone.now())
    upload(
        fclient,
        partnership,
        "evidence.jpg",
        b"\xff\xd8\xff\xe0" + b"0" * 20,
        measurement=measurement.pk,
    )
    upload(fclient, partnership, "minutes.pdf", PDF, meeting=meeting.pk)
    assert measurement.attachments.get().original_name == "evidence.jpg"
    assert meeting.attachments.get().original_name == "minutes.pdf"
    other_meeting = Meeting.objects.create(
        partnership=PartnershipFactory(facilitator=partnership.facilitator),
        title="X",
        held_at=timezone.now(),
    )
    response = fclient.post(
        reverse("partnerships:phase_attachment_upload", args=[partnership.pk]),
        {"file": SimpleUploadedFile("x.pdf", PDF), "meeting": other_meeting.pk},
    )
    assert response.status_code == 404 and Attachment.objects.count() == 2


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "/\\evil.example/x", "https://evil.example/", "javascript:x"]
)
def test_next_after_an_upload_never_leaves_the_site(fclient, partnership, target):
    response = fclient.post(
        reverse("partnerships:phase_attachment_upload", args=[partnership.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF), "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:phase_operation", args=[partnership.pk])


def test_next_after_an_upload_may_be_a_page_of_the_site(fclient, partnership):
    target = reverse("partnerships:phase_assessment", args=[partnership.pk])
    response = fclient.post(
        reverse("partnerships:phase_attachment_upload", args=[partnership.pk]),
        {"file": SimpleUploadedFile("a.pdf", PDF), "next": target},
    )
    assert response["Location"] == target
