"""Amendments through the services: the working copy, the kind's scope and signers, the merge."""

from decimal import Decimal

import pytest

from partnerships.amendments import services
from partnerships.gates.approvers import GateError
from partnerships.models import (
    Amendment,
    AmendmentStatus,
    ApprovalCapacity,
    Decision,
    Indicator,
    Partnership,
)

from .conftest import open_amendment, raise_first_target, sign_everything

pytestmark = pytest.mark.django_db


def test_a_working_copy_holds_the_signed_content_and_no_list_shows_it(signed):
    amendment = open_amendment(signed)
    copy = amendment.working_copy
    assert copy.is_working_copy and copy.phase == "design"
    assert copy.agreed_content() == signed.agreed_content()
    assert not Partnership.objects.filter(pk=copy.pk).exists()
    assert Partnership.with_working_copies.filter(pk=copy.pk).exists()


def test_a_results_amendment_is_signed_by_every_signatory_and_an_official(signed):
    amendment = open_amendment(signed)
    indicator = raise_first_target(amendment)
    original = Indicator.objects.get(pk=amendment.rows["indicators"][str(indicator.pk)])
    assert original.target != Decimal("90")
    amendment = services.amendment_submit(amendment=amendment, by=signed.facilitator)
    approvals = list(amendment.sign_off.approvals.all())
    signatories = {m.signatory_id for m in signed.members.all()}
    assert {a.approver_id for a in approvals if a.capacity == ApprovalCapacity.SIGNATORY} == (
        signatories
    )
    assert any(a.capacity == ApprovalCapacity.OFFICIAL for a in approvals)
    sign_everything(amendment)
    assert amendment.status == AmendmentStatus.SIGNED and amendment.number == 1
    original.refresh_from_db()
    assert original.target == Decimal("90")
    signed.refresh_from_db()
    assert signed.agreed_fingerprint() == amendment.sign_off.fingerprint


def test_a_correction_cannot_carry_a_new_target(signed):
    amendment = open_amendment(signed, kind="correction")
    raise_first_target(amendment)
    with pytest.raises(GateError) as refused:
        services.amendment_submit(amendment=amendment, by=signed.facilitator)
    assert "cannot change: Objectives" in str(refused.value)
    assert Amendment.objects.get(pk=amendment.pk).status == AmendmentStatus.DRAFT


def test_one_amendment_waits_for_signatures_at_a_time(signed):
    first, second = open_amendment(signed), open_amendment(signed)
    raise_first_target(first)
    raise_first_target(second, to="75")
    services.amendment_submit(amendment=first, by=signed.facilitator)
    with pytest.raises(GateError) as refused:
        services.amendment_submit(amendment=second, by=signed.facilitator)
    assert "one is signed at a time" in str(refused.value)


def test_a_refusal_takes_the_amendment_back_to_draft(signed):
    from partnerships.gates.signoff import signoff_refuse

    amendment = open_amendment(signed)
    raise_first_target(amendment)
    amendment = services.amendment_submit(amendment=amendment, by=signed.facilitator)
    approval = amendment.sign_off.approvals.filter(decision=Decision.PENDING).first()
    signoff_refuse(by=approval.approver, gate_request=amendment.sign_off, comment="Too high.")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.DRAFT


def test_withdrawing_a_submitted_amendment_cancels_its_sign_off_and_freezes_its_copy(signed):
    from partnerships.models import GateStatus
    from partnerships.permissions import can_edit

    amendment = open_amendment(signed)
    raise_first_target(amendment)
    amendment = services.amendment_submit(amendment=amendment, by=signed.facilitator)
    services.amendment_withdraw(amendment=amendment, by=signed.facilitator, reason="Not now.")
    amendment.refresh_from_db()
    amendment.sign_off.refresh_from_db()
    assert amendment.status == AmendmentStatus.WITHDRAWN
    assert amendment.sign_off.status == GateStatus.CANCELLED
    copy = Partnership.with_working_copies.get(pk=amendment.working_copy_id)
    assert not can_edit(signed.facilitator, copy)
    # Nothing of it reached the agreement; another amendment may now be submitted.
    assert signed.agreed_content()["objectives"][0]["indicators"][0]["target"] == "60.00"
    again = open_amendment(signed)
    raise_first_target(again, to="70")
    assert services.amendment_submit(amendment=again, by=signed.facilitator).sign_off


def test_a_draft_of_an_older_version_cannot_be_signed_over_a_newer_one(signed):
    first, stale = open_amendment(signed), open_amendment(signed)
    raise_first_target(first, to="70")
    raise_first_target(stale, to="75")
    sign_everything(services.amendment_submit(amendment=first, by=signed.facilitator))
    with pytest.raises(GateError) as refused:
        services.amendment_submit(amendment=stale, by=signed.facilitator)
    assert "changed since this amendment was drafted" in str(refused.value)


def test_the_signers_are_recomputed_when_the_working_copy_changes(signed):
    from partnerships.models import Member, MemberRole
    from tests.factories import OrganisationFactory, UserFactory

    amendment = open_amendment(signed, kind="membership", reason="A university joins.")
    university = OrganisationFactory(name="Universidad del Centro")
    joining = Member.objects.create(
        partnership=amendment.working_copy, organisation=university, role=MemberRole.ALLY,
        signatory=UserFactory(organisation=university),
    )  # fmt: skip
    amendment = services.amendment_submit(amendment=amendment, by=signed.facilitator)
    first = {a.approver_id for a in amendment.sign_off.approvals.exclude(decision=Decision.VOID)}
    assert joining.signatory_id in first
    # The facilitator changes the working copy while it waits: the approvals given are void
    # and the new signer set is asked.
    approval = amendment.sign_off.approvals.filter(decision=Decision.PENDING).first()
    from partnerships.gates.signoff import signoff_approve

    signoff_approve(by=approval.approver, gate_request=amendment.sign_off)
    replaced = joining.signatory_id
    joining.signatory = UserFactory(organisation=university, full_name="Rectora Ruiz")
    joining.save()
    from partnerships.gates.approvers import agreed_content_saved

    agreed_content_saved(partnership=amendment.working_copy, by=signed.facilitator)
    now = {a.approver_id for a in amendment.sign_off.approvals.exclude(decision=Decision.VOID)}
    assert now == (first - {replaced}) | {joining.signatory_id}
    # The approval given to the older working copy is void: asked again.
    assert not amendment.sign_off.approvals.filter(decision=Decision.APPROVED).exists()
