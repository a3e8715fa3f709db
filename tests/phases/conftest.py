import datetime

import pytest

from actors.models import Role, Sector
from partnerships import services
from partnerships.models import Assessment, Indicator, Measurement, Phase
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    complete_agreement,
    make_designable,
)


@pytest.fixture
def facilitator(db):
    return UserFactory(role=Role.FACILITATOR, full_name="Fatima Facilitator")


@pytest.fixture
def partnership(facilitator):
    return make_designable(PartnershipFactory(facilitator=facilitator, title="Handwashing Peru"))


@pytest.fixture
def fclient(client, facilitator):
    client.force_login(facilitator)
    return client


@pytest.fixture
def outsider(db):
    return UserFactory(
        role=Role.FACILITATOR, organisation=OrganisationFactory(sector=Sector.PRIVATE)
    )


def to_operation(partnership):
    by = partnership.facilitator
    partnership.refresh_from_db()
    if partnership.phase == Phase.INTEREST:
        services.partnership_transition(name="start_design", partnership=partnership, by=by)
        partnership.refresh_from_db()
    complete_agreement(partnership)
    services.partnership_transition(name="start_operation", partnership=partnership, by=by)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION
    return partnership


def to_assessment(partnership, recommendation="renegotiate"):
    if partnership.phase != Phase.OPERATION:
        to_operation(partnership)
    by = partnership.facilitator
    indicator = Indicator.objects.filter(objective__partnership=partnership).first()
    Measurement.objects.create(
        indicator=indicator, measured_on=datetime.date(2026, 6, 30), value=30
    )
    services.partnership_request_assessment(partnership=partnership, by=by)
    services.partnership_transition(name="start_assessment", partnership=partnership, by=by)
    partnership.refresh_from_db()
    assessment = Assessment.objects.create(
        partnership=partnership, recommendation=recommendation, lessons_learned="Meet monthly."
    )
    return partnership, assessment
