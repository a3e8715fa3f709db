"""A member leaves and another joins mid-way, through one membership amendment."""

import datetime
from decimal import Decimal

import pytest

from actors.models import Role
from partnerships import services as partnership_services
from partnerships.amendments import services
from partnerships.models import (
    ApprovalCapacity,
    Contribution,
    ContributionKind,
    Delivery,
    Member,
    MemberRole,
)
from risks.models import Risk
from tests.factories import OrganisationFactory, UserFactory

from .conftest import open_amendment, sign_everything

pytestmark = pytest.mark.django_db

LEAVES_ON = datetime.date(2026, 9, 30)


@pytest.fixture
def leaving(signed):
    """The funder, who delivered part of what it promised and owns a risk."""
    from partnerships.models.agreed import amending

    funder = signed.members.get(role=MemberRole.FUNDER)
    stays = signed.members.exclude(pk=funder.pk).exclude(role=MemberRole.PUBLIC_ENTITY).first()
    with amending():  # set up as the design had agreed it
        promise = Contribution.objects.create(
            partnership=signed,
            member=funder,
            kind=ContributionKind.FINANCIAL,
            description="Second-year grant",
            planned_amount=5000,
            currency="USD",
        )
        Risk.objects.create(
            partnership=signed,
            title="Funding gap in the second year",
            category="financial",
            likelihood=3,
            impact=4,
            owner=funder,
        )
    Delivery.objects.create(contribution=promise, delivered_on=LEAVES_ON, amount=1200)
    Contribution.objects.filter(pk=promise.pk).update(delivered_amount=1200)
    return signed, funder, stays, promise


def test_a_member_leaves_and_another_joins_in_one_amendment(leaving):
    partnership, funder, stays, promise = leaving
    amendment = open_amendment(partnership, kind="membership", reason="The funder withdraws.")
    amendment.effective_on = LEAVES_ON
    amendment.save(update_fields=["effective_on"])
    copy = amendment.working_copy
    by = partnership.facilitator
    # In the working copy, with the design pages' services: the funder leaves, its risk passes
    # to the member that stays; a new funder joins with its own signatory and contribution.
    copy_funder = copy.members.get(organisation=funder.organisation)
    copy_stays = copy.members.get(organisation=stays.organisation)
    partnership_services.member_remove(member=copy_funder, by=by, successor=copy_stays)
    newcomer = OrganisationFactory(name="Fundación Andina")
    joins = Member.objects.create(
        partnership=copy,
        organisation=newcomer,
        role=MemberRole.FUNDER,
        signatory=UserFactory(organisation=newcomer, role=Role.PARTNER, full_name="Ana Quispe"),
    )
    Contribution.objects.create(
        partnership=copy,
        member=joins,
        kind=ContributionKind.FINANCIAL,
        description="Bridge funding",
        planned_amount=3800,
        currency="USD",
    )
    amendment = services.amendment_submit(amendment=amendment, by=by)
    signers = {
        (a.approver_id, a.capacity) for a in amendment.sign_off.approvals.exclude(decision="void")
    }
    # The leaving member signs its own exit; the joining one signs its entry.
    assert (funder.signatory_id, ApprovalCapacity.SIGNATORY) in signers
    assert (joins.signatory_id, ApprovalCapacity.SIGNATORY) in signers
    sign_everything(amendment)

    funder.refresh_from_db()
    assert funder.left_on == LEAVES_ON  # on record, no longer part of what stands
    promise.refresh_from_db()
    assert promise.closed_out_on == LEAVES_ON and promise.delivered_amount == Decimal(1200)
    assert Delivery.objects.filter(contribution=promise).count() == 1  # nothing deleted
    risk = Risk.objects.get(partnership=partnership, title="Funding gap in the second year")
    assert risk.owner_id == stays.pk
    joined = partnership.members.get(organisation=newcomer)
    assert joined.signatory.full_name == "Ana Quispe"
    assert partnership.contributions.get(description="Bridge funding").member == joined
    content = partnership.agreed_content()
    names = [m["organisation"] for m in content["members"]]
    assert funder.organisation.name not in names and "Fundación Andina" in names
    assert "Second-year grant" not in [c["description"] for c in content["contributions"]]
