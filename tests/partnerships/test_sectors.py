"""The IATI reference data ships in the repository, and the forms and the API offer every OECD
DAC 5-digit purpose code of its Sector list (a search-as-you-type picker), not 24 of them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from lxml import etree
from rest_framework.test import APIClient

from partnerships.exports import iati, iati_rules
from partnerships.reference import codes
from tests.factories import PartnershipFactory

ROOT = Path(settings.BASE_DIR)
VENDORED = ROOT / "partnerships" / "iati_data"
OUTSIDE_THE_24 = "23210"  # Energy generation, renewable sources - multiple technologies

pytestmark = pytest.mark.django_db


def test_the_reference_data_loads_from_the_repository_without_a_shared_folder(tmp_path):
    # A fresh clone: no ALIANZA_IATI_DIR and no ../shared next to the checkout.
    env = {k: v for k, v in os.environ.items() if k != "ALIANZA_IATI_DIR"}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    script = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "from partnerships.reference import codes\nfrom partnerships.exports import iati_rules\n"
        "print(json.dumps({'dir': str(settings.ALIANZA_IATI_DIR),"
        " 'sectors': len(codes.sector_codes()),"
        " 'roles': sorted(iati_rules.codelist(settings.ALIANZA_IATI_DIR, 'OrganisationRole'))}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, check=True
    )
    loaded = json.loads(done.stdout.decode().strip().splitlines()[-1])
    assert Path(loaded["dir"]).resolve() == VENDORED.resolve()
    assert loaded["sectors"] > 250 and loaded["roles"] == ["1", "2", "3", "4"]
    for name in ("README.md", "schema-2.03/iati-activities-schema.xsd", "codelists/Sector.xml"):
        assert (VENDORED / name).is_file(), name


def test_the_vendored_schema_validates_an_export(settings):
    settings.ALIANZA_IATI_DIR = VENDORED
    xml = iati.activities_xml([PartnershipFactory(dac_sector=OUTSIDE_THE_24)])
    assert iati_rules.xsd_errors(xml, settings.ALIANZA_IATI_DIR) == []
    assert iati_rules.code_errors(xml, settings.ALIANZA_IATI_DIR) == []
    sector = etree.fromstring(xml).find("iati-activity/sector")
    assert sector.get("code") == OUTSIDE_THE_24


def test_a_folder_without_the_code_lists_is_a_clear_configuration_error(settings, tmp_path):
    settings.ALIANZA_IATI_DIR = tmp_path / "missing"
    with pytest.raises(ImproperlyConfigured, match="has no codelists/Sector.xml"):
        codes.sector_codes()


def test_the_picker_finds_codes_by_words_in_the_users_language(client, facilitator):
    search = reverse("partnerships:sector_search")
    assert client.get(search, {"q": "water"}).status_code == 302  # login required
    client.force_login(facilitator)
    found = client.get(search, {"q": "drinking WATER"}).json()
    assert {"code": "14031", "name": "Basic drinking water supply"} in [
        {"code": r["code"], "name": r["name"]} for r in found["results"]
    ]
    assert found["results"][0]["value"].startswith(found["results"][0]["code"] + " ")
    energy = client.get(search, {"q": "renewable energy generation"}).json()
    assert OUTSIDE_THE_24 in [r["code"] for r in energy["results"]]
    # At most 20, and it says when more match.
    broad = client.get(search, {"q": "a"}).json()
    assert len(broad["results"]) == 20 and broad["more"] is True
    assert client.get(search, {"q": ""}).json() == {"results": [], "more": False}
    # In Spanish: the catalogue's names, found by Spanish words too.
    facilitator.language = "es"
    facilitator.save()
    spanish = client.get(search, {"q": "agua potable"}).json()["results"]
    assert {"code": "14031", "name": "Abastecimiento básico de agua potable"} in [
        {"code": r["code"], "name": r["name"]} for r in spanish
    ]


def test_the_form_offers_the_picker_and_accepts_a_code_outside_the_24(fclient, partnership):
    edit = reverse("partnerships:edit", args=[partnership.pk])
    page = fclient.get(edit).content.decode()
    assert "data-sector-picker" in page and reverse("partnerships:sector_search") in page
    assert "actors/organisation_picker.js" in page
    assert "<select" not in page.split('name="dac_sector"')[0].rsplit("<", 1)[-1]
    data = {
        "title": "Energía",
        "country": "PE",
        "language": "en",
        "currency": "USD",
        "facilitator": partnership.facilitator_id,
    }
    response = fclient.post(edit, {**data, "dac_sector": f"{OUTSIDE_THE_24} Energy generation"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.dac_sector == OUTSIDE_THE_24
    assert "Energy generation, renewable sources - multiple technologies" in (
        partnership.get_dac_sector_display()
    )
    # Shown back as code and name; a whole name is understood too.
    assert (
        f'value="{OUTSIDE_THE_24} Energy generation, renewable'
        in fclient.get(edit).content.decode()
    )
    fclient.post(edit, {**data, "dac_sector": "basic   NUTRITION"})
    partnership.refresh_from_db()
    assert partnership.dac_sector == "12240"


def test_an_unknown_code_is_refused_next_to_the_field(fclient, partnership):
    edit = reverse("partnerships:edit", args=[partnership.pk])
    data = {"title": "Changed", "country": "PE", "language": "en", "currency": "USD"}
    for typed, message in (
        ("99999", "99999 is not an OECD DAC purpose code."),
        ("solar panels everywhere", "No OECD DAC purpose code is called"),
    ):
        response = fclient.post(edit, {**data, "dac_sector": typed})
        assert response.status_code == 200
        assert message in str(response.context["form"].errors["dac_sector"])
    partnership.refresh_from_db()
    assert partnership.title == "Child Nutrition in Ancash" and partnership.dac_sector == ""


def test_the_api_accepts_any_valid_code_and_refuses_an_unknown_one(facilitator, partnership):
    api = APIClient()
    api.force_authenticate(facilitator)
    url = f"/api/partnerships/{partnership.pk}/"
    response = api.patch(url, {"dac_sector": OUTSIDE_THE_24}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["dac_sector"] == OUTSIDE_THE_24
    refused = api.patch(url, {"dac_sector": "99999"}, format="json")
    assert refused.status_code == 400 and "dac_sector" in refused.json()["errors"]
    partnership.refresh_from_db()
    assert partnership.dac_sector == OUTSIDE_THE_24


def test_filters_take_any_code(fclient, partnership):
    partnership.dac_sector = OUTSIDE_THE_24
    partnership.save()
    other = PartnershipFactory(facilitator=partnership.facilitator, dac_sector="12240")
    page = fclient.get(reverse("partnerships:list"), {"dac_sector": OUTSIDE_THE_24})
    content = page.content.decode()
    assert partnership.title in content and other.title not in content
    assert "data-sector-picker" in content
