"""The API reveals nothing by its errors (issue 14, item 7): an id that exists nowhere and an id
of a record the user may not see answer alike, in list filters (an empty list) and in the ids a
write refers to (the same 400)."""

import json

import pytest
from django.urls import reverse

from actors.models import Role
from partnerships.models import Activity, Contribution, Indicator
from tests.factories import OrganisationFactory, UserFactory

from .builders import build

pytestmark = pytest.mark.django_db

UNKNOWN = 987_654_321
EMPTY = {"count": 0, "next": None, "previous": None, "results": []}


def _id_filters(schema):
    """(path, parameter) of every integer query parameter of every list, bar the pagination."""
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or not operation["operationId"].endswith("_list"):
            continue
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or parameter["name"] in {"page", "page_size"}:
                continue
            if parameter["schema"].get("type") == "integer":
                yield path, parameter["name"]


def test_every_id_filter_answers_an_unknown_id_with_an_empty_list(client, client_for):
    """``?partnership=99999`` was a 400 ("Select a valid choice") while the id of an invisible
    partnership gave an empty 200: the difference told which ids exist."""
    build("operation")
    api = client_for(UserFactory(role=Role.ADMINISTRATOR))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    filters = list(_id_filters(schema))
    assert ("/api/members/", "partnership") in filters
    assert ("/api/activities/", "responsible") in filters
    assert len(filters) >= 15, filters
    for path, name in filters:
        response = api.get(path, {name: UNKNOWN})
        assert (response.status_code, response.json()) == (200, EMPTY), (path, name)
    # No id is below 1 or past 64 bits (SQLite refused such a number: a 500).
    for value in (0, -5, 10**25, -(10**25)):
        response = api.get("/api/contributions/", {"member": value})
        assert (response.status_code, response.json()) == (200, EMPTY), value
    assert api.get("/api/members/", {"partnership": "abc"}).status_code == 400


@pytest.fixture
def theirs():
    """A partnership the user of the tests does not see, with a person and an activity."""
    p = build("operation")
    person = UserFactory(role=Role.PARTNER, organisation=p.members.first().organisation)
    Activity.objects.create(
        partnership=p,
        title="Theirs",
        starts_on="2026-01-01",
        ends_on="2026-02-01",
        responsible=person,
    )
    return p, person


def test_a_filter_on_an_invisible_id_answers_as_on_an_unknown_one(client_for, theirs):
    other, person = theirs
    mine = build("operation")
    api = client_for(mine.facilitator)
    indicator = Indicator.objects.filter(objective__partnership=other).first()
    cases = [
        ("/api/members/", "partnership", other.pk),
        ("/api/activities/", "partnership", other.pk),
        ("/api/activities/", "responsible", person.pk),
        ("/api/contributions/", "member", other.members.first().pk),
        ("/api/measurements/", "indicator", indicator.pk),
        ("/api/indicators/", "objective__partnership", other.pk),
        ("/api/deliveries/", "contribution", other.contributions.first().pk),
        ("/api/phase-changes/", "partnership", other.pk),
        ("/api/gate-requests/", "partnership", other.pk),
    ]
    for path, name, value in cases:
        invisible, unknown = api.get(path, {name: value}), api.get(path, {name: UNKNOWN})
        assert (invisible.status_code, invisible.json()) == (200, EMPTY), (path, name)
        assert (unknown.status_code, unknown.json()) == (200, EMPTY), (path, name)
    # The filters still filter.
    rows = api.get("/api/members/", {"partnership": mine.pk}).json()["results"]
    assert rows and {r["partnership"] for r in rows} == {mine.pk}


def _answer(response, value):
    """The response with the id that was sent taken out (DRF repeats it in its message)."""
    return response.status_code, json.loads(json.dumps(response.json()).replace(str(value), "ID"))


def test_a_write_naming_an_invisible_id_answers_as_one_naming_an_unknown_id(client_for, theirs):
    """A contribution's member or an activity's indicator elsewhere got "belongs to another
    partnership" and an unknown one "does not exist"; a signatory or a responsible person who
    exists but may not stand there got another message than one who does not exist."""
    other, person = theirs
    mine = build("operation")
    api = client_for(mine.facilitator)
    contribution = {
        "partnership": mine.pk,
        "kind": "financial",
        "description": "Probe",
        "planned_amount": "1.00",
        "currency": "USD",
    }
    activity = {
        "partnership": mine.pk,
        "title": "Probe",
        "starts_on": "2026-01-01",
        "ends_on": "2026-02-01",
    }
    member = {"partnership": mine.pk, "organisation": OrganisationFactory().pk, "role": "ally"}
    cases = [
        ("/api/contributions/", contribution, "member", other.members.first().pk),
        (
            "/api/activities/",
            activity,
            "indicator",
            Indicator.objects.filter(objective__partnership=other).first().pk,
        ),
        ("/api/activities/", activity, "responsible", person.pk),
        ("/api/members/", member, "signatory", person.pk),
        (
            "/api/deliveries/",
            {"delivered_on": "2026-01-02", "amount": "1.00"},
            "contribution",
            other.contributions.first().pk,
        ),
    ]
    for path, body, field, value in cases:
        invisible = api.post(path, {**body, field: value}, format="json")
        unknown = api.post(path, {**body, field: UNKNOWN}, format="json")
        assert invisible.status_code == 400, (path, field, invisible.json())
        assert field in invisible.json()["errors"], (path, field)
        assert _answer(invisible, value) == _answer(unknown, UNKNOWN), (path, field)
    assert not Contribution.objects.filter(description="Probe").exists()
    assert not Activity.objects.filter(title="Probe").exists()


def test_an_activitys_responsible_person_is_a_person_of_the_partnership(client, client_for):
    """The page form offered only the facilitator and the people of member organisations; the
    API took anybody. One rule (``Activity.clean``, ``Partnership.people``) now serves both."""
    p = build("operation")
    api = client_for(p.facilitator)
    member_person = UserFactory(role=Role.PARTNER, organisation=p.members.first().organisation)
    outsider = UserFactory(role=Role.PARTNER)
    body = {"partnership": p.pk, "starts_on": "2026-01-01", "ends_on": "2026-02-01"}

    refused = api.post(
        "/api/activities/", {**body, "title": "A", "responsible": outsider.pk}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["responsible"] == [
        "The responsible person must be the facilitator or a person of a member organisation."
    ]
    for person in (member_person, p.facilitator):
        created = api.post(
            "/api/activities/",
            {**body, "title": person.full_name, "responsible": person.pk},
            format="json",
        )
        assert created.status_code == 201, created.json()
    activity = Activity.objects.get(title=member_person.full_name)
    moved = api.patch(
        f"/api/activities/{activity.pk}/", {"responsible": outsider.pk}, format="json"
    )
    assert moved.status_code == 400
    activity.refresh_from_db()
    assert activity.responsible == member_person
    assert not Activity.objects.filter(title="A").exists()

    # The page form says the same, and saves nothing.
    client.force_login(p.facilitator)
    page = client.post(
        reverse("partnerships:activity_add", args=[p.pk]),
        {**body, "title": "B", "responsible": outsider.pk, "status": "planned"},
    )
    assert page.status_code == 200 and "responsible" in page.context["form"].errors
    assert not Activity.objects.filter(title="B").exists()
