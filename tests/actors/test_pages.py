"""Organisation pages: the register, an organisation with its capacities and contacts, the
capacity catalogue, and the organisation form with its inline rows."""

import pytest
from django.urls import reverse

from actors.models import Capacity, ContactPerson, Organisation, Role, Sector
from partnerships.models import MemberRole
from tests.factories import MemberFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator():
    return UserFactory(role=Role.FACILITATOR)


@pytest.fixture
def fclient(client, facilitator):
    client.force_login(facilitator)
    return client


def _form_data(**overrides):
    data = {
        "name": "CARE Perú",
        "sector": Sector.CIVIL_SOCIETY,
        "country": "PE",
        "capacities-TOTAL_FORMS": "2",
        "capacities-INITIAL_FORMS": "0",
        "capacities-0-area": "community",
        "capacities-0-description": "Community health promoters",
        "capacities-1-area": "",
        "capacities-1-description": "",
        "contacts-TOTAL_FORMS": "1",
        "contacts-INITIAL_FORMS": "0",
        "contacts-0-name": "Rosa Quispe",
        "contacts-0-email": "rosa@care.example",
        "contacts-0-is_key_leader": "on",
    }
    data.update(overrides)
    return data


def test_creating_an_organisation_with_capacities_and_contacts(fclient):
    response = fclient.post(reverse("actors:create"), _form_data())
    org = Organisation.objects.get(name="CARE Perú")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert list(org.capacities.values_list("description", flat=True)) == [
        "Community health promoters"
    ]
    assert org.contacts.get().is_key_leader


def test_bad_input_in_any_part_saves_nothing(fclient):
    response = fclient.post(
        reverse("actors:create"),
        _form_data(**{"capacities-0-area": "", "contacts-0-email": "not-an-email"}),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "This field is required" in content
    assert "Enter a valid email address" in content
    assert not Organisation.objects.filter(name="CARE Perú").exists()
    assert not Capacity.objects.exists() and not ContactPerson.objects.exists()

    response = fclient.post(reverse("actors:create"), _form_data(name="", website="::nonsense"))
    assert "Enter a valid URL" in response.content.decode()
    assert not Organisation.objects.filter(name="CARE Perú").exists()


def test_editing_an_organisation_replaces_its_rows(fclient):
    org = OrganisationFactory(name="Antamina", sector=Sector.PRIVATE)
    capacity = Capacity.objects.create(organisation=org, area="financial", description="Fund")
    data = _form_data(
        name="Antamina",
        sector=Sector.PRIVATE,
        **{
            "capacities-TOTAL_FORMS": "1",
            "capacities-INITIAL_FORMS": "1",
            "capacities-0-id": str(capacity.pk),
            "capacities-0-area": "financial",
            "capacities-0-description": "Social investment fund",
        },
    )
    response = fclient.post(reverse("actors:edit", args=[org.pk]), data)
    assert response.status_code == 302
    capacity.refresh_from_db()
    assert capacity.description == "Social investment fund"


def test_only_facilitators_administrators_and_own_people_edit_organisations(client):
    org = OrganisationFactory()
    partner = UserFactory(role=Role.PARTNER)
    client.force_login(partner)
    assert client.get(reverse("actors:create")).status_code == 403
    assert client.get(reverse("actors:edit", args=[org.pk])).status_code == 403
    assert client.get(reverse("actors:edit", args=[partner.organisation_id])).status_code == 200


def test_the_list_filters_by_text_sector_and_country(fclient):
    OrganisationFactory(name="Ministerio de Salud", sector=Sector.PUBLIC, country="PE")
    OrganisationFactory(name="Fundación Chile", sector=Sector.PRIVATE, country="CL")
    url = reverse("actors:list")
    assert "Fundación Chile" not in fclient.get(url, {"sector": "public"}).content.decode()
    assert "Ministerio" not in fclient.get(url, {"country": "CL"}).content.decode()
    found = fclient.get(url, {"q": "salud"}).content.decode()
    assert "Ministerio de Salud" in found and "Fundación Chile" not in found


def test_the_capacity_catalogue_searches_all_actors(fclient):
    care = OrganisationFactory(name="CARE Perú")
    uni = OrganisationFactory(name="Universidad Cayetano Heredia", sector=Sector.ACADEMIA)
    Capacity.objects.create(organisation=care, area="community", description="Health promoters")
    Capacity.objects.create(organisation=uni, area="knowledge", description="Nutrition research")
    url = reverse("actors:capacities")
    by_text = fclient.get(url, {"q": "nutrition"}).content.decode()
    assert "Nutrition research" in by_text and "Health promoters" not in by_text
    by_area = fclient.get(url, {"area": "community"}).content.decode()
    assert "Health promoters" in by_area and "Nutrition research" not in by_area
    by_org = fclient.get(url, {"q": "CARE"}).content.decode()
    assert "Health promoters" in by_org


def test_an_organisation_page_lists_only_partnerships_the_user_may_see(client, facilitator):
    org = OrganisationFactory(name="UNICEF Perú")
    Capacity.objects.create(organisation=org, area="technical", description="Nutrition advice")
    ContactPerson.objects.create(organisation=org, name="Ana Torres", is_key_leader=True)
    mine = PartnershipFactory(facilitator=facilitator, title="Mine")
    hidden = PartnershipFactory(title="Not mine")
    MemberFactory(partnership=mine, organisation=org, role=MemberRole.ALLY)
    MemberFactory(partnership=hidden, organisation=org, role=MemberRole.ALLY)
    client.force_login(facilitator)
    content = client.get(reverse("actors:detail", args=[org.pk])).content.decode()
    assert "Nutrition advice" in content and "Ana Torres" in content
    assert "Mine" in content and "Not mine" not in content
