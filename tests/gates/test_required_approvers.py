"""A sign-off always waits for the right people (issue 14, item 3).

Whenever the members, their roles or their signatories change while a request is open, the
people who must approve are computed again (``gates.approvers._revalidate_locked``, reached from every
page and API write through ``agreed_content_saved``, and from every approval): a new member's
signatory must sign, a replaced signatory's successor signs instead, a removed member's no
longer does. The last approval checks the current set before the transition runs.
"""

import pytest
from django.urls import reverse

from actors.models import Notification, Role, Sector
from partnerships import gates
from partnerships.audit import Action
from partnerships.models import (
    ApprovalCapacity,
    AuditEntry,
    Decision,
    GateStatus,
    Member,
    MemberRole,
    Partnership,
    Phase,
)
from tests.factories import MemberFactory, OrganisationFactory, UserFactory, api_for

from .conftest import official_of

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def _phase(partnership):
    return Partnership.objects.get(pk=partnership.pk).phase


@pytest.fixture
def signing(design):
    """The start-operation sign-off open, with everyone originally assigned."""
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    originals = [a.approver for a in gate.current_approvals()]
    assert len(originals) == 3  # two signatories and the official
    return partnership, gate, originals


def _approve_all(gate, people):
    for person in people:
        gates.signoff_approve(gate_request=gate, by=person)


def _awaited(gate):
    return set(gate.approvals.filter(decision=Decision.PENDING).values_list("approver", flat=True))


# ----- a new member's signatory must sign -------------------------------------------------------


def test_a_member_added_on_the_pages_while_signing_must_sign_too(client, signing):
    partnership, gate, originals = signing
    newcomer = OrganisationFactory(name="Banco Andino", sector=Sector.PRIVATE)
    signatory = UserFactory(organisation=newcomer, full_name="Bruno Banquero")
    client.force_login(partnership.facilitator)
    response = client.post(
        reverse("partnerships:member_add", args=[partnership.pk]),
        {"organisation": "Banco Andino", "role": MemberRole.FUNDER},
    )
    assert response.status_code == 302
    member = Member.objects.get(partnership=partnership, organisation=newcomer)
    response = client.post(
        reverse("partnerships:member_edit", args=[partnership.pk, member.pk]),
        {"role": MemberRole.FUNDER, "signatory": signatory.pk},
    )
    assert response.status_code == 302

    _approve_all(gate, originals)
    gate.refresh_from_db()
    assert gate.status == GateStatus.OPEN
    assert _phase(partnership) == Phase.DESIGN
    assert _awaited(gate) == {signatory.pk}
    approval = gate.approvals.get(approver=signatory, decision=Decision.PENDING)
    assert (approval.capacity, approval.member) == (ApprovalCapacity.SIGNATORY, member)
    assert Notification.objects.filter(
        recipient=signatory, title__contains="Your sign-off is requested"
    ).exists()

    gates.signoff_approve(gate_request=gate, by=signatory)
    assert _phase(partnership) == Phase.OPERATION


def test_a_member_added_through_the_api_while_signing_must_sign_too(signing):
    partnership, gate, originals = signing
    newcomer = OrganisationFactory(sector=Sector.PRIVATE)
    signatory = UserFactory(organisation=newcomer)
    response = api_for(partnership.facilitator).post(
        "/api/members/",
        {
            "partnership": partnership.pk,
            "organisation": newcomer.pk,
            "role": MemberRole.FUNDER,
            "signatory": signatory.pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content

    _approve_all(gate, originals)
    assert _phase(partnership) == Phase.DESIGN
    assert _awaited(gate) == {signatory.pk}
    gates.signoff_approve(gate_request=gate, by=signatory)
    assert _phase(partnership) == Phase.OPERATION


def test_a_member_added_behind_the_pages_back_is_caught_by_the_last_approval(signing):
    """No page or API call: the approval path recomputes the set before it transitions."""
    partnership, gate, originals = signing
    *first, last = originals
    _approve_all(gate, first)
    newcomer = OrganisationFactory(sector=Sector.PRIVATE)
    signatory = UserFactory(organisation=newcomer)
    Member.objects.create(
        partnership=partnership, organisation=newcomer, role="ally", signatory=signatory
    )
    with pytest.raises(gates.GateError, match="content changed"):
        gates.signoff_approve(gate_request=gate, by=last)
    assert _awaited(gate) == {*(p.pk for p in originals), signatory.pk}
    _approve_all(gate, originals)
    assert _phase(partnership) == Phase.DESIGN
    gates.signoff_approve(gate_request=gate, by=signatory)
    assert _phase(partnership) == Phase.OPERATION


# ----- a replaced signatory's successor signs instead ------------------------------------------


def test_a_replaced_signatory_no_longer_signs_and_the_successor_does(client, signing):
    partnership, gate, originals = signing
    member = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    predecessor = member.signatory
    successor = UserFactory(organisation=member.organisation, full_name="Sara Sucesora")
    gates.signoff_approve(gate_request=gate, by=predecessor)
    client.force_login(partnership.facilitator)
    response = client.post(
        reverse("partnerships:member_edit", args=[partnership.pk, member.pk]),
        {"role": member.role, "signatory": successor.pk},
    )
    assert response.status_code == 302

    assert predecessor.pk not in _awaited(gate)
    assert not gate.current_approvals().filter(approver=predecessor).exists()
    with pytest.raises(gates.GateError, match="not assigned"):
        gates.signoff_approve(gate_request=gate, by=predecessor)
    assert Notification.objects.filter(recipient=predecessor, title__contains="no longer").exists()
    change = AuditEntry.objects.get(action=Action.GATE_APPROVERS_CHANGED)
    assert change.data["added"] == [successor.pk] and change.data["removed"] == [predecessor.pk]

    _approve_all(gate, [p for p in originals if p != predecessor])
    assert _phase(partnership) == Phase.DESIGN
    assert _awaited(gate) == {successor.pk}
    gates.signoff_approve(gate_request=gate, by=successor)
    assert _phase(partnership) == Phase.OPERATION


def test_a_signatory_replaced_through_the_api_is_replaced_in_the_sign_off(signing):
    partnership, gate, originals = signing
    member = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    predecessor = member.signatory
    successor = UserFactory(organisation=member.organisation)
    response = api_for(partnership.facilitator).patch(
        f"/api/members/{member.pk}/", {"signatory": successor.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert successor.pk in _awaited(gate) and predecessor.pk not in _awaited(gate)


def test_a_deactivated_signatory_keeps_the_gate_from_passing(signing):
    """Nothing about the content changed, yet the set is incomplete: all the others approving
    must not pass the gate."""
    partnership, gate, originals = signing
    member = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    leaver = member.signatory
    leaver.is_active = False
    leaver.save()
    _approve_all(gate, [p for p in originals if p != leaver])
    gate.refresh_from_db()
    assert gate.status == GateStatus.OPEN
    assert _phase(partnership) == Phase.DESIGN
    notice = Notification.objects.filter(
        recipient=partnership.facilitator, title__contains="cannot pass yet"
    ).get()
    assert member.organisation.name in notice.body
    # A new signatory for the member: they sign, and the gate passes.
    successor = UserFactory(organisation=member.organisation)
    member.signatory = successor
    member.save()
    gates.agreed_content_saved(partnership=partnership, by=partnership.facilitator)
    _approve_all(gate, [a.approver for a in gate.approvals.filter(decision=Decision.PENDING)])
    assert _phase(partnership) == Phase.OPERATION


# ----- a removed member's signatory no longer signs --------------------------------------------


def test_a_member_removed_through_the_api_while_signing_no_longer_signs(signing):
    partnership, gate, originals = signing
    member = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    assert not member.contributions.exists()
    leaving = member.signatory
    response = api_for(partnership.facilitator).delete(f"/api/members/{member.pk}/")
    assert response.status_code == 204, response.content
    assert leaving.pk not in _awaited(gate)
    _approve_all(gate, [p for p in originals if p != leaving])
    assert _phase(partnership) == Phase.OPERATION


# ----- roles and officials ------------------------------------------------------------------


def test_a_role_change_voids_approvals_and_keeps_the_same_people(client, signing):
    partnership, gate, originals = signing
    member = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    gates.signoff_approve(gate_request=gate, by=originals[0])
    client.force_login(partnership.facilitator)
    response = client.post(
        reverse("partnerships:member_edit", args=[partnership.pk, member.pk]),
        {"role": MemberRole.ALLY, "signatory": member.signatory_id},
    )
    assert response.status_code == 302
    assert _awaited(gate) == {p.pk for p in originals}
    _approve_all(gate, originals)
    assert _phase(partnership) == Phase.OPERATION


def test_the_officials_the_facilitator_chose_stay_the_ones_who_sign(interest):
    partnership, olga = interest
    other = official_of(partnership, full_name="Otto Official")
    gate = gates.gate_request_create(
        partnership=partnership,
        transition="start_design",
        by=partnership.facilitator,
        officials=[olga],
    )
    # A new public member with its own official joins: the choice stands.
    body = OrganisationFactory(sector=Sector.PUBLIC)
    MemberFactory(partnership=partnership, organisation=body, role=MemberRole.PUBLIC_ENTITY)
    UserFactory(organisation=body, role=Role.OFFICIAL)
    gates.agreed_content_saved(partnership=partnership, by=partnership.facilitator)
    assert _awaited(gate) == {olga.pk}
    # The chosen official leaves: every eligible official is asked instead, so the gate can
    # still be passed by a public official.
    olga.is_active = False
    olga.save()
    gates.agreed_content_saved(partnership=partnership, by=partnership.facilitator)
    assert other.pk in _awaited(gate) and olga.pk not in _awaited(gate)


def test_a_signatory_replaced_in_the_admin_is_replaced_in_the_sign_off(client, signing):
    partnership, gate, originals = signing
    member = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    predecessor = member.signatory
    successor = UserFactory(organisation=member.organisation)
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        reverse("admin:partnerships_member_change", args=[member.pk]),
        {
            "partnership": partnership.pk,
            "organisation": member.organisation_id,
            "role": member.role,
            "signatory": successor.pk,
            "motivation": "",
            "responsibilities": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert successor.pk in _awaited(gate) and predecessor.pk not in _awaited(gate)


def test_the_sign_off_page_says_why_it_cannot_pass(client, signing):
    partnership, gate, _originals = signing
    member = partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)
    member.signatory.is_active = False
    member.signatory.save()
    client.force_login(partnership.facilitator)
    page = client.get(reverse("partnerships:gate_detail", args=[gate.pk])).content.decode()
    assert "cannot pass until every person who must sign can be asked" in page
    assert f"{member.organisation.name} has no active authorised signatory." in page
