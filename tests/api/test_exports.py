import csv
import io

import pytest
from openpyxl import load_workbook

from actors.models import Role, Sector
from partnerships.models import Contribution
from tests.factories import OrganisationFactory, UserFactory

from .builders import build

pytestmark = pytest.mark.django_db


def read_csv(content: bytes):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def read_xlsx(content: bytes):
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_contributions_are_long_one_row_per_planned_amount_and_delivery(client):
    p = build("operation")
    build("design")  # not the user's
    client.force_login(p.facilitator)
    response = client.get("/exports/contributions.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response.content)
    assert {r["reference"] for r in rows} == {p.reference}
    assert sorted((r["status"], r["amount"], r["currency"]) for r in rows) == [
        ("delivered", "2500.00", "USD"),
        ("planned", "10000.00", "USD"),
        ("planned", "1200.00", "EUR"),
    ]
    xlsx = read_xlsx(client.get("/exports/contributions.xlsx").content)
    assert len(xlsx) == 3 and {r["status"] for r in xlsx} == {"planned", "delivered"}


def test_indicators_give_baseline_target_and_each_measurement(client):
    p = build("operation")
    client.force_login(p.facilitator)
    rows = read_csv(client.get("/exports/indicators.csv").content)
    hands = [r for r in rows if r["indicator"] == "Households washing hands"]
    assert [r["observation"] for r in hands] == ["baseline", "target", "measurement"]
    assert [r["value"] for r in hands] == ["10.00", "60.00", "25.00"]


def test_partnerships_and_members_datasets(client):
    p = build("operation")
    client.force_login(p.facilitator)
    partnerships = read_csv(client.get("/exports/partnerships.csv").content)
    assert partnerships[0]["reference"] == p.reference
    assert partnerships[0]["planned_total"] == "11200.00"
    members = read_xlsx(client.get("/exports/members.xlsx").content)
    assert sorted(m["role"] for m in members) == ["funder", "implementer", "public_entity"]


def test_a_donor_exports_only_what_it_funds_through_the_api(client_for):
    donor_org = OrganisationFactory(sector=Sector.INTERNATIONAL)
    funded = build("operation", funder_org=donor_org)
    build("operation")
    donor = client_for(UserFactory(role=Role.DONOR, organisation=donor_org))
    rows = read_csv(donor.get("/api/exports/members.csv").content)
    assert {r["reference"] for r in rows} == {funded.reference}
    assert donor.get("/api/exports/nothing.csv").status_code == 404


def test_exports_need_a_login_and_neutralise_formulas(client):
    assert client.get("/exports/members.csv").status_code == 302
    p = build("operation")
    Contribution.objects.filter(partnership=p).update(description='=HYPERLINK("http://x")')
    client.force_login(p.facilitator)
    rows = read_csv(client.get("/exports/contributions.csv").content)
    assert all(r["description"].startswith("'=") for r in rows)
    cells = read_xlsx(client.get("/exports/contributions.xlsx").content)
    assert all(r["description"].startswith("=HYPERLINK") for r in cells)  # text, not a formula
    sheet = load_workbook(io.BytesIO(client.get("/exports/contributions.xlsx").content))
    assert sheet.worksheets[0]["H2"].data_type == "s"
    page = client.get("/exports/")
    assert page.status_code == 200 and b"contributions.xlsx" in page.content
