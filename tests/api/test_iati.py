"""Every partnership, in every phase, exports to IATI 2.03 that passes the XSD, the code lists
and the standard's rules (each checked in its own test)."""

import datetime
import io

import pytest
from django.conf import settings
from django.core.management import call_command
from lxml import etree

from actors.models import Role
from partnerships.exports import iati, iati_rules
from tests.factories import UserFactory

from .builders import PHASES, build

pytestmark = pytest.mark.django_db
# The vendored copy (partnerships/iati_data/) unless the setting names another.
IATI_DIR = settings.ALIANZA_IATI_DIR


@pytest.fixture(params=PHASES)
def exported(request):
    partnership = build(request.param)
    return request.param, partnership, iati.activities_xml([partnership])


def test_the_export_validates_against_the_xsd(exported):
    _state, _p, xml = exported
    assert iati_rules.xsd_errors(xml, IATI_DIR) == []


def test_the_export_uses_only_codes_from_the_code_lists(exported):
    _state, _p, xml = exported
    assert iati_rules.code_errors(xml, IATI_DIR) == []


def test_the_export_satisfies_the_standard_rules(exported):
    _state, _p, xml = exported
    assert iati_rules.rule_errors(xml) == []


EXPECTED_STATUS = {
    "interest": "1",
    "design": "1",
    "operation": "2",
    "assessment": "2",
    "suspended": "6",
    "closure_terminated": "4",
    "closure_transferred": "4",
    "closure_continued": "4",
    "withdrawn": "5",
}


def test_phase_and_outcome_map_to_the_activity_status(exported):
    state, p, xml = exported
    activity = etree.fromstring(xml).find("iati-activity")
    assert activity.find("activity-status").get("code") == EXPECTED_STATUS[state]
    assert activity.findtext("iati-identifier") == f"XI-IATI-ALIANZA-{p.reference}"
    if state.startswith("closure_"):
        outcome = activity.find("description[@type='4']").findtext("narrative")
        assert state.split("_")[1] in outcome.lower()


def test_an_operating_partnership_carries_roles_money_and_results():
    p = build("operation")
    activity = etree.fromstring(iati.activities_xml([p])).find("iati-activity")
    roles = {
        o.findtext("narrative"): (o.get("role"), o.get("type"))
        for o in activity.findall("participating-org")
    }
    assert roles[f"Ministry for {p.pk}"] == ("2", "10")
    assert roles[f"NGO for {p.pk}"] == ("4", "22")
    assert roles[f"Donor for {p.pk}"] == ("1", "40")
    assert activity.find("sector").get("code") == "12240"
    assert [t.get("code") for t in activity.findall("tag[@vocabulary='3']")] == ["2.2"]
    types = [t.find("transaction-type").get("code") for t in activity.findall("transaction")]
    assert types.count("11") == 2 and types.count("1") == 1  # two commitments, one delivery
    budgets = activity.findall("budget")
    assert [b.find("period-start").get("iso-date") for b in budgets] == ["2026-01-01"]
    assert budgets[0].find("value").text == "10000.00" and budgets[0].get("status") == "2"
    dates = {d.get("type"): d.get("iso-date") for d in activity.findall("activity-date")}
    assert dates["1"] == "2026-01-01" and dates["3"] == "2027-12-31"
    assert dates["2"] == datetime.date.today().isoformat()
    measures = {i.findtext("title/narrative"): i.get("measure") for i in activity.iter("indicator")}
    assert measures == {
        "Households washing hands": "1",
        "Stunting rate": "2",
        "Community ownership": "5",
    }
    actual = activity.find("result/indicator/period/actual")
    assert actual.get("value") == "25.00"


def test_a_portfolio_is_one_file_with_one_activity_each():
    ps = [build(state) for state in ("interest", "operation", "closure_continued")]
    xml = iati.activities_xml(ps)
    assert len(etree.fromstring(xml).findall("iati-activity")) == 3
    assert iati_rules.all_errors(xml, IATI_DIR) == []


def test_the_checker_catches_what_the_schema_does_not():
    p = build("operation")
    xml = iati.activities_xml([p]).decode()
    broken = xml.replace('role="4"', 'role="9"', 1).replace(
        "<iati-identifier>XI-IATI-ALIANZA-", "<iati-identifier>OTHER/"
    )
    broken = broken.replace('percentage="100"/>\n    <tag', 'percentage="60"/>\n    <tag', 1)
    assert iati_rules.xsd_errors(broken.encode(), IATI_DIR) == []
    assert any("OrganisationRole" in e for e in iati_rules.code_errors(broken.encode(), IATI_DIR))
    problems = " ".join(iati_rules.rule_errors(broken.encode()))
    assert "/ & | ?" in problems and "reporting organisation" in problems
    assert "add up to 60" in problems
    future = xml.replace('type="2"', 'type="2"', 1).replace(
        datetime.date.today().isoformat(), "2999-01-01"
    )
    assert "future" in " ".join(iati_rules.rule_errors(future.encode()))


def test_reporting_organisation_comes_from_the_settings(settings):
    settings.ALIANZA_IATI_REPORTING_ORG_REF = "PE-RUC-20100000001"
    settings.ALIANZA_IATI_REPORTING_ORG_NAME = "Agencia Ejemplo"
    settings.ALIANZA_IATI_REPORTING_ORG_TYPE = "10"
    p = build("design")
    xml = iati.activities_xml([p])
    activity = etree.fromstring(xml).find("iati-activity")
    assert activity.findtext("iati-identifier") == f"PE-RUC-20100000001-{p.reference}"
    assert activity.find("reporting-org").get("type") == "10"
    assert iati_rules.all_errors(xml, IATI_DIR) == []


def test_the_management_command_writes_the_chosen_partnerships():
    a, b = build("design"), build("operation")
    out = io.StringIO()
    call_command("export_iati", "--partnership", str(b.pk), "--check", stdout=out)
    root = etree.fromstring(out.getvalue().encode())
    assert [x.findtext("iati-identifier") for x in root] == [iati.activity_identifier(b)]
    out = io.StringIO()
    call_command("export_iati", stdout=out)
    assert len(etree.fromstring(out.getvalue().encode())) == 2
    assert a.reference in out.getvalue()


def test_browser_and_api_downloads_respect_visibility(client, client_for):
    p = build("operation")
    other = build("design")
    client.force_login(p.facilitator)
    response = client.get(f"/partnerships/{p.pk}/iati.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert client.get(f"/partnerships/{other.pk}/iati.xml").status_code == 404
    portfolio = client.get("/exports/iati.xml")
    identifiers = [a.findtext("iati-identifier") for a in etree.fromstring(portfolio.content)]
    assert identifiers == [iati.activity_identifier(p)]
    api = client_for(p.facilitator)
    assert api.get(f"/api/partnerships/{p.pk}/iati/").status_code == 200
    assert (
        etree.fromstring(api.get("/api/exports/iati.xml").content).find("iati-activity") is not None
    )
    donor = client_for(UserFactory(role=Role.DONOR))
    assert len(etree.fromstring(donor.get("/api/exports/iati.xml").content)) == 0
