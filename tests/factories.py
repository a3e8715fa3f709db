import datetime

import factory

from actors.models import Organisation, Role, Sector, User
from partnerships.models import (
    Contribution,
    ContributionKind,
    Indicator,
    Member,
    MemberRole,
    Objective,
    Partnership,
)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Sector.CIVIL_SOCIETY
    country = "PE"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PARTNER
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    reference = factory.Sequence(lambda n: f"ALZ-TEST-{n:05d}")
    title = factory.Sequence(lambda n: f"Partnership {n}")
    country = "PE"
    facilitator = factory.SubFactory(UserFactory, role=Role.FACILITATOR)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = MemberRole.IMPLEMENTER


def make_designable(partnership):
    """Members from two sectors (one public), a facilitator and a common interest."""
    public = OrganisationFactory(sector=Sector.PUBLIC, name=f"Ministry for {partnership.pk}")
    ngo = OrganisationFactory(sector=Sector.CIVIL_SOCIETY, name=f"NGO for {partnership.pk}")
    MemberFactory(partnership=partnership, organisation=public, role=MemberRole.PUBLIC_ENTITY)
    MemberFactory(partnership=partnership, organisation=ngo, role=MemberRole.IMPLEMENTER)
    partnership.common_interest = "Reduce chronic child malnutrition in Huancavelica."
    partnership.save()
    return partnership


def complete_agreement(partnership):
    """Fill every item the design gate asks for."""
    for member in partnership.members.all():
        member.signatory = UserFactory(organisation=member.organisation)
        member.save()
    objective = Objective.objects.create(
        partnership=partnership, kind="specific", description="Improve hygiene practices"
    )
    Indicator.objects.create(
        objective=objective, name="Households washing hands", unit="%", baseline=10, target=60
    )
    Contribution.objects.create(
        partnership=partnership,
        member=partnership.members.first(),
        kind=ContributionKind.FINANCIAL,
        description="Funding",
        planned_amount=10000,
        currency="USD",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    for field in (
        "general_objective",
        "scope",
        "governance",
        "tracking_tools",
        "confidentiality",
        "assessment_criteria",
        "non_compliance",
    ):
        setattr(partnership, field, f"Agreed {field.replace('_', ' ')}.")
    partnership.formalisation_level = "high"
    partnership.start_date = datetime.date(2026, 1, 1)
    partnership.end_date = datetime.date(2027, 12, 31)
    partnership.assessment_every_months = 6
    partnership.save()
    return partnership


def api_for(user):
    """An API client with a personal token of ``user``, as an integration would hold one."""
    from rest_framework.test import APIClient

    from accounts.tokens import api_token_create

    _token, key = api_token_create(user=user, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client
