import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from actors.models import Organisation, Role
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = "name,acronym,sector,level,country,territory,capacities,contact_name,contact_email\n"


def upload(client, content: bytes, name="actors.csv"):
    return client.post("/actors/import/", {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def facilitator_client(client):
    client.force_login(UserFactory(role=Role.FACILITATOR))
    return client


def test_a_file_with_errors_shows_each_row_and_imports_nothing(facilitator_client):
    OrganisationFactory(name="Existing NGO")
    content = (
        HEADER
        + "Good One,G1,civil_society,local,PE,Cusco,technical: water,Ana,ana@example.org\n"
        + "Existing NGO,,civil_society,,PE,,,,\n"
        + "Bad Sector,,pirates,,PE,,,,\n"
        + "No Country,,public,,XX,,,,\n"
        + "Bad Capacity,,academia,,CO,,juggling,,\n"
        + "Bad Email,,media,,HN,,,Luis,not-an-email\n"
    ).encode()
    response = upload(facilitator_client, content)
    assert response.status_code == 400
    errors = [(e.row, e.column) for e in response.context["errors"]]
    assert errors == [
        (3, "name"),
        (4, "sector"),
        (5, "country"),
        (6, "capacities"),
        (7, "contact_email"),
    ]
    assert b"nothing was imported" in response.content
    assert "token" not in response.context
    assert not Organisation.objects.filter(name="Good One").exists()


def test_a_valid_file_is_previewed_then_imported_on_confirmation(facilitator_client):
    content = (
        HEADER
        + 'Municipalidad de Anta,MDA,Public sector,Local,pe,Anta,"political: local ordinances; territorial: 12 districts",Rosa,rosa@example.org\n'
        + "Cafe Andino,,private,national,PE,,,,\n"
    ).encode("utf-8")
    response = upload(facilitator_client, content)
    assert response.status_code == 200, response.context.get("errors")
    assert not Organisation.objects.filter(name="Cafe Andino").exists()
    token = response.context["token"]
    response = facilitator_client.post("/actors/import/", {"confirm": "1", "token": token})
    assert response.status_code == 302
    anta = Organisation.objects.get(name="Municipalidad de Anta")
    assert (anta.sector, anta.level, anta.country.code) == ("public", "local", "PE")
    assert sorted(anta.capacities.values_list("area", flat=True)) == ["political", "territorial"]
    assert anta.contacts.get().email == "rosa@example.org"
    assert Organisation.objects.filter(name="Cafe Andino").exists()
    # The same confirmation cannot run twice.
    facilitator_client.post("/actors/import/", {"confirm": "1", "token": token})
    assert Organisation.objects.filter(name="Cafe Andino").count() == 1


def test_an_xlsx_file_is_read_too(facilitator_client):
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Sector", "Country"])
    ws.append(["Universidad del Valle", "academia", "CO"])
    out = io.BytesIO()
    wb.save(out)
    response = upload(facilitator_client, out.getvalue(), "actors.xlsx")
    assert response.status_code == 200
    facilitator_client.post("/actors/import/", {"confirm": "1", "token": response.context["token"]})
    assert Organisation.objects.get(name="Universidad del Valle").sector == "academia"


def test_unreadable_or_oversized_files_are_refused(facilitator_client, settings):
    response = upload(facilitator_client, b"whatever", "actors.pdf")
    assert response.status_code == 400 and ".csv or .xlsx" in response.content.decode()
    response = upload(facilitator_client, b"name,acronym\nX,Y\n")
    assert "columns are missing" in response.content.decode()
    settings.ALIANZA_IMPORT_MAX_BYTES = 10
    response = upload(facilitator_client, HEADER.encode())
    assert "larger than" in response.content.decode()


def test_only_administrators_and_facilitators_import(client):
    client.force_login(UserFactory(role=Role.PARTNER))
    assert client.get("/actors/import/").status_code == 403
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    assert client.get("/actors/import/").status_code == 200
