import pytest

from actors.models import Role, Sector
from tests.factories import OrganisationFactory, UserFactory
from tests.gates.conftest import design, interest  # noqa: F401  (the accounts journeys use them)

from .helpers import PASSWORD


@pytest.fixture
def cast():
    """The people of the journeys and their organisations (actors exist before a partnership)."""
    ministry = OrganisationFactory(name="Ministerio de Salud", sector=Sector.PUBLIC)
    ngo = OrganisationFactory(name="Agua Viva", sector=Sector.CIVIL_SOCIETY)
    foundation = OrganisationFactory(name="Fundación Horizonte", sector=Sector.INTERNATIONAL)
    facilitating = OrganisationFactory(name="Red Facilita", sector=Sector.CIVIL_SOCIETY)

    def person(name, organisation, role):
        return UserFactory(
            full_name=name,
            email=f"{name.split()[0].lower()}@example.org",
            organisation=organisation,
            role=role,
            password=PASSWORD,
        )

    return {
        "facilitator": person("Fabiola Facilitadora", facilitating, Role.FACILITATOR),
        "official": person("Olga Oficial", ministry, Role.OFFICIAL),
        "minister": person("Mario Firmante", ministry, Role.PARTNER),
        "ngo_signatory": person("Nora Firmante", ngo, Role.PARTNER),
        "donor": person("Diego Donante", foundation, Role.DONOR),
        "ministry": ministry,
        "ngo": ngo,
        "foundation": foundation,
    }
