"""Every change of a record is an audit entry when it happens, attributed to whoever made it,
whatever the door: a page, the API with a token, the admin, code run on someone's behalf. One
mechanism (partnerships.audit.tracking) under all of them, and every model has a decision."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from actors.deferred import render
from partnerships.audit import Action, describe
from partnerships.audit.context import acting_as
from partnerships.audit.tracking import tracked_models
from partnerships.models import Activity, AuditEntry
from tests.factories import api_for

pytestmark = pytest.mark.django_db

# The models whose writes are recorded otherwise, in the services' own words or by the system
# itself, and why; every other model of these apps must be tracked.
RECORDED_ELSEWHERE = {
    "partnerships.auditentry": "the trail itself",
    "partnerships.phasechange": "services.partnership_transition records each transition",
    "partnerships.gaterequest": "gates.signoff records requests, decisions and cancellations",
    "partnerships.gateapproval": "gates.signoff records each approval and refusal",
    "partnerships.agreementversion": "frozen by the system when a gate passes",
    "partnerships.tally": "counts kept by the system",
    "partnerships.tallydelta": "counts kept by the system",
    "partnerships.healthcheck": "sent by the facilitator through phases.services, with its mail",
    "partnerships.healthcheckresponse": "anonymous by design: a respondent's scores",
    "partnerships.amendment": "amendments.services and .signing record each opening, "
    "submission, withdrawal and signature in their own words",
}
APPS = ("partnerships", "risks")


@pytest.fixture
def operating():
    from tests.api.builders import build

    return build("operation")


def _entries(**filters):
    return AuditEntry.objects.filter(action__startswith="record.", **filters).order_by("seq")


def test_every_model_of_the_partnerships_and_risks_is_tracked_or_says_why_not():
    undecided = [
        model._meta.label_lower
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if model not in tracked_models() and model._meta.label_lower not in RECORDED_ELSEWHERE
    ]
    assert undecided == []


def test_a_page_writes_one_entry_of_its_person_in_their_words(client, operating):
    client.force_login(operating.facilitator)
    before = _entries().count()
    response = client.post(
        reverse("partnerships:activity_add", args=[operating.pk]),
        {
            "title": "Cooking workshops",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-31",
            "status": "planned",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="Cooking workshops")
    [entry] = _entries()[before:]
    assert (entry.action, entry.actor, entry.object_id) == (
        Action.RECORD_CREATED,
        operating.facilitator,
        str(activity.pk),
    )
    assert entry.data["partnership"] == operating.pk
    with translation.override("es"):
        described = describe(entry)
        lines = [render(c) for c in entry.data["changes"]]
    assert described.label == "Añadido: actividad"
    assert "título: Cooking workshops" in lines


def test_the_api_with_a_token_writes_one_entry_of_the_tokens_person(operating):
    api = api_for(operating.facilitator)
    before = _entries().count()
    response = api.post(
        "/api/meetings/",
        {"partnership": operating.pk, "title": "Steering", "held_at": "2026-04-15T10:00:00Z"},
        format="json",
    )
    assert response.status_code == 201, response.content
    [entry] = _entries()[before:]
    assert entry.actor == operating.facilitator and entry.object_type == "partnerships.meeting"


def test_the_admin_writes_one_entry_of_the_administrator_naming_what_changed(
    admin_client, operating
):
    activity = Activity.objects.create(
        partnership=operating,
        title="Radio spots",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 3, 2),
    )
    before = _entries().count()
    response = admin_client.post(
        reverse("admin:partnerships_activity_change", args=[activity.pk]),
        {
            "partnership": operating.pk,
            "title": "Radio spots in Quechua",
            "description": "",
            "starts_on": "2026-03-01",
            "ends_on": "2026-03-02",
            "responsible": "",
            "status": activity.status,
            "indicator": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    [entry] = _entries()[before:]
    assert entry.action == Action.RECORD_CHANGED and entry.actor.is_superuser
    with translation.override("en"):
        assert [render(c) for c in entry.data["changes"]] == [
            "title: Radio spots → Radio spots in Quechua"
        ]


def test_code_run_for_someone_is_theirs_and_a_save_that_changes_nothing_writes_nothing(
    operating,
):
    with acting_as(operating.facilitator):
        activity = Activity.objects.create(
            partnership=operating,
            title="Seed fair",
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 5, 2),
        )
    entry = _entries().last()
    assert entry.actor == operating.facilitator and entry.object_id == str(activity.pk)
    count = _entries().count()
    Activity.objects.get(pk=activity.pk).save()
    assert _entries().count() == count
    activity.delete()
    assert _entries().last().action == Action.RECORD_DELETED
    assert _entries().last().actor is None  # nobody named: the system, and it says so
