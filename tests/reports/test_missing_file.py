import os

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from reports.models import Document, DocumentStatus
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_a_document_whose_file_is_gone_is_not_found_not_a_crash(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    partnership = PartnershipFactory()
    document = Document.objects.create(
        partnership=partnership,
        kind="agreement",
        version=1,
        status=DocumentStatus.READY,
        rendered_at=timezone.now(),
        sha256="a" * 64,
    )
    document.file.save("agreement.pdf", ContentFile(b"%PDF-1.4"), save=True)
    os.remove(document.file.path)
    client.force_login(partnership.facilitator)
    assert client.get(reverse("reports:download", args=[document.pk])).status_code == 404
