"""The sign-off and the agreement together: what is signed is what was read."""

import pytest

from actors.models import Role
from partnerships import gates, services
from partnerships.models import Phase
from reports.models import Document, DocumentKind, DocumentStatus
from tests.factories import PartnershipFactory, UserFactory, complete_agreement, make_designable

from .conftest import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_design_gate_yields_a_draft_then_the_signed_agreement_with_every_signature():
    p = make_designable(PartnershipFactory(title="Agua segura en Huancavelica"))
    services.partnership_transition(name="start_design", partnership=p, by=p.facilitator)
    p.refresh_from_db()
    complete_agreement(p)
    public = p.members.get(organisation__sector="public").organisation
    official = UserFactory(role=Role.OFFICIAL, organisation=public, full_name="Rosa Quispe")

    gate = gates.gate_request_create(partnership=p, transition="start_operation", by=p.facilitator)
    draft = Document.objects.get(partnership=p, kind=DocumentKind.AGREEMENT_DRAFT)
    assert draft.status == DocumentStatus.READY
    assert "DRAFT" in pdf_text(draft.file.path)

    approvers = list(gate.approvals.select_related("approver"))
    assert official in [a.approver for a in approvers]
    assert len(approvers) == 1 + p.members.count()  # the official and every signatory
    for approval in approvers:
        gates.signoff_approve(by=approval.approver, gate_request=gate, comment="De acuerdo")

    p.refresh_from_db()
    assert p.phase == Phase.OPERATION
    final = Document.objects.get(partnership=p, kind=DocumentKind.AGREEMENT)
    assert final.status == DocumentStatus.READY
    gate.refresh_from_db()
    assert final.fingerprint == gate.fingerprint
    text = pdf_text(final.file.path)
    assert "DRAFT" not in text
    for approval in approvers:
        assert approval.approver.full_name in text
    # The draft and the final agreement carry the same agreed content.
    assert "Agreed governance." in pdf_text(draft.file.path)
    assert "Agreed governance." in text
