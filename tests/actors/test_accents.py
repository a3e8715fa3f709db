"""Organisation searches ignore case and accents: people type "caritas del peru" on phones and
keyboards without "á" or "ñ" and still find "Cáritas del Perú"."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from actors import importing
from actors.models import Capacity, Organisation, Role, Sector
from actors.text import normalise
from tests.factories import OrganisationFactory, UserFactory

from .conftest import pick

pytestmark = pytest.mark.django_db

SEARCH = reverse("actors:search")


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Cáritas del Perú", "caritas del peru"),
        ("CÁRITAS DEL PERÚ", "caritas del peru"),
        ("  Cáritas \t del\n  Perú  ", "caritas del peru"),
        ("Áncash", "ancash"),
        ("Nuñez", "nunez"),  # no "ñ" on the keyboard: "Nunez" finds "Nuñez"
        ("ÑUÑOA", "nunoa"),
        ("Pingüino", "pinguino"),
        ("São Paulo", "sao paulo"),
        ("Ça va", "ca va"),
        ("Straße", "strasse"),  # casefolded, not only lowered
        ("ﬁnanzas", "finanzas"),  # compatibility forms unfolded
        ("Red\u00a0Salud", "red salud"),  # a non-breaking space is a space
        ("Cáritas", normalise("Ca\u0301ritas")),  # precomposed and combining accents agree
        ("MINSA", "minsa"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalise_drops_case_accents_and_extra_spaces(typed, key):
    assert normalise(typed) == key


def test_a_key_is_a_fixed_point():
    assert normalise(normalise("  Ñandú  ÁRBOL ")) == normalise("  Ñandú  ÁRBOL ")


# ----- the keys are kept on every path that writes organisations -------------------------------


def test_saving_keeps_the_keys():
    org = OrganisationFactory(name="Cáritas del Perú", acronym="CÁRITAS", territory="Áncash")
    org.refresh_from_db()
    assert (org.name_key, org.acronym_key, org.territory_key) == (
        "caritas del peru",
        "caritas",
        "ancash",
    )
    org.name = "Cáritas Huaraz"
    org.save(update_fields=["name"])  # the key follows even when only the name is saved
    org.refresh_from_db()
    assert org.name_key == "caritas huaraz"


def test_bulk_create_fills_the_keys():
    Organisation.objects.bulk_create(
        Organisation(name=f"Asociación Núm {i}", sector=Sector.COMMUNITY, country="PE")
        for i in range(3)
    )
    assert sorted(Organisation.objects.values_list("name_key", flat=True)) == [
        "asociacion num 0",
        "asociacion num 1",
        "asociacion num 2",
    ]


def test_importing_fills_the_keys():
    row = dict.fromkeys(importing.COLUMNS, "")
    row.update(name="Fundación Ñañez", acronym="FÑ", sector="civil_society", country="PE")
    row.update(territory="Junín")
    [org] = importing.organisations_import(rows=[row])
    org.refresh_from_db()
    assert (org.name_key, org.acronym_key, org.territory_key) == ("fundacion nanez", "fn", "junin")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_keys_of_existing_organisations():
    executor = MigrationExecutor(connection)
    before, after = [("actors", "0001_initial")], [("actors", "0002_organisation_search_keys")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("actors", "Organisation")
        old.objects.create(
            name="Cáritas del Perú", acronym="CÁRITAS", territory="Áncash", sector="civil_society"
        )
        old.objects.create(name="Red  de Salud", sector="public", country="PE")
        executor = MigrationExecutor(connection)  # reload the graph after migrating
        executor.migrate(after)
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    keys = dict(Organisation.objects.values_list("name", "name_key"))
    assert keys == {"Cáritas del Perú": "caritas del peru", "Red  de Salud": "red de salud"}
    caritas = Organisation.objects.get(name="Cáritas del Perú")
    assert (caritas.acronym_key, caritas.territory_key) == ("caritas", "ancash")


# ----- the searches ----------------------------------------------------------------------------


@pytest.fixture
def uclient(client):
    client.force_login(UserFactory(role=Role.PARTNER))
    return client


def names(response):
    return [o["name"] for o in response.json()["results"]]


@pytest.mark.parametrize("typed", ["caritas", "CARITAS", "Cáritas", "cÁrItAs", "  caritas  "])
def test_the_picker_finds_an_accented_name_typed_without_accents(uclient, typed):
    OrganisationFactory(name="Cáritas del Perú")
    OrganisationFactory(name="CARE Perú")
    assert names(uclient.get(SEARCH, {"q": typed})) == ["Cáritas del Perú"]


def test_the_picker_ranks_accent_free_matches_as_before(uclient):
    OrganisationFactory(name="Red de Salud Áncash")
    OrganisationFactory(name="Perú Salud", acronym="PS")
    OrganisationFactory(name="Ministerio de Salud del Perú", acronym="MINSA")
    OrganisationFactory(name="Perú")
    assert names(uclient.get(SEARCH, {"q": "peru"})) == [
        "Perú",  # the whole name
        "Perú Salud",  # starts with the text
        "Ministerio de Salud del Perú",
    ]
    assert names(uclient.get(SEARCH, {"q": "ANCASH"})) == ["Red de Salud Áncash"]
    assert names(uclient.get(SEARCH, {"q": "minsa"})) == ["Ministerio de Salud del Perú"]


def test_the_picker_search_still_costs_one_query(uclient, django_assert_max_num_queries):
    for i in range(30):
        OrganisationFactory(name=f"Asociación {i:02d}")
    with django_assert_max_num_queries(3):  # session, user, the search
        data = uclient.get(SEARCH, {"q": "asociacion"}).json()
    assert len(data["results"]) == 20 and data["more"] is True


def test_the_register_finds_names_acronyms_and_territories_without_accents(client):
    client.force_login(UserFactory(role=Role.FACILITATOR))
    OrganisationFactory(name="Cáritas del Perú")
    OrganisationFactory(name="Gobierno Regional", acronym="GORE", territory="Áncash")
    OrganisationFactory(name="Fundación Chile", acronym="FCH", country="CL")
    url = reverse("actors:list")
    by_name = client.get(url, {"q": "caritas del peru"}).content.decode()
    assert "Cáritas del Perú" in by_name and "Fundación Chile" not in by_name
    by_territory = client.get(url, {"q": "ancash"}).content.decode()
    assert "Gobierno Regional" in by_territory and "Cáritas" not in by_territory
    assert "Fundación Chile" in client.get(url, {"q": "fundacion"}).content.decode()


def test_the_capacity_catalogue_finds_an_organisation_without_accents(client):
    client.force_login(UserFactory(role=Role.FACILITATOR))
    caritas = OrganisationFactory(name="Cáritas del Perú")
    Capacity.objects.create(organisation=caritas, area="community", description="Ollas comunes")
    other = OrganisationFactory(name="Universidad")
    Capacity.objects.create(organisation=other, area="knowledge", description="Nutrición")
    found = client.get(reverse("actors:capacities"), {"q": "CARITAS"}).content.decode()
    assert "Ollas comunes" in found and "Nutrición" not in found


def test_a_name_typed_without_accents_resolves():
    caritas = OrganisationFactory(name="Cáritas del Perú", acronym="CÁRITAS")
    OrganisationFactory(name="Cáritas del Perú Huaraz")
    assert pick("Caritas del Peru").cleaned_data["organisation"] == caritas
    assert pick("  CARITAS   DEL  PERU ").cleaned_data["organisation"] == caritas
    assert pick("caritas").cleaned_data["organisation"] == caritas  # the acronym


def test_names_differing_only_in_accents_are_ambiguous_unless_spelt_exactly():
    accented = OrganisationFactory(name="Asociación Perú")
    plain = OrganisationFactory(name="Asociacion Peru")
    form = pick("asociacion peru")
    assert form.errors["organisation"] == [
        "Several organisations go by “asociacion peru”: Asociacion Peru, Asociación Perú. "
        "Type the whole name as it is written."
    ]
    assert pick("Asociación Perú").cleaned_data["organisation"] == accented
    assert pick("Asociacion Peru").cleaned_data["organisation"] == plain


def test_a_name_up_to_accents_wins_over_another_organisations_acronym():
    named = OrganisationFactory(name="Ñandú")
    OrganisationFactory(name="Asociación de Criadores", acronym="NANDU")
    assert pick("nandu").cleaned_data["organisation"] == named


def test_the_admin_finds_an_accented_name_typed_without_accents(admin_client):
    OrganisationFactory(name="Cáritas del Perú")
    OrganisationFactory(name="CARE")
    url = reverse("admin:actors_organisation_changelist")
    assert ">CARE<" in admin_client.get(url).content.decode()
    page = admin_client.get(url, {"q": "CARITAS"}).content.decode()
    assert "Cáritas del Perú" in page and ">CARE<" not in page
