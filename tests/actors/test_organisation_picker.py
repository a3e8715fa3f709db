"""The organisation picker: a field that resolves a typed name to one organisation, and the
search that suggests organisations while someone types."""

import factory
import pytest
from django import forms
from django.urls import reverse

from actors.forms import OrganisationNameField
from actors.models import Role
from actors.views import SEARCH_LIMIT
from tests.factories import OrganisationFactory, UserFactory

from .conftest import PickForm, pick

pytestmark = pytest.mark.django_db

SEARCH = reverse("actors:search")


# ----- the field -----------------------------------------------------------------------------


def test_the_exact_name_in_any_case_resolves_to_the_organisation():
    minsa = OrganisationFactory(name="Ministerio de Salud", acronym="MINSA")
    OrganisationFactory(name="Ministerio de Salud Regional")
    assert pick("  ministerio DE salud ").cleaned_data["organisation"] == minsa


def test_an_acronym_resolves_when_no_name_matches():
    minsa = OrganisationFactory(name="Ministerio de Salud", acronym="MINSA")
    assert pick("minsa").cleaned_data["organisation"] == minsa


def test_a_name_wins_over_another_organisations_acronym():
    named = OrganisationFactory(name="CARE")
    OrganisationFactory(name="CARE Perú", acronym="CARE")
    assert pick("care").cleaned_data["organisation"] == named


def test_an_unknown_name_is_an_error_that_keeps_the_typed_text():
    OrganisationFactory(name="Ministerio de Salud")
    form = pick("Ministerio de Educación")
    assert form.errors["organisation"] == [
        "No organisation is called “Ministerio de Educación”. Type its whole name or acronym, "
        "or choose one of the suggestions."
    ]
    assert 'value="Ministerio de Educación"' in str(form["organisation"])


def test_a_part_of_a_name_is_not_enough_without_choosing_a_suggestion():
    OrganisationFactory(name="Ministerio de Salud")
    assert "organisation" in pick("Ministerio").errors


def test_names_differing_only_in_case_are_ambiguous_unless_spelt_exactly():
    upper = OrganisationFactory(name="ACME")
    lower = OrganisationFactory(name="Acme")
    form = pick("acme")
    assert form.errors["organisation"] == [
        "Several organisations go by “acme”: ACME, Acme. Type the whole name as it is written."
    ]
    assert pick("ACME").cleaned_data["organisation"] == upper
    assert pick("Acme").cleaned_data["organisation"] == lower


def test_a_shared_acronym_is_ambiguous_and_names_the_organisations():
    OrganisationFactory(name="Food and Agriculture Organization", acronym="FAO")
    OrganisationFactory(name="Fundación Andina de Occidente", acronym="FAO")
    [error] = pick("FAO").errors["organisation"]
    assert "Several organisations go by “FAO”" in error
    assert "Food and Agriculture Organization" in error and "Fundación Andina" in error


def test_an_empty_field_is_none_and_a_required_one_says_so():
    assert pick("   ").cleaned_data["organisation"] is None
    with pytest.raises(forms.ValidationError, match="required"):
        OrganisationNameField().clean("")


def test_a_nul_character_is_an_error_not_a_crash():
    assert "organisation" in pick("Acme\x00").errors


def test_the_widget_renders_a_text_input_with_the_name_and_no_list():
    OrganisationFactory.create_batch(3)
    minsa = OrganisationFactory(name="Ministerio de Salud")
    html = str(PickForm(initial={"organisation": minsa})["organisation"])
    assert 'type="text"' in html and 'value="Ministerio de Salud"' in html
    assert "<option" not in html and "Organisation " not in html
    assert f'data-search-url="{SEARCH}"' in html
    assert "actors/organisation_picker.js" in str(PickForm().media)


def test_the_field_speaks_spanish():
    from django.utils import translation

    with translation.override("es"):
        [error] = pick("Nadie").errors["organisation"]
        html = str(PickForm()["organisation"])
    assert "Ninguna organización se llama “Nadie”" in error
    assert "Ninguna organización coincide" in html


# ----- the search ----------------------------------------------------------------------------


@pytest.fixture
def uclient(client):
    client.force_login(UserFactory(role=Role.PARTNER))
    return client


def test_search_matches_names_and_acronyms_best_first(uclient):
    OrganisationFactory(name="Red de Salud Ancash")
    OrganisationFactory(name="Salud Sin Límites")
    OrganisationFactory(name="Ministerio de Salud", acronym="MINSA")
    OrganisationFactory(name="Ministerio de Educación", acronym="MINEDU")
    data = uclient.get(SEARCH, {"q": "salud"}).json()
    assert [o["name"] for o in data["results"]] == [
        "Salud Sin Límites",  # starts with the text
        "Ministerio de Salud",
        "Red de Salud Ancash",
    ]
    assert data["more"] is False
    assert data["results"][1] == {
        "id": data["results"][1]["id"],
        "name": "Ministerio de Salud",
        "acronym": "MINSA",
    }
    assert [o["name"] for o in uclient.get(SEARCH, {"q": "minedu"}).json()["results"]] == [
        "Ministerio de Educación"
    ]


def test_search_is_bounded_and_its_queries_do_not_grow(uclient, django_assert_max_num_queries):
    OrganisationFactory.create_batch(60, name=factory.Sequence(lambda n: f"Cooperativa {n:03d}"))
    with django_assert_max_num_queries(3):  # session, user, the search
        data = uclient.get(SEARCH, {"q": "cooperativa"}).json()
    assert len(data["results"]) == SEARCH_LIMIT == 20
    assert data["more"] is True


def test_search_without_text_finds_nothing_and_survives_odd_input(uclient):
    OrganisationFactory(name="Acme")
    assert uclient.get(SEARCH).json() == {"results": [], "more": False}
    assert uclient.get(SEARCH, {"q": "   "}).json()["results"] == []
    assert uclient.get(SEARCH, {"q": "Ac\x00me"}).status_code == 200
    assert uclient.get(SEARCH, {"q": "%_"}).json()["results"] == []


def test_search_needs_a_login(client):
    OrganisationFactory(name="Acme")
    response = client.get(SEARCH, {"q": "acme"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_search_answers_get_only(uclient):
    assert uclient.post(SEARCH, {"q": "acme"}).status_code == 405
