"""Invitations: sent by a real SMTP server, one-time links that expire, resent and revoked,
audited; a pending invitee can already be a member's signatory and the sign-off waits."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, InvitationStatus
from actors.models import Role, Sector
from partnerships import gates
from partnerships.models import AuditEntry, GateStatus
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-19"


@pytest.fixture(autouse=True)
def _commit(django_capture_on_commit_callbacks):
    """Invitations are emailed once their transaction commits: run those callbacks."""
    global commit
    commit = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
    yield


commit = None


@pytest.fixture
def member_without_people(design):
    """The design gate's agreement, with one more member (a mining company) that has nobody."""
    partnership, official = design
    mining = OrganisationFactory(name="Minera Andina", sector=Sector.PRIVATE)
    member = partnership.members.create(organisation=mining, role="funder")
    return partnership, official, member


def _invite(client, member, email="rosa@minera.example", name="Rosa Quispe"):
    client.force_login(member.partnership.facilitator)
    url = f"{reverse('accounts:invitation_new')}?member={member.pk}&signatory=1"
    form = client.get(url)
    assert form.status_code == 200 and 'name="signatory"' in form.content.decode()
    with commit():
        response = client.post(
            url,
            {
                "member": member.pk,
                "full_name": name,
                "email": email,
                "signatory": "on",
                "language": "en",
            },
        )
    return response


def test_facilitator_invites_the_signatory_of_a_member_with_no_people(
    client, member_without_people, smtp, settings
):
    settings.ALIANZA_PUBLIC_URL = "http://testserver"
    partnership, _official, member = member_without_people
    member_page = client.get(reverse("partnerships:member_edit", args=[partnership.pk, member.pk]))
    client.force_login(partnership.facilitator)
    member_page = client.get(
        reverse("partnerships:member_edit", args=[partnership.pk, member.pk])
    ).content.decode()
    assert "Nobody of Minera Andina is in Alianza yet." in member_page
    assert "Invite a signatory" in member_page

    response = _invite(client, member)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    person = invitation.user
    member.refresh_from_db()
    assert member.signatory == person and not person.has_usable_password()
    assert person.organisation == member.organisation and person.role == Role.PARTNER
    assert AuditEntry.objects.filter(action="invitation.sent").count() == 1

    message = smtp.wait_for("rosa@minera.example")
    assert "Minera Andina" in smtp.text(message)
    link = smtp.link(message, "/accounts/invitation/")

    client.logout()
    page = client.get(link.removeprefix("http://testserver"))
    assert page.status_code == 200 and "Rosa Quispe" in page.content.decode()
    accepted = client.post(
        link.removeprefix("http://testserver"),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert accepted.status_code == 302 and accepted.url == reverse("partnerships:my_signoffs")
    assert client.get(reverse("partnerships:my_signoffs")).status_code == 200
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert person.emailaddress_set.get().verified
    assert AuditEntry.objects.filter(action="invitation.accepted", actor=person).exists()
    # One time only.
    client.logout()
    assert client.get(link.removeprefix("http://testserver")).status_code == 404


def test_the_sign_off_waits_for_a_pending_invitee_and_says_so(client, member_without_people):
    partnership, official, member = member_without_people
    invitation = services.invitation_create(
        by=partnership.facilitator,
        member=member,
        signatory=True,
        email="rosa@minera.example",
        full_name="Rosa Quispe",
    )
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    assert gate.approvals.filter(approver=invitation.user).exists()
    client.force_login(partnership.facilitator)
    page = client.get(reverse("partnerships:gate_detail", args=[gate.pk])).content.decode()
    assert "Rosa Quispe" in page and "has not joined Alianza yet" in page
    # Every other signer approves: the gate stays open, waiting for her.
    for approval in gate.approvals.exclude(approver=invitation.user):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    gate.refresh_from_db()
    assert gate.status == GateStatus.OPEN


def test_an_invitation_expires(client, member_without_people, smtp, settings):
    settings.ALIANZA_INVITATION_DAYS = 7
    partnership, _official, member = member_without_people
    _invite(client, member)
    link = smtp.link(smtp.wait_for("rosa@minera.example"), "/accounts/invitation/")
    path = "/" + link.split("/", 3)[3]
    client.logout()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        page = client.get(path)
        assert page.status_code == 404 and "expired" in page.content.decode()
        refused = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
        assert refused.status_code == 404
    assert not Invitation.objects.get().user.has_usable_password()


def test_resending_makes_a_new_link_and_kills_the_old_one(client, member_without_people, smtp):
    partnership, _official, member = member_without_people
    _invite(client, member)
    first = smtp.link(smtp.wait_for("rosa@minera.example"), "/accounts/invitation/")
    invitation = Invitation.objects.get()
    with commit():
        response = client.post(reverse("accounts:invitation_resend", args=[invitation.pk]))
    assert response.status_code == 302
    second = smtp.link(smtp.wait_for("rosa@minera.example", count=2), "/accounts/invitation/")
    assert first != second
    invitation.refresh_from_db()
    assert invitation.send_count == 2
    assert AuditEntry.objects.filter(action="invitation.resent").count() == 1
    client.logout()
    assert client.get("/" + first.split("/", 3)[3]).status_code == 404
    assert client.get("/" + second.split("/", 3)[3]).status_code == 200
    listing_client = client
    listing_client.force_login(partnership.facilitator)
    listing = listing_client.get(reverse("accounts:invitations")).content.decode()
    assert "rosa@minera.example" in listing and "(×2)" in listing


def test_revoking_an_invitation_hands_the_signatory_role_over(client, member_without_people):
    partnership, _official, member = member_without_people
    invitation = services.invitation_create(
        by=partnership.facilitator,
        member=member,
        signatory=True,
        email="rosa@minera.example",
        full_name="Rosa Quispe",
    )
    other = UserFactory(organisation=member.organisation, full_name="Pedro Mina")
    client.force_login(partnership.facilitator)
    url = reverse("accounts:deactivate", args=[invitation.user_id])
    page = client.get(url).content.decode()
    assert "Revoke the invitation of Rosa Quispe" in page and "Pedro Mina" in page
    response = client.post(url, {f"member-{member.pk}": str(other.pk)})
    assert response.status_code == 302
    invitation.refresh_from_db()
    member.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED and not invitation.user.is_active
    assert member.signatory == other
    assert AuditEntry.objects.filter(action="invitation.revoked").exists()
    assert AuditEntry.objects.filter(action="member.signatory_replaced").count() == 2


def test_who_may_invite_whom(member_without_people):
    partnership, official, member = member_without_people
    facilitator = partnership.facilitator
    with pytest.raises(PermissionDenied):  # officials are invited by administrators
        services.invitation_create(
            by=facilitator, member=member, role=Role.OFFICIAL, email="a@x.org", full_name="A"
        )
    stranger = PartnershipFactory().facilitator
    with pytest.raises(PermissionDenied):  # not their partnership
        services.invitation_create(by=stranger, member=member, email="b@x.org", full_name="B")
    with pytest.raises(PermissionDenied):
        services.invitation_create(by=official, member=member, email="c@x.org", full_name="C")
    admin = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    ministry = OrganisationFactory(sector=Sector.PUBLIC)
    invitation = services.invitation_create(
        by=admin, organisation=ministry, role=Role.OFFICIAL, email="d@x.org", full_name="D"
    )
    assert invitation.user.role == Role.OFFICIAL and invitation.user.organisation == ministry
    with pytest.raises(services.InvitationError):
        services.invitation_create(by=admin, organisation=ministry, email="d@x.org", full_name="D")


def test_an_administrator_invites_through_the_page(client, smtp):
    admin = UserFactory(role=Role.ADMINISTRATOR, is_superuser=True, is_staff=True)
    ministry = OrganisationFactory(name="Ministerio de Energía", sector=Sector.PUBLIC)
    client.force_login(admin)
    with commit():
        response = client.post(
            reverse("accounts:invitation_new"),
            {
                "full_name": "Olga Oficial",
                "email": "olga@minem.example",
                "organisation": "Ministerio de Energía",
                "role": Role.OFFICIAL,
                "language": "es",
            },
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.user.role == Role.OFFICIAL and invitation.user.language == "es"
    assert invitation.user.organisation == ministry
    message = smtp.wait_for("olga@minem.example")
    assert "le invita a Alianza como Funcionario público de Ministerio de Energía" in smtp.text(
        message
    )


def test_an_address_already_known_is_an_error_next_to_the_field(client, member_without_people):
    partnership, _official, member = member_without_people
    known = UserFactory()
    response = _invite(client, member, email=known.email)
    assert response.status_code == 200
    assert "already has an account" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_password_the_validators_refuse_is_an_error(client, member_without_people, smtp):
    partnership, _official, member = member_without_people
    _invite(client, member)
    path = "/" + smtp.link(smtp.wait_for("rosa@minera.example")).split("/", 3)[3]
    client.logout()
    response = client.post(path, {"password1": "12345678", "password2": "12345678"})
    assert response.status_code == 200
    assert (
        "too common" in response.content.decode() or "entirely numeric" in response.content.decode()
    )
    assert not Invitation.objects.get().user.has_usable_password()


def test_the_invitee_must_use_their_own_session(client, member_without_people, smtp):
    partnership, _official, member = member_without_people
    _invite(client, member)
    path = "/" + smtp.link(smtp.wait_for("rosa@minera.example")).split("/", 3)[3]
    # Still logged in as the facilitator.
    assert client.get(path).status_code == 403
    assert PASSWORD  # the facilitator's password is untouched
