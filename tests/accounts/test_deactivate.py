"""A person leaves: every open sign-off and signatory role they hold is handed over first, so
no sign-off waits for someone who cannot act."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import ApiToken
from accounts.tokens import api_token_create
from actors.models import Role
from partnerships import gates
from partnerships.models import AuditEntry, Decision, GateStatus, Phase
from tests.factories import OrganisationFactory, UserFactory

from .conftest import PASSWORD, official_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def signing(design):
    """The agreement is up for signature: every signatory and the official are awaited."""
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    return partnership, official, gate


def test_the_page_lists_every_open_role_and_asks_who_takes_it_over(client, signing):
    partnership, official, gate = signing
    member = partnership.members.exclude(organisation__sector="public").get()
    leaving = member.signatory
    successor = UserFactory(organisation=member.organisation, full_name="Sara Sucesora")
    client.force_login(partnership.facilitator)
    url = reverse("accounts:deactivate", args=[leaving.pk])
    page = client.get(url).content.decode()
    assert f"Authorised signatory of {member.organisation.name}" in page
    assert "a sign-off is waiting for this signature" in page
    assert "Sara Sucesora" in page

    refused = client.post(url, {})
    html = refused.content.decode()
    assert refused.status_code == 200 and "Choose who takes this over." in html
    leaving.refresh_from_db()
    assert leaving.is_active

    response = client.post(url, {f"member-{member.pk}": str(successor.pk)})
    assert response.status_code == 302
    leaving.refresh_from_db()
    member.refresh_from_db()
    assert not leaving.is_active and member.signatory == successor
    # The sign-off now waits for the successor, never for the person who left.
    awaited = set(
        gate.approvals.filter(decision=Decision.PENDING).values_list("approver_id", flat=True)
    )
    assert successor.pk in awaited and leaving.pk not in awaited
    assert AuditEntry.objects.filter(action="person.deactivated").exists()
    # Replacing the signatory recomputes who must sign (issue 14.3); the trail says so.
    recomputed = AuditEntry.objects.get(action="gate.approvers_changed")
    assert (recomputed.data["added"], recomputed.data["removed"]) == (
        [successor.pk],
        [leaving.pk],
    )


def test_after_a_hand_over_the_agreement_can_be_signed(signing):
    partnership, official, gate = signing
    member = partnership.members.exclude(organisation__sector="public").get()
    successor = UserFactory(organisation=member.organisation)
    services.person_deactivate(
        person=member.signatory,
        by=partnership.facilitator,
        takeovers={f"member-{member.pk}": successor},
    )
    gate.refresh_from_db()
    for approval in gate.approvals.filter(decision=Decision.PENDING).select_related("approver"):
        assert approval.approver.is_active
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    gate.refresh_from_db()
    partnership.refresh_from_db()
    assert gate.status == GateStatus.APPROVED and partnership.phase == Phase.OPERATION


def test_an_official_hands_a_sign_off_to_another_official(signing):
    partnership, official, gate = signing
    admin = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    other = official_of(partnership, full_name="Otto Official")
    handovers = services.person_handovers(official)
    approval_handover = next(h for h in handovers if h.approval is not None)
    assert [u.pk for u in approval_handover.candidates] == [other.pk]
    assert not approval_handover.optional  # the only official assigned
    with pytest.raises(services.HandoverError):
        services.person_deactivate(person=official, by=admin, takeovers={})
    services.person_deactivate(person=official, by=admin, takeovers={approval_handover.key: other})
    assert gate.approvals.filter(approver=other, decision=Decision.PENDING).exists()


def test_tokens_and_sessions_end_with_the_person(client, design):
    partnership, official = design
    admin = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    leaving = UserFactory(organisation=OrganisationFactory())
    api_token_create(user=leaving)
    client.post(reverse("account_login"), {"login": leaving.email, "password": PASSWORD})
    assert client.get(reverse("dashboard")).status_code == 200
    services.person_deactivate(person=leaving, by=admin, takeovers={})
    assert ApiToken.objects.get().revoked_reason == "deactivated"
    assert client.get(reverse("dashboard")).status_code == 302


def test_who_may_deactivate_whom(client, signing):
    partnership, official, gate = signing
    facilitator = partnership.facilitator
    client.force_login(facilitator)
    # Officials are an administrator's to let go.
    assert client.get(reverse("accounts:deactivate", args=[official.pk])).status_code == 403
    stranger = UserFactory(organisation=OrganisationFactory())
    assert client.get(reverse("accounts:deactivate", args=[stranger.pk])).status_code == 403
    assert client.get(reverse("accounts:deactivate", args=[facilitator.pk])).status_code == 403


def test_a_signatory_of_a_signed_agreement_leaves_and_the_agreement_stands(signing):
    """They signed it: the member keeps them as the signatory of the version they signed, and
    nothing is handed over that would change what the parties signed."""
    partnership, official, gate = signing
    for approval in list(gate.approvals.all()):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION
    member = partnership.members.exclude(signatory=None).first()
    signatory = member.signatory
    assert services.person_handovers(signatory) == []
    admin = UserFactory(role=Role.ADMINISTRATOR)
    services.person_deactivate(person=signatory, by=admin, takeovers={})
    signatory.refresh_from_db()
    member.refresh_from_db()
    assert not signatory.is_active
    assert member.signatory == signatory
