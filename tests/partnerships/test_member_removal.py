"""A member can leave before the agreement is signed (issue 15, item 10).

Before signing, the facilitator removes a member from its page, after a confirmation that
lists what happens to its contributions (deleted, with their deliveries) and the risks it owns
(passed to another member, or left without an owner); the removal is audited, and an open
sign-off no longer waits for the member's signatory. From operation onwards it is refused, on
the page and through the API (a later issue adds amendments).
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import Role, Sector
from partnerships import gates, services
from partnerships.audit import Action
from partnerships.models import (
    AuditEntry,
    Contribution,
    ContributionKind,
    Decision,
    Delivery,
    Member,
    MemberRole,
    Partnership,
    Phase,
)
from risks.models import Risk
from tests.api.builders import build
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    api_for,
    complete_agreement,
    make_designable,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def designing():
    """A partnership in design with a complete agreement and a third member, the bank, that
    promised money, got a delivery recorded early and owns a risk."""
    partnership = make_designable(PartnershipFactory())
    official = UserFactory(
        role=Role.OFFICIAL,
        organisation=partnership.members.get(organisation__sector=Sector.PUBLIC).organisation,
    )
    services.partnership_transition(
        name="start_design", partnership=partnership, by=partnership.facilitator
    )
    partnership.refresh_from_db()
    complete_agreement(partnership)
    partnership.refresh_from_db()
    andino = OrganisationFactory(name="Banco Andino", sector=Sector.PRIVATE)
    bank = MemberFactory(
        partnership=partnership,
        organisation=andino,
        role=MemberRole.FUNDER,
        signatory=UserFactory(organisation=andino),
    )
    loan = Contribution.objects.create(
        partnership=partnership,
        member=bank,
        kind=ContributionKind.FINANCIAL,
        description="Seed capital",
        planned_amount=Decimal("50000"),
    )
    services.contribution_record_delivery(
        contribution=loan,
        amount=Decimal("1000"),
        delivered_on=timezone.localdate(),
        by=partnership.facilitator,
    )
    risk = Risk.objects.create(
        partnership=partnership,
        title="Interest rates rise",
        category="financial",
        likelihood=3,
        impact=3,
        owner=bank,
        mitigation="Fixed rate.",
    )
    ngo = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    return {
        "partnership": partnership,
        "official": official,
        "bank": bank,
        "loan": loan,
        "risk": risk,
        "ngo": ngo,
    }


def _remove_url(member):
    return reverse("partnerships:member_remove", args=[member.partnership_id, member.pk])


def test_the_member_page_offers_removal_before_signing(client, designing):
    bank = designing["bank"]
    client.force_login(designing["partnership"].facilitator)
    page = client.get(
        reverse("partnerships:member_edit", args=[bank.partnership_id, bank.pk])
    ).content.decode()
    assert _remove_url(bank) in page


def test_the_confirmation_lists_what_happens_to_contributions_and_risks(client, designing):
    bank = designing["bank"]
    client.force_login(designing["partnership"].facilitator)
    response = client.get(_remove_url(bank))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Banco Andino" in page
    assert "Seed capital" in page and "1 delivery" in page
    assert "Interest rates rise" in page
    assert 'name="risks_to"' in page
    # Nothing happened yet.
    assert Member.objects.filter(pk=bank.pk).exists()


def test_the_facilitator_removes_a_member_and_gives_its_risks_to_another(client, designing):
    bank, ngo, risk = designing["bank"], designing["ngo"], designing["risk"]
    facilitator = designing["partnership"].facilitator
    client.force_login(facilitator)
    response = client.post(_remove_url(bank), {"risks_to": ngo.pk})
    assert response.status_code == 302
    assert not Member.objects.filter(pk=bank.pk).exists()
    assert not Contribution.objects.filter(pk=designing["loan"].pk).exists()
    assert not Delivery.objects.filter(contribution_id=designing["loan"].pk).exists()
    risk.refresh_from_db()
    assert risk.owner == ngo
    entry = AuditEntry.objects.get(action=Action.MEMBER_REMOVED)
    assert entry.actor == facilitator
    assert entry.data["organisation"] == "Banco Andino"
    assert entry.data["contributions"][0]["description"] == "Seed capital"
    assert entry.data["risks"] == [{"title": "Interest rates rise", "to": ngo.organisation.name}]


def test_without_a_new_owner_its_risks_have_none(client, designing):
    client.force_login(designing["partnership"].facilitator)
    assert client.post(_remove_url(designing["bank"]), {"risks_to": ""}).status_code == 302
    designing["risk"].refresh_from_db()
    assert designing["risk"].owner is None


def test_the_new_owner_must_be_another_member_of_this_partnership(client, designing):
    elsewhere = MemberFactory()
    client.force_login(designing["partnership"].facilitator)
    response = client.post(_remove_url(designing["bank"]), {"risks_to": elsewhere.pk})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert Member.objects.filter(pk=designing["bank"].pk).exists()


def test_only_the_facilitator_removes_members(client, designing):
    bank = designing["bank"]
    partner = UserFactory(role=Role.PARTNER, organisation=designing["ngo"].organisation)
    client.force_login(partner)
    assert client.get(_remove_url(bank)).status_code == 403
    assert client.post(_remove_url(bank)).status_code == 403
    response = api_for(partner).delete(f"/api/members/{bank.pk}/")
    assert response.status_code == 403
    assert Member.objects.filter(pk=bank.pk).exists()


def test_removing_a_member_while_signing_no_longer_waits_for_its_signatory(client, designing):
    partnership, bank = designing["partnership"], designing["bank"]
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    leaving = bank.signatory
    assert gate.approvals.filter(approver=leaving, decision=Decision.PENDING).exists()
    client.force_login(partnership.facilitator)
    assert client.post(_remove_url(bank), {"risks_to": designing["ngo"].pk}).status_code == 302
    assert not gate.current_approvals().filter(approver=leaving).exists()
    for approval in list(gate.approvals.filter(decision=Decision.PENDING)):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    assert Partnership.objects.get(pk=partnership.pk).phase == Phase.OPERATION


def test_the_api_removes_a_member_before_signing_through_the_same_service(designing):
    bank = designing["bank"]
    response = api_for(designing["partnership"].facilitator).delete(f"/api/members/{bank.pk}/")
    assert response.status_code == 204, response.content
    assert not Member.objects.filter(pk=bank.pk).exists()
    designing["risk"].refresh_from_db()
    assert designing["risk"].owner is None
    assert AuditEntry.objects.filter(action=Action.MEMBER_REMOVED).exists()


# ----- after signing ---------------------------------------------------------------------------


@pytest.fixture
def operating():
    partnership = build("operation")
    return partnership, partnership.members.get(role=MemberRole.IMPLEMENTER)


def test_after_signing_the_page_refuses_removal_and_says_why(client, operating):
    partnership, member = operating
    client.force_login(partnership.facilitator)
    edit = client.get(reverse("partnerships:member_edit", args=[partnership.pk, member.pk]))
    assert edit.status_code == 403
    assert "The agreement is signed" in edit.content.decode()
    response = client.get(_remove_url(member))
    assert response.status_code == 200
    assert "Remove the member" not in response.content.decode()
    assert "agreement is signed" in response.content.decode()
    # Posting anyway is refused with the reason, not sent on to a page that refuses.
    response = client.post(_remove_url(member))
    assert response.status_code == 403
    assert "The agreement is signed" in response.content.decode()
    assert Member.objects.filter(pk=member.pk).exists()


def test_after_signing_the_api_refuses_removal_with_a_reason(operating):
    partnership, member = operating
    response = api_for(partnership.facilitator).delete(f"/api/members/{member.pk}/")
    assert response.status_code == 409
    assert any("signed" in r for r in response.json()["reasons"])
    assert Member.objects.filter(pk=member.pk).exists()


def test_the_admin_removes_a_member_only_before_signing_and_through_the_service(
    client, designing, operating
):
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    ngo = designing["ngo"]  # no contribution: the admin's own protection does not stop it
    url = reverse("admin:partnerships_member_delete", args=[ngo.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Member.objects.filter(pk=ngo.pk).exists()
    assert AuditEntry.objects.filter(action=Action.MEMBER_REMOVED, actor=admin).exists()
    _partnership, signed_member = operating
    url = reverse("admin:partnerships_member_delete", args=[signed_member.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Member.objects.filter(pk=signed_member.pk).exists()
