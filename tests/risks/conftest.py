import pytest

from actors.models import Role, Sector
from partnerships.models import MemberRole
from risks import services
from risks.models import Category
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    make_designable,
)


@pytest.fixture
def partnership(db):
    """A partnership in the interest phase with a ministry and an NGO as members."""
    return make_designable(PartnershipFactory(title="Handwashing Initiative"))


@pytest.fixture
def facilitator(partnership):
    return partnership.facilitator


@pytest.fixture
def ministry(partnership):
    return partnership.members.get(organisation__sector=Sector.PUBLIC)


@pytest.fixture
def ngo(partnership):
    return partnership.members.get(organisation__sector=Sector.CIVIL_SOCIETY)


@pytest.fixture
def donor(partnership):
    funder = MemberFactory(
        partnership=partnership,
        organisation=OrganisationFactory(name="Funder", sector=Sector.INTERNATIONAL),
        role=MemberRole.FUNDER,
    )
    return UserFactory(role=Role.DONOR, organisation=funder.organisation)


@pytest.fixture
def make_risk(facilitator):
    def make(partnership, **fields):
        fields.setdefault("title", "Rotation of public sector officials")
        fields.setdefault("category", Category.POLITICAL)
        fields.setdefault("likelihood", 3)
        fields.setdefault("impact", 3)
        return services.risk_create(partnership=partnership, by=facilitator, **fields)

    return make
