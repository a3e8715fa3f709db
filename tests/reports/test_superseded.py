"""A renegotiated agreement: the first version stays authentic, and whoever checks it learns
that a later version replaced it, with a link to the current one."""

import pytest
from django.urls import reverse

from partnerships import services as partnership_services
from partnerships.models import Assessment, Phase
from reports import services
from reports.models import Document, DocumentKind, DocumentStatus

from .conftest import approve_and_start, designed_partnership, open_design_gate, record_operation

pytestmark = pytest.mark.django_db


def _agreement(partnership, version):
    return Document.objects.get(
        partnership=partnership, kind=DocumentKind.AGREEMENT, version=version
    )


@pytest.fixture
def renegotiated():
    partnership = designed_partnership()
    approve_and_start(partnership, open_design_gate(partnership))
    record_operation(partnership)
    by = partnership.facilitator
    partnership_services.partnership_request_assessment(partnership=partnership, by=by)
    partnership_services.partnership_transition(
        name="start_assessment", partnership=partnership, by=by
    )
    Assessment.objects.create(
        partnership=partnership, recommendation="renegotiate", results_summary="Change it."
    )
    partnership_services.partnership_transition(name="renegotiate", partnership=partnership, by=by)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.DESIGN
    approve_and_start(partnership, open_design_gate(partnership))
    for version in (1, 2):  # rendered as the worker would after commit
        services.document_render(document_id=_agreement(partnership, version).pk)
    first, second = _agreement(partnership, 1), _agreement(partnership, 2)
    assert first.status == second.status == DocumentStatus.READY
    return partnership, first, second


def test_the_first_version_is_authentic_and_superseded_by_code_and_by_file(client, renegotiated):
    partnership, first, second = renegotiated
    by_code = client.get(reverse("reports:verify"), {"code": first.verification_code})
    page = by_code.content.decode()
    assert "Alianza issued a document with this code." in page
    assert "Superseded: this is version 1 of the agreement." in page
    assert "The parties signed version 2" in page
    assert f"?code={second.verification_code}" in page

    with first.file.open("rb") as handle:
        result = services.document_verify_file(handle.read())
    assert result.authentic and result.superseded_by == second


def test_the_documents_list_says_which_version_is_superseded(client, renegotiated):
    partnership, _first, _second = renegotiated
    client.force_login(partnership.facilitator)
    page = client.get(reverse("reports:list", args=[partnership.pk])).content.decode()
    assert page.count("superseded by version 2") == 1
    # Each version names who signed it.
    assert page.count("Signed by Dra. María José Núñez") == 2


def test_the_current_version_is_not_superseded(client, renegotiated):
    _partnership, _first, second = renegotiated
    page = client.get(reverse("reports:verify"), {"code": second.verification_code})
    assert "Superseded" not in page.content.decode()
    assert services.superseding_agreement(second) is None
