import pytest

from actors.models import Role, Sector
from partnerships.models import Member, MemberRole, Objective, Partnership
from tests.factories import MemberFactory, OrganisationFactory, PartnershipFactory, UserFactory

from .builders import build

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_donor_token_sees_only_the_partnerships_its_organisation_funds(client_for):
    donor_org = OrganisationFactory(sector=Sector.INTERNATIONAL, name="Cooperation Agency")
    funded = build("operation", funder_org=donor_org)
    member_not_funder = PartnershipFactory()
    MemberFactory(partnership=member_not_funder, organisation=donor_org, role=MemberRole.ALLY)
    other = build("design")
    donor = client_for(UserFactory(role=Role.DONOR, organisation=donor_org))

    assert ids(donor.get("/api/partnerships/")) == {funded.pk}
    assert donor.get(f"/api/partnerships/{other.pk}/").status_code == 404
    assert donor.get(f"/api/partnerships/{member_not_funder.pk}/").status_code == 404
    members = donor.get("/api/members/").json()["results"]
    assert {m["partnership"] for m in members} == {funded.pk}
    contributions = donor.get("/api/contributions/").json()["results"]
    assert contributions and {c["partnership"] for c in contributions} == {funded.pk}
    # Read-only: a donor changes nothing, even what it sees.
    response = donor.patch(f"/api/partnerships/{funded.pk}/", {"title": "Mine"}, format="json")
    assert response.status_code == 403
    assert response.json()["reasons"]


def test_an_unrelated_user_gets_404_and_an_empty_list(client_for):
    partnership = build("design")
    stranger = client_for(UserFactory(role=Role.FACILITATOR))
    assert ids(stranger.get("/api/partnerships/")) == set()
    response = stranger.get(f"/api/partnerships/{partnership.pk}/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "reasons": ["Not found."]}
    assert stranger.get(f"/api/partnerships/{partnership.pk}/iati/").status_code == 404
    assert stranger.get("/api/objectives/").json()["results"] == []


def test_anonymous_requests_get_401_as_json():
    from rest_framework.test import APIClient

    response = APIClient().get("/api/partnerships/")
    assert response.status_code == 401
    assert response.json()["reasons"]


def test_a_partner_sees_and_contributes_but_does_not_edit(client_for):
    partnership = build("operation")
    member = partnership.members.get(role=MemberRole.IMPLEMENTER)
    partner = client_for(UserFactory(role=Role.PARTNER, organisation=member.organisation))
    assert ids(partner.get("/api/partnerships/")) == {partnership.pk}
    assert (
        partner.patch(
            f"/api/partnerships/{partnership.pk}/", {"title": "x"}, format="json"
        ).status_code
        == 403
    )
    indicator = partnership.objectives.first().indicators.first()
    response = partner.post(
        "/api/measurements/",
        {"indicator": indicator.pk, "measured_on": "2026-01-15", "value": "31.5"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert indicator.measurements.filter(value="31.5").exists()
    response = partner.post(
        "/api/objectives/", {"partnership": partnership.pk, "description": "Mine"}, format="json"
    )
    assert response.status_code == 403
    assert not Objective.objects.filter(description="Mine").exists()


def test_the_facilitator_edits_and_validation_errors_come_with_reasons(client_for):
    partnership = build("interest")
    api = client_for(partnership.facilitator)
    response = api.patch(
        f"/api/partnerships/{partnership.pk}/",
        {"title": "Water for Huancavelica", "start_date": "2026-05-01", "end_date": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Invalid input."
    assert body["reasons"] and "errors" in body
    partnership.refresh_from_db()
    assert partnership.title != "Water for Huancavelica"
    response = api.patch(
        f"/api/partnerships/{partnership.pk}/",
        {"title": "Water for Huancavelica", "sdg_targets": ["6.1", "6.b"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    partnership.refresh_from_db()
    assert partnership.title == "Water for Huancavelica"
    assert partnership.sdg_targets == ["6.1", "6.b"]
    bad = api.patch(
        f"/api/partnerships/{partnership.pk}/", {"sdg_targets": ["99.9"]}, format="json"
    )
    assert bad.status_code == 400


def test_nobody_adds_members_to_a_partnership_they_cannot_see(client_for):
    partnership = build("interest")
    outsider = UserFactory(role=Role.FACILITATOR)
    org = OrganisationFactory()
    response = client_for(outsider).post(
        "/api/members/",
        {"partnership": partnership.pk, "organisation": org.pk, "role": "implementer"},
        format="json",
    )
    assert response.status_code == 400
    assert "partnership" in response.json()["errors"]
    assert not Member.objects.filter(organisation=org).exists()


def test_a_facilitator_creates_a_partnership_and_a_partner_cannot(client_for):
    facilitator = UserFactory(role=Role.FACILITATOR)
    response = client_for(facilitator).post(
        "/api/partnerships/", {"title": "New one", "country": "PE"}, format="json"
    )
    assert response.status_code == 201, response.content
    created = Partnership.objects.get(pk=response.json()["id"])
    assert created.facilitator == facilitator and created.phase == "interest"
    assert created.reference.startswith("ALZ-")
    partner = client_for(UserFactory(role=Role.PARTNER))
    assert (
        partner.post(
            "/api/partnerships/", {"title": "x", "country": "PE"}, format="json"
        ).status_code
        == 403
    )


def test_deleting_a_member_with_contributions_is_a_409_not_a_500(client_for):
    partnership = build("operation")
    member = partnership.contributions.first().member
    admin = UserFactory(role=Role.ADMINISTRATOR)
    response = client_for(admin).delete(f"/api/members/{member.pk}/")
    assert response.status_code == 409
    assert Member.objects.filter(pk=member.pk).exists()


def test_organisations_are_read_by_all_and_written_by_facilitators(client_for):
    partner = client_for(UserFactory(role=Role.PARTNER))
    assert partner.get("/api/organisations/").status_code == 200
    data = {"name": "Red de Agua", "sector": "civil_society", "country": "PE"}
    assert partner.post("/api/organisations/", data, format="json").status_code == 403
    facilitator = client_for(UserFactory(role=Role.FACILITATOR))
    assert facilitator.post("/api/organisations/", data, format="json").status_code == 201
    again = facilitator.post("/api/organisations/", data, format="json")
    assert again.status_code == 400 and "name" in again.json()["errors"]


def test_organisation_search_ignores_accents(client_for):
    OrganisationFactory(name="Cáritas del Perú", acronym="")
    OrganisationFactory(name="Red de Agua", acronym="")
    reader = client_for(UserFactory(role=Role.PARTNER))
    for term in ("caritas", "Caritas del Peru", "CÁRITAS"):
        response = reader.get("/api/organisations/", {"search": term})
        names = [row["name"] for row in response.json()["results"]]
        assert names == ["Cáritas del Perú"], term


def test_the_api_searches_with_the_pages_search_function(client_for):
    """Capacities and partnerships too: the typed text is normalised as the pages normalise
    it (on SQLite, DRF's icontains folded the case of ASCII letters only)."""
    from actors.models import Capacity, CapacityArea

    caritas = OrganisationFactory(name="Cáritas del Perú", acronym="")
    Capacity.objects.create(organisation=caritas, area=CapacityArea.COMMUNITY, description="Ollas")
    Capacity.objects.create(
        organisation=OrganisationFactory(), area=CapacityArea.COMMUNITY, description="Radio"
    )
    PartnershipFactory(title="Nutrición en Áncash")
    PartnershipFactory(title="Agua en Cusco")
    admin = client_for(UserFactory(role=Role.ADMINISTRATOR))
    for term in ("CÁRITAS", "caritas  DEL peru"):
        rows = admin.get("/api/capacities/", {"search": term}).json()["results"]
        assert [row["description"] for row in rows] == ["Ollas"], term
    for term in ("ÁNCASH", "nutricion ÁNCASH"):
        rows = admin.get("/api/partnerships/", {"search": term}).json()["results"]
        assert [row["title"] for row in rows] == ["Nutrición en Áncash"], term


def test_partnership_actions_accept_a_format_suffix_and_keep_their_permissions(client_for):
    """``/api/partnerships/1/iati.json`` was a 500 (the actions did not take ``format``)."""
    partnership = build("design")
    facilitator = client_for(partnership.facilitator)
    stranger = client_for(UserFactory(role=Role.FACILITATOR))
    for action in ("iati", "transitions"):
        url = f"/api/partnerships/{partnership.pk}/{action}.json"
        assert facilitator.get(url).status_code == 200, url
        assert stranger.get(url).status_code == 404, url
    url = f"/api/partnerships/{partnership.pk}/transition.json"
    assert facilitator.get(url).status_code == 405
    assert stranger.post(url, {"transition": "withdraw"}, format="json").status_code == 404
