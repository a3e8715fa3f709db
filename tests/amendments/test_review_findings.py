"""What an independent review of amendments found, each held by a test: the kind's scope holds
to the last approval, only the amendment's editors change its working copy, the merge keeps
what moved in the partnership since the copy was made, and copies stay out of other lists."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actors.models import Role
from partnerships import services as partnership_services
from partnerships.amendments import services
from partnerships.gates.approvers import GateError, agreed_content_saved
from partnerships.models import (
    AmendmentStatus,
    ApprovalCapacity,
    Contribution,
    Member,
    MemberRole,
    Partnership,
)
from partnerships.models.agreed import amending
from partnerships.permissions import can_edit
from risks.models import Risk
from tests.factories import UserFactory

from .conftest import open_amendment, raise_first_target, sign_everything

pytestmark = pytest.mark.django_db


def _owned_risk(signed):
    funder = signed.members.get(role=MemberRole.FUNDER)
    with amending():
        return Risk.objects.create(
            partnership=signed, title="Gap", category="financial", likelihood=3, impact=4,
            owner=funder, mitigation="Plan B",
        )  # fmt: skip


def test_a_change_beyond_its_kind_after_submission_is_refused_at_the_last_approval(signed):
    amendment = open_amendment(signed, kind="correction")
    copy = amendment.working_copy
    copy.title += " (fixed)"
    copy.save()
    amendment = services.amendment_submit(amendment=amendment, by=signed.facilitator)
    contribution = Contribution.objects.filter(partnership=copy).first()
    contribution.planned_amount = Decimal("999999")
    contribution.save()
    agreed_content_saved(partnership=copy, by=signed.facilitator)
    with pytest.raises(GateError) as refused:
        sign_everything(amendment)
    assert "cannot change: Contributions" in str(refused.value)
    original = Contribution.objects.get(pk=amendment.rows["contributions"][str(contribution.pk)])
    assert original.planned_amount != Decimal("999999")
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SUBMITTED


def test_a_partner_cannot_review_the_risks_of_a_working_copy(signed, client):
    risk = _owned_risk(signed)
    amendment = open_amendment(signed, kind="risks")
    copied = Risk.objects.get(partnership=amendment.working_copy)
    client.force_login(UserFactory(role=Role.PARTNER, organisation=risk.owner.organisation))
    response = client.post(
        reverse("risks:review", args=[amendment.working_copy_id, copied.pk]),
        {"likelihood": 5, "impact": 5, "status": "open", "reviewed_on": str(datetime.date.today())},
    )
    assert response.status_code == 403
    copied.refresh_from_db()
    assert (copied.likelihood, copied.impact) == (3, 4)


def test_the_merge_keeps_a_risk_reviewed_in_the_partnership_meanwhile(signed):
    from risks import services as risk_services

    risk = _owned_risk(signed)
    amendment = open_amendment(signed, kind="correction")
    copy = amendment.working_copy
    copy.title += "!"
    copy.save()
    risk_services.risk_review(
        risk=risk, by=signed.facilitator, likelihood=3, impact=4, status="occurred"
    )
    sign_everything(services.amendment_submit(amendment=amendment, by=signed.facilitator))
    risk.refresh_from_db()
    assert risk.status == "occurred"


def test_a_member_removed_and_added_again_is_a_reason_not_a_failure(signed):
    amendment = open_amendment(signed, kind="membership")
    copy = amendment.working_copy
    member = (
        copy.members.filter(role=MemberRole.IMPLEMENTER).first()
        or copy.members.exclude(role=MemberRole.PUBLIC_ENTITY).first()
    )
    organisation, signatory, role = member.organisation_id, member.signatory_id, member.role
    partnership_services.member_remove(member=member, by=signed.facilitator)
    Member.objects.create(
        partnership=copy, organisation_id=organisation, signatory_id=signatory, role=role,
        responsibilities="New duties",
    )  # fmt: skip
    reasons = services.submission_blockers(amendment)
    assert any("was removed and added again" in r for r in reasons), reasons


def test_the_copy_follows_the_partnership_s_facilitator(signed):
    amendment = open_amendment(signed, kind="correction")
    before = signed.facilitator
    now = UserFactory(role=Role.FACILITATOR)
    Partnership.objects.filter(pk=signed.pk).update(facilitator=now)
    copy = Partnership.with_working_copies.get(pk=amendment.working_copy_id)
    assert can_edit(now, copy) and not can_edit(before, copy)
    copy.title += "!"
    copy.save()
    amendment.refresh_from_db()
    amendment = services.amendment_submit(amendment=amendment, by=now)
    facilitators = amendment.sign_off.approvals.filter(capacity=ApprovalCapacity.FACILITATOR)
    assert [a.approver for a in facilitators] == [now]


def test_copies_are_not_handed_over_invited_to_or_exported(signed, client):
    from accounts.handovers import person_handovers
    from accounts.permissions import facilitated_members

    member = signed.members.exclude(signatory=None).first()
    handovers = len(person_handovers(member.signatory))
    invitable = facilitated_members(signed.facilitator).count()
    amendment = open_amendment(signed, kind="correction")
    assert len(person_handovers(member.signatory)) == handovers
    assert facilitated_members(signed.facilitator).count() == invitable
    client.force_login(signed.facilitator)
    response = client.get(reverse("partnerships:iati", args=[amendment.working_copy_id]))
    assert response.status_code == 404


def test_the_partnership_does_not_close_while_an_amendment_waits_for_signatures(signed):
    from partnerships.lifecycle.services import transition_blockers

    amendment = open_amendment(signed)
    raise_first_target(amendment)
    services.amendment_submit(amendment=amendment, by=signed.facilitator)
    assessing = _in_assessment(signed)
    for name in ("close", "renegotiate"):
        reasons = transition_blockers(assessing, name)
        assert any("An amendment is waiting for signatures" in r for r in reasons), name


def _in_assessment(partnership):
    Partnership.objects.filter(pk=partnership.pk).update(phase="assessment")
    return Partnership.objects.get(pk=partnership.pk)


def test_a_signer_signs_an_amendment_through_the_api_with_their_password(signed):
    from partnerships.models import Decision
    from tests.factories import api_for

    amendment = open_amendment(signed)
    raise_first_target(amendment)
    amendment = services.amendment_submit(amendment=amendment, by=signed.facilitator)
    approval = amendment.sign_off.approvals.filter(decision=Decision.PENDING).first()
    api = api_for(approval.approver)
    url = f"/api/gate-requests/{amendment.sign_off_id}/approve/"
    refused = api.post(url, {"password": "wrong", "comment": ""}, format="json")
    assert refused.status_code in (400, 403, 409) and "password" in refused.content.decode().lower()
    done = api.post(url, {"password": "secret-pass-123", "comment": ""}, format="json")
    assert done.status_code == 200, done.content
    approval.refresh_from_db()
    assert approval.decision == Decision.APPROVED
