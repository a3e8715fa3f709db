import datetime

import pytest
import time_machine

from actors.models import Role
from partnerships import services as partnership_services
from tests.factories import (
    PartnershipFactory,
    UserFactory,
    complete_agreement,
    make_designable,
)

UTC = datetime.UTC


def noon(day: datetime.date) -> datetime.datetime:
    """Mid-day in UTC: the same calendar day in America/Lima."""
    return datetime.datetime.combine(day, datetime.time(17, 0), tzinfo=UTC)


def in_operation(started: datetime.date, **fields):
    """A partnership taken through design into operation on ``started`` (via the services, so
    the post_transition receiver writes its assessment schedule)."""
    with time_machine.travel(noon(started), tick=False):
        partnership = make_designable(PartnershipFactory(**fields))
        by = partnership.facilitator
        partnership_services.partnership_transition(
            name="start_design", partnership=partnership, by=by
        )
        partnership.refresh_from_db()
        complete_agreement(partnership)
        partnership_services.partnership_transition(
            name="start_operation", partnership=partnership, by=by
        )
        partnership.refresh_from_db()
    return partnership


def representatives(partnership):
    """One partner representative per member organisation (and an official, who is not one)."""
    reps = []
    for member in partnership.members.select_related("organisation"):
        reps.append(UserFactory(organisation=member.organisation, role=Role.PARTNER))
        UserFactory(organisation=member.organisation, role=Role.OFFICIAL)
    return reps


@pytest.fixture
def operating():
    return in_operation(datetime.date(2026, 1, 1))
