import datetime
from urllib.parse import quote_plus

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Phase
from risks.models import Category, Risk
from tests.factories import PartnershipFactory, make_designable

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def portfolio(partnership, facilitator, make_risk, ngo, ministry):
    second = make_designable(PartnershipFactory(facilitator=facilitator, title="Quiero mi barrio"))
    second_member = second.members.first()
    risks = {
        "rotation": make_risk(
            partnership, title="Rotation", likelihood=5, impact=4, owner=ministry
        ),
        "distrust": make_risk(
            partnership,
            title="Distrust",
            category=Category.DISTRUST,
            likelihood=2,
            impact=3,
            owner=ngo,
        ),
        "demand": make_risk(
            second,
            title="Demand",
            category=Category.DEMAND,
            likelihood=3,
            impact=3,
            owner=second_member,
            phase_identified=Phase.DESIGN,
        ),
    }
    Risk.objects.filter(pk=risks["distrust"].pk).update(
        next_review_on=TODAY - datetime.timedelta(days=10)
    )
    # Somebody else's partnership: never shown.
    make_risk(PartnershipFactory(), title="Hidden", likelihood=5, impact=5)
    return risks


def _titles(client, **params):
    response = client.get(reverse("risks:portfolio"), params)
    assert response.status_code == 200
    return [r.title for r in response.context["risks"]]


def test_portfolio_lists_visible_risks_by_score(client, facilitator, portfolio):
    client.force_login(facilitator)
    assert _titles(client) == ["Rotation", "Demand", "Distrust"]
    assert _titles(client, sort="score") == ["Distrust", "Demand", "Rotation"]


def test_portfolio_filters(client, facilitator, portfolio, ngo):
    client.force_login(facilitator)
    assert _titles(client, category=Category.DISTRUST) == ["Distrust"]
    assert _titles(client, min_score=9) == ["Rotation", "Demand"]
    assert _titles(client, owner=ngo.organisation.name.upper()) == ["Distrust"]
    assert _titles(client, identified_in=Phase.DESIGN) == ["Demand"]
    assert _titles(client, phase=Phase.INTEREST) == ["Rotation", "Demand", "Distrust"]
    assert _titles(client, phase=Phase.DESIGN) == []
    assert _titles(client, overdue="on") == ["Distrust"]
    assert _titles(client, min_score="lots", sort="nonsense") == ["Rotation", "Demand", "Distrust"]


def test_the_owner_filter_is_a_name_and_the_links_keep_it(client, facilitator, portfolio, ngo):
    client.force_login(facilitator)
    name = ngo.organisation.name
    response = client.get(reverse("risks:portfolio"), {"owner": name, "status": "active"})
    assert [r.title for r in response.context["risks"]] == ["Distrust"]
    content = response.content.decode()
    assert f'value="{name}"' in content and "data-organisation-picker" in content
    assert "actors/organisation_picker.js" in content
    cells = [
        cell.url for row in response.context["heat_map"].rows for cell in row.cells if cell.count
    ]
    assert cells == [
        reverse("risks:portfolio")
        + f"?owner={quote_plus(name)}&status=active&likelihood=2&impact=3#risks"
    ]
    assert response.context["query"] == f"owner={quote_plus(name)}&status=active"


def test_an_unknown_owner_is_an_error_next_to_the_field_and_filters_nothing(
    client, facilitator, portfolio
):
    client.force_login(facilitator)
    response = client.get(reverse("risks:portfolio"), {"owner": "Nobody at all"})
    assert response.context["filters"].errors["owner"] == [
        "No organisation is called “Nobody at all”. Type its whole name or acronym, or choose "
        "one of the suggestions."
    ]
    assert 'id="id_filter_owner_error"' in response.content.decode()
    assert [r.title for r in response.context["risks"]] == ["Rotation", "Demand", "Distrust"]


def test_portfolio_list_costs_the_same_queries_however_many_risks(
    client, facilitator, portfolio, make_risk, ngo
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(facilitator)
    partnership = portfolio["rotation"].partnership

    def count_queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("risks:portfolio"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    before = count_queries()
    for n in range(6):
        make_risk(partnership, title=f"More {n}", owner=ngo)
    assert count_queries() == before
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("risks:portfolio"))
    lists = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('SELECT "risks_risk"."id"') and "LIMIT" in q["sql"]
    ]
    assert len(lists) == 1
    assert '"partnerships_partnership"."title"' in lists[0]  # select_related, no query per row
