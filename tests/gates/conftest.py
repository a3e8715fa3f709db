import pytest

from actors.models import Role, Sector
from partnerships import services
from tests.factories import (
    PartnershipFactory,
    UserFactory,
    complete_agreement,
    make_designable,
)

PASSWORD = "secret-pass-123"


def public_member(partnership):
    return partnership.members.get(organisation__sector=Sector.PUBLIC)


def official_of(partnership, **extra):
    return UserFactory(
        organisation=public_member(partnership).organisation, role=Role.OFFICIAL, **extra
    )


@pytest.fixture
def interest():
    """A partnership ready to pass the interest gate, with one official."""
    partnership = make_designable(PartnershipFactory())
    official = official_of(partnership, full_name="Olga Official")
    return partnership, official


@pytest.fixture
def design(interest):
    """A partnership in design with a complete agreement: members have signatories."""
    partnership, official = interest
    partnership = services.partnership_transition(
        name="start_design", partnership=partnership, by=partnership.facilitator
    )
    complete_agreement(partnership)
    partnership.refresh_from_db()
    return partnership, official
