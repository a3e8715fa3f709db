"""Members report only their own deliveries, through the page and the API alike (issue 14, 1).

Both doors call ``services.contribution_record_delivery``, which asks
``permissions.can_record_delivery`` and applies the rules of a delivery (not in the future; a
total above the planned amount needs a note saying why).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import Role
from partnerships.models import Contribution, ContributionKind, Delivery, MemberRole
from tests.api.builders import build
from tests.factories import UserFactory, api_for

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def world():
    """A partnership in operation where the NGO and the funder each promised something."""
    partnership = build("operation")
    ngo = partnership.members.get(role=MemberRole.IMPLEMENTER)
    funder = partnership.members.get(role=MemberRole.FUNDER)
    ngo_contribution = Contribution.objects.create(
        partnership=partnership,
        member=ngo,
        kind=ContributionKind.HUMAN,
        description="Two nutritionists",
        planned_amount=Decimal("1000"),
    )
    funder_contribution = partnership.contributions.get(member=funder, description="Nutrition kits")
    return {
        "partnership": partnership,
        "ngo_contribution": ngo_contribution,
        "funder_contribution": funder_contribution,
        "partner": UserFactory(role=Role.PARTNER, organisation=ngo.organisation),
    }


def _delivery_url(contribution):
    return reverse("partnerships:delivery_add", args=[contribution.partnership_id, contribution.pk])


def _today():
    return timezone.localdate().isoformat()


# ----- whose contribution -------------------------------------------------------------------


def test_a_partner_cannot_record_a_delivery_of_another_members_contribution_on_the_page(
    client, world
):
    foreign = world["funder_contribution"]
    client.force_login(world["partner"])
    assert client.get(_delivery_url(foreign)).status_code == 403
    response = client.post(_delivery_url(foreign), {"delivered_on": _today(), "amount": "50"})
    assert response.status_code == 403
    foreign.refresh_from_db()
    assert foreign.delivered_amount == 0
    assert not Delivery.objects.filter(contribution=foreign).exists()


def test_a_partner_cannot_record_a_delivery_of_another_members_contribution_through_theapi_for(
    world,
):
    foreign = world["funder_contribution"]
    response = api_for(world["partner"]).post(
        "/api/deliveries/",
        {"contribution": foreign.pk, "delivered_on": "2030-01-01", "amount": "99999"},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert response.json()["reasons"]
    foreign.refresh_from_db()
    assert foreign.delivered_amount == 0


def test_a_partner_records_a_delivery_of_its_own_contribution_on_the_page_and_theapi_for(
    client, world
):
    own = world["ngo_contribution"]
    client.force_login(world["partner"])
    response = client.post(_delivery_url(own), {"delivered_on": _today(), "amount": "100"})
    assert response.status_code == 302
    response = api_for(world["partner"]).post(
        "/api/deliveries/",
        {"contribution": own.pk, "delivered_on": _today(), "amount": "50"},
        format="json",
    )
    assert response.status_code == 201, response.content
    own.refresh_from_db()
    assert own.delivered_amount == Decimal("150")
    assert set(own.deliveries.values_list("recorded_by", flat=True)) == {world["partner"].pk}


def test_the_facilitator_records_deliveries_of_any_member(client, world):
    facilitator = world["partnership"].facilitator
    client.force_login(facilitator)
    for contribution in (world["ngo_contribution"], world["funder_contribution"]):
        before = contribution.delivered_amount
        response = client.post(
            _delivery_url(contribution), {"delivered_on": _today(), "amount": "10"}
        )
        assert response.status_code == 302
        contribution.refresh_from_db()
        assert contribution.delivered_amount == before + Decimal("10")


def test_the_page_offers_record_delivery_only_for_the_users_own_contributions(client, world):
    client.force_login(world["partner"])
    content = client.get(world["partnership"].get_absolute_url()).content.decode()
    assert _delivery_url(world["ngo_contribution"]) in content
    assert _delivery_url(world["funder_contribution"]) not in content


# ----- the same checks through both doors ----------------------------------------------------


def test_a_delivery_in_the_future_is_refused_through_the_page_and_theapi_for(client, world):
    own = world["ngo_contribution"]
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    client.force_login(world["partner"])
    response = client.post(_delivery_url(own), {"delivered_on": later, "amount": "10"})
    assert response.status_code == 200
    assert "A delivery cannot be recorded in the future." in response.content.decode()
    response = api_for(world["partner"]).post(
        "/api/deliveries/",
        {"contribution": own.pk, "delivered_on": "2030-01-01", "amount": "10"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "delivered_on" in response.json()["errors"]
    own.refresh_from_db()
    assert own.delivered_amount == 0


def test_more_than_planned_needs_a_note_through_the_page_and_theapi_for(client, world):
    own = world["ngo_contribution"]  # 1000 planned
    client.force_login(world["partner"])
    response = client.post(_delivery_url(own), {"delivered_on": _today(), "amount": "1200"})
    assert response.status_code == 200
    assert "more than the 1000.00 planned" in response.content.decode()
    api = api_for(world["partner"])
    response = api.post(
        "/api/deliveries/",
        {"contribution": own.pk, "delivered_on": _today(), "amount": "1200"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "note" in response.json()["errors"]
    own.refresh_from_db()
    assert own.delivered_amount == 0
    response = api.post(
        "/api/deliveries/",
        {
            "contribution": own.pk,
            "delivered_on": _today(),
            "amount": "1200",
            "note": "A third nutritionist joined for the campaign.",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    own.refresh_from_db()
    assert own.delivered_amount == Decimal("1200")
