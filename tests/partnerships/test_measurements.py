"""Measurements belong to who recorded them (issue 14, item 2): members add measurements; only
the recorder or the facilitator corrects or removes one, on the pages and through the API, and
a correction says who made it and when."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actors.models import Role
from partnerships.audit import Action
from partnerships.models import AuditEntry, Measurement, MemberRole
from tests.api.builders import build
from tests.factories import UserFactory, api_for

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def world():
    partnership = build("operation")
    indicator = partnership.objectives.first().indicators.first()
    ngo = partnership.members.get(role=MemberRole.IMPLEMENTER)
    ministry = partnership.members.get(role=MemberRole.PUBLIC_ENTITY)
    partner = UserFactory(role=Role.PARTNER, organisation=ngo.organisation, full_name="Pia Partner")
    other_partner = UserFactory(role=Role.PARTNER, organisation=ministry.organisation)
    by_facilitator = Measurement.objects.create(
        indicator=indicator,
        measured_on=datetime.date(2026, 3, 1),
        value=Decimal("30"),
        recorded_by=partnership.facilitator,
    )
    by_partner = Measurement.objects.create(
        indicator=indicator,
        measured_on=datetime.date(2026, 4, 1),
        value=Decimal("35"),
        recorded_by=partner,
    )
    return {
        "partnership": partnership,
        "indicator": indicator,
        "partner": partner,
        "other_partner": other_partner,
        "by_facilitator": by_facilitator,
        "by_partner": by_partner,
    }


def _edit_url(m):
    return reverse(
        "partnerships:measurement_edit", args=[m.indicator.objective.partnership_id, m.pk]
    )


def _delete_url(m):
    return reverse(
        "partnerships:measurement_delete", args=[m.indicator.objective.partnership_id, m.pk]
    )


# ----- the reproduction: a member changed the facilitator's measurement -------------------------


def test_a_member_cannot_correct_or_remove_the_facilitators_measurement_through_theapi_for(world):
    theirs = world["by_facilitator"]
    api = api_for(world["partner"])
    response = api.patch(f"/api/measurements/{theirs.pk}/", {"value": "99"}, format="json")
    assert response.status_code == 403, response.content
    assert response.json()["reasons"]
    assert api.delete(f"/api/measurements/{theirs.pk}/").status_code == 403
    theirs.refresh_from_db()
    assert theirs.value == Decimal("30") and theirs.corrected_by is None


def test_a_member_cannot_correct_or_remove_the_facilitators_measurement_on_the_pages(client, world):
    theirs = world["by_facilitator"]
    client.force_login(world["partner"])
    assert client.get(_edit_url(theirs)).status_code == 403
    response = client.post(
        _edit_url(theirs),
        {"indicator": theirs.indicator_id, "measured_on": "2026-03-01", "value": "99"},
    )
    assert response.status_code == 403
    assert client.get(_delete_url(theirs)).status_code == 403
    assert client.post(_delete_url(theirs)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.value == Decimal("30")


def test_another_member_cannot_change_a_partners_measurement(client, world):
    mine = world["by_partner"]
    api = api_for(world["other_partner"])
    assert (
        api.patch(f"/api/measurements/{mine.pk}/", {"value": "1"}, format="json").status_code == 403
    )
    assert api.delete(f"/api/measurements/{mine.pk}/").status_code == 403
    client.force_login(world["other_partner"])
    assert client.post(_delete_url(mine)).status_code == 403
    assert Measurement.objects.filter(pk=mine.pk, value=Decimal("35")).exists()


# ----- who may, and what a correction records ---------------------------------------------------


def test_the_recorder_corrects_through_the_api_and_the_correction_says_who_and_when(world):
    mine = world["by_partner"]
    response = api_for(world["partner"]).patch(
        f"/api/measurements/{mine.pk}/", {"value": "36.5"}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["recorded_by"] == world["partner"].pk
    assert body["corrected_by"] == world["partner"].pk and body["corrected_at"]
    mine.refresh_from_db()
    assert mine.value == Decimal("36.5") and mine.corrected_at is not None
    entry = AuditEntry.objects.filter(action=Action.MEASUREMENT_CORRECTED).get()
    assert entry.actor == world["partner"]
    assert entry.data["before"]["value"] == "35.00" and entry.data["after"]["value"] == "36.50"


def test_the_facilitator_corrects_a_members_measurement_on_the_page_and_it_shows(client, world):
    mine = world["by_partner"]
    facilitator = world["partnership"].facilitator
    client.force_login(facilitator)
    response = client.post(
        _edit_url(mine),
        {"indicator": mine.indicator_id, "measured_on": "2026-04-01", "value": "34", "note": ""},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.value == Decimal("34")
    assert mine.recorded_by == world["partner"] and mine.corrected_by == facilitator
    page = client.get(
        reverse("partnerships:phase_operation", args=[world["partnership"].pk])
    ).content.decode()
    assert "Pia Partner" in page
    assert f"corrected by {facilitator.full_name}" in page


def test_the_recorder_removes_its_measurement_on_the_page_after_a_confirmation(client, world):
    mine = world["by_partner"]
    client.force_login(world["partner"])
    confirmation = client.get(_delete_url(mine))
    assert confirmation.status_code == 200
    assert "35" in confirmation.content.decode()
    assert Measurement.objects.filter(pk=mine.pk).exists()
    assert client.post(_delete_url(mine)).status_code == 302
    assert not Measurement.objects.filter(pk=mine.pk).exists()
    entry = AuditEntry.objects.filter(action=Action.MEASUREMENT_REMOVED).get()
    assert entry.actor == world["partner"] and entry.data["value"] == "35.00"


def test_the_facilitator_removes_a_members_measurement_through_theapi_for(world):
    mine = world["by_partner"]
    response = api_for(world["partnership"].facilitator).delete(f"/api/measurements/{mine.pk}/")
    assert response.status_code == 204
    assert not Measurement.objects.filter(pk=mine.pk).exists()


def test_members_still_add_measurements_and_are_their_recorders(client, world):
    api = api_for(world["other_partner"])
    response = api.post(
        "/api/measurements/",
        {"indicator": world["indicator"].pk, "measured_on": "2026-05-01", "value": "40"},
        format="json",
    )
    assert response.status_code == 201, response.content
    created = Measurement.objects.get(pk=response.json()["id"])
    assert created.recorded_by == world["other_partner"] and created.corrected_by is None
    # ... and, being its recorder, may now correct it.
    response = api.patch(f"/api/measurements/{created.pk}/", {"value": "41"}, format="json")
    assert response.status_code == 200, response.content


def test_the_operation_page_offers_correct_and_remove_only_where_allowed(client, world):
    client.force_login(world["partner"])
    page = client.get(
        reverse("partnerships:phase_operation", args=[world["partnership"].pk])
    ).content.decode()
    assert _edit_url(world["by_partner"]) in page
    assert _delete_url(world["by_partner"]) in page
    assert _edit_url(world["by_facilitator"]) not in page
    assert _delete_url(world["by_facilitator"]) not in page


def test_a_correction_in_the_admin_says_who_made_it(client, world):
    mine = world["by_partner"]
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:partnerships_measurement_change", args=[mine.pk])
    response = client.post(
        url,
        {
            "indicator": mine.indicator_id,
            "measured_on": "2026-04-01",
            "value": "33",
            "note": "Recount.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine.refresh_from_db()
    assert (mine.value, mine.recorded_by, mine.corrected_by) == (
        Decimal("33"),
        world["partner"],
        admin,
    )
