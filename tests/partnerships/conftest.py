import pytest

from actors.models import Role, Sector
from partnerships.models import MemberRole
from tests.factories import MemberFactory, OrganisationFactory, PartnershipFactory, UserFactory


@pytest.fixture
def facilitator(db):
    return UserFactory(role=Role.FACILITATOR, full_name="Lucía Facilitadora")


@pytest.fixture
def partnership(facilitator):
    return PartnershipFactory(facilitator=facilitator, title="Child Nutrition in Ancash")


@pytest.fixture
def fclient(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def member(partnership):
    return MemberFactory(
        partnership=partnership,
        organisation=OrganisationFactory(name="Ministerio de Salud", sector=Sector.PUBLIC),
        role=MemberRole.PUBLIC_ENTITY,
    )


@pytest.fixture
def outsider(db):
    """A facilitator of an organisation that has nothing to do with the partnership."""
    return UserFactory(role=Role.FACILITATOR, organisation=OrganisationFactory(name="Elsewhere"))
