"""The risk register export (issue 15, item 12): the API schema advertised a ``risks`` dataset
that answered 404. It is a dataset like the others: CSV and XLSX, one row per rating."""

import datetime

import pytest
from django.urls import reverse

from actors.models import Role
from partnerships import exports
from risks import services
from risks.models import Category
from tests.api.builders import build
from tests.api.test_exports import read_csv, read_xlsx
from tests.factories import UserFactory, api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def register():
    """A partnership with two risks: one identified and reviewed, one identified only."""
    p = build("operation")
    by = p.facilitator
    owner = p.members.get(role="implementer")
    turnover = services.risk_create(
        partnership=p,
        by=by,
        title="Rotation of public sector officials",
        category=Category.POLITICAL,
        likelihood=3,
        impact=4,
        owner=owner,
        mitigation="Brief every new official.",
    )
    services.risk_review(
        risk=turnover,
        by=by,
        likelihood=4,
        impact=4,
        note="Elections in October.",
        reviewed_on=datetime.date.today(),
    )
    services.risk_create(
        partnership=p,
        by=by,
        title="Floods",
        category=Category.FORCE_MAJEURE,
        likelihood=2,
        impact=5,
    )
    build("operation")  # another facilitator's register: not exported to this one
    return p


def test_the_risk_register_exports_one_row_per_rating(client, register):
    client.force_login(register.facilitator)
    response = client.get(reverse("exports:dataset", args=["risks", "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    rows = read_csv(response.content)
    assert {r["reference"] for r in rows} == {register.reference}
    turnover = [r for r in rows if r["risk"] == "Rotation of public sector officials"]
    assert [(r["observation"], r["likelihood"], r["impact"], r["score"]) for r in turnover] == [
        ("identified", "3", "4", "12"),
        ("review", "4", "4", "16"),
    ]
    assert turnover[0]["family"] == "qualitative" and turnover[0]["category"] == "political"
    assert turnover[0]["owner"] == register.members.get(role="implementer").organisation.name
    assert turnover[1]["note"] == "Elections in October."
    assert [r["observation"] for r in rows if r["risk"] == "Floods"] == ["identified"]
    xlsx = read_xlsx(client.get(reverse("exports:dataset", args=["risks", "xlsx"])).content)
    assert [(r["risk"], r["score"]) for r in xlsx] == [(r["risk"], int(r["score"])) for r in rows]


def test_the_api_exports_the_risks_it_advertises(client, register):
    """Every dataset the schema names answers, in both formats, for a donor of the partnership."""
    donor = UserFactory(
        role=Role.DONOR, organisation=register.members.get(role="funder").organisation
    )
    api = api_for(donor)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    parameters = schema["paths"]["/api/exports/{dataset}.{fmt}"]["get"]["parameters"]
    advertised = next(p for p in parameters if p["name"] == "dataset")["schema"]["enum"]
    assert "risks" in advertised and set(advertised) == set(exports.datasets())
    for dataset in advertised:
        for fmt in ("csv", "xlsx"):
            assert api.get(f"/api/exports/{dataset}.{fmt}").status_code == 200, (dataset, fmt)
    rows = read_csv(api.get("/api/exports/risks.csv").content)
    assert {r["reference"] for r in rows} == {register.reference} and len(rows) == 3


def test_the_exports_page_offers_the_risk_register(client, register):
    client.force_login(register.facilitator)
    page = client.get(reverse("exports:index")).content.decode()
    assert reverse("exports:dataset", args=["risks", "xlsx"]) in page
    assert "Risks and their reviews" in page
