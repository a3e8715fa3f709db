import datetime
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from actors.models import Role, Sector
from partnerships.models import (
    Activity,
    ApprovalCapacity,
    Contribution,
    ContributionKind,
    Decision,
    GateApproval,
    GateRequest,
    MemberRole,
    Partnership,
    PhaseChange,
    tallies,
)
from reminders.models import AssessmentDue
from reports.models import Document, DocumentStatus
from risks.models import Risk
from tests.factories import MemberFactory, OrganisationFactory, PartnershipFactory, UserFactory

TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=10)


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


class World:
    """A facilitator's portfolio, with a donor's organisation funding every partnership and an
    official assigned to one sign-off per partnership."""

    def __init__(self):
        self.facilitator = UserFactory(role=Role.FACILITATOR, full_name="Fiona Facilitator")
        self.other_facilitator = UserFactory(role=Role.FACILITATOR)
        self.funder_org = OrganisationFactory(name="Fund for Good")
        self.donor = UserFactory(role=Role.DONOR, organisation=self.funder_org)
        self.ministry = OrganisationFactory(name="Ministry of Health", sector=Sector.PUBLIC)
        self.official = UserFactory(role=Role.OFFICIAL, organisation=self.ministry)
        self.partner = UserFactory(role=Role.PARTNER)
        self.admin = UserFactory(role=Role.ADMINISTRATOR)
        self.partnerships = []

    def add(self, n: int = 1, *, phase="operation"):
        for _ in range(n):
            self.partnerships.append(self._one(phase))

    def _one(self, phase):
        p = PartnershipFactory(facilitator=self.facilitator)
        funder = MemberFactory(partnership=p, organisation=self.funder_org, role=MemberRole.FUNDER)
        MemberFactory(partnership=p, organisation=self.ministry, role=MemberRole.PUBLIC_ENTITY)
        MemberFactory(partnership=p, organisation=self.partner.organisation)
        Contribution.objects.create(
            partnership=p,
            member=funder,
            kind=ContributionKind.FINANCIAL,
            description="Grant",
            planned_amount=Decimal("1000"),
            delivered_amount=Decimal("250"),
            currency="USD",
            period_start=PAST - datetime.timedelta(days=100),
            period_end=PAST,
        )
        AssessmentDue.objects.create(partnership=p, due_on=PAST)
        Activity.objects.create(partnership=p, title="Late workshop", starts_on=PAST, ends_on=PAST)
        Risk.objects.create(
            partnership=p,
            title="Flooding",
            category="force_majeure",
            likelihood=3,
            impact=3,
            next_review_on=PAST,
        )
        gate = GateRequest.objects.create(
            partnership=p,
            transition="start_operation",
            fingerprint="f" * 64,
            requested_by=self.facilitator,
        )
        GateApproval.objects.create(
            request=gate,
            approver=self.official,
            capacity=ApprovalCapacity.OFFICIAL,
            decision=Decision.PENDING,
        )
        PhaseChange.objects.create(
            partnership=p,
            transition="start_design",
            from_phase="interest",
            to_phase="design",
            by=self.facilitator,
        )
        doc = Document.objects.create(
            partnership=p,
            kind="agreement",
            version=1,
            status=DocumentStatus.READY,
            rendered_at=timezone.now(),
            sha256="a" * 64,
        )
        doc.file.save("agreement.pdf", ContentFile(b"%PDF-1.4 agreement"), save=True)
        # The phase last, as the content was agreed before it was signed.
        Partnership.objects.filter(pk=p.pk).update(phase=phase)
        tallies.rebuild()  # the UPDATE bypassed the phase tally
        p.refresh_from_db()
        return p


@pytest.fixture
def world(db):
    return World()
