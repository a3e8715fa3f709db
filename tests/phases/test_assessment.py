import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from actors.models import Notification, Role, Sector
from partnerships.models import (
    Assessment,
    HealthCheck,
    HealthCheckResponse,
    Indicator,
    Measurement,
    Objective,
)
from partnerships.phases import services as phase_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


def scores(value, **overrides):
    keys = [
        "horizontality",
        "mutual_benefit",
        "recipient_leadership",
        "effectiveness",
        "accountability",
        "trust",
        "communication",
    ]
    return {k: overrides.get(k, value) for k in keys}


def test_progress_from_baseline_to_target():
    assert phase_services.indicator_progress(Decimal(10), Decimal(60), Decimal(35)) == Decimal(
        "50.0"
    )
    assert phase_services.indicator_progress(Decimal(10), Decimal(60), Decimal(70)) == Decimal(
        "120.0"
    )
    # An indicator that should go down: stunting from 40% to 20%.
    assert phase_services.indicator_progress(Decimal(40), Decimal(20), Decimal(35)) == Decimal(
        "25.0"
    )
    assert phase_services.indicator_progress(Decimal(5), Decimal(5), Decimal(5)) == Decimal(100)
    assert phase_services.indicator_progress(Decimal(5), Decimal(5), Decimal(4)) is None


def test_results_use_the_latest_measurement_up_to_the_period_end(partnership):
    objective = Objective.objects.create(partnership=partnership, description="Hygiene")
    hands = Indicator.objects.create(
        objective=objective, name="Hands", unit="%", baseline=10, target=60
    )
    stunting = Indicator.objects.create(
        objective=objective, name="Stunting", unit="%", baseline=40, target=20
    )
    Indicator.objects.create(objective=objective, name="Unmeasured", unit="n", baseline=0, target=5)
    for day, value in ((1, 20), (3, 35), (5, 80)):
        Measurement.objects.create(
            indicator=hands, measured_on=datetime.date(2026, day, 1), value=value
        )
    Measurement.objects.create(indicator=stunting, measured_on=datetime.date(2026, 2, 1), value=30)
    (row,) = phase_services.results_against_objectives(partnership, until=datetime.date(2026, 4, 1))
    by_name = {r.indicator.name: r for r in row["indicators"]}
    assert by_name["Hands"].latest.value == 35 and by_name["Hands"].progress == Decimal("50.0")
    assert by_name["Stunting"].progress == Decimal("50.0")
    assert by_name["Unmeasured"].latest is None and by_name["Unmeasured"].progress is None
    assert row["progress"] == Decimal("50.0")
    (row,) = phase_services.results_against_objectives(partnership)
    by_name = {r.indicator.name: r for r in row["indicators"]}
    assert by_name["Hands"].progress == Decimal("140.0") and by_name["Hands"].reached
    assert row["progress"] == Decimal("75.0")  # capped at 100 per indicator: (100 + 50) / 2


def test_assessment_form_bad_input_saves_nothing(fclient, partnership):
    response = fclient.post(
        url("phase_assessment_new", partnership.pk),
        {"period_start": "2026-06-30", "period_end": "2026-01-01", "recommendation": "party"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The end must not be before the start" in html and "Select a valid choice" in html
    assert not Assessment.objects.exists()
    fclient.post(
        url("phase_assessment_new", partnership.pk),
        {
            "period_start": "2026-01-01",
            "period_end": "2026-06-30",
            "lessons_learned": "Meet often.",
            "recommendation": "continue",
        },
    )
    record = Assessment.objects.get()
    assert record.created_by == partnership.facilitator and record.recommendation == "continue"


@pytest.fixture
def people(partnership):
    public, ngo = [m.organisation for m in partnership.members.order_by("organisation__sector")]
    assert ngo.sector == Sector.PUBLIC or public.sector == Sector.PUBLIC
    orgs = {o.sector: o for o in (public, ngo)}
    return {
        "official": UserFactory(role=Role.OFFICIAL, organisation=orgs[Sector.PUBLIC]),
        "ngo1": UserFactory(role=Role.PARTNER, organisation=orgs[Sector.CIVIL_SOCIETY]),
        "ngo2": UserFactory(role=Role.PARTNER, organisation=orgs[Sector.CIVIL_SOCIETY]),
    }


def test_health_check_is_sent_to_every_representative_and_notifies_them(
    partnership, people, django_capture_on_commit_callbacks
):
    record = Assessment.objects.create(partnership=partnership)
    with django_capture_on_commit_callbacks(execute=True):
        check = phase_services.health_check_send(assessment=record, by=partnership.facilitator)
    assert set(check.recipients.all()) == set(people.values())
    assert Notification.objects.filter(recipient__in=people.values()).count() == 3
    assert len(mail.outbox) == 3
    assert url("phase_health_respond", partnership.pk, check.pk) in Notification.objects.first().url
    with pytest.raises(Exception, match="already been sent"):
        phase_services.health_check_send(assessment=record, by=partnership.facilitator)


def test_one_response_per_person_with_scores_in_range(client, partnership, people):
    record = Assessment.objects.create(partnership=partnership)
    check = phase_services.health_check_send(assessment=record, by=partnership.facilitator)
    client.force_login(people["ngo1"])
    respond = url("phase_health_respond", partnership.pk, check.pk)
    bad = {**scores(3), "trust": "9"}
    response = client.post(respond, bad)
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    missing = scores(3)
    del missing["communication"]
    assert client.post(respond, missing).status_code == 400
    assert not HealthCheckResponse.objects.exists()
    client.post(respond, {**scores(4), "comments": "Good"})
    client.post(respond, scores(1))
    (answer,) = HealthCheckResponse.objects.all()
    assert answer.trust == 4 and answer.sector == Sector.CIVIL_SOCIETY
    with pytest.raises(Exception, match="already answered"):
        phase_services.health_check_respond(check=check, person=people["ngo1"], scores=scores(2))
    client.force_login(partnership.facilitator)  # not a recipient
    assert client.get(respond).status_code == 403


def test_health_check_aggregates_per_attribute_and_sector_and_compares(partnership, people):
    first = Assessment.objects.create(partnership=partnership)
    check1 = phase_services.health_check_send(assessment=first, by=partnership.facilitator)
    phase_services.health_check_respond(check=check1, person=people["official"], scores=scores(2))
    phase_services.health_check_respond(check=check1, person=people["ngo1"], scores=scores(3))
    second = Assessment.objects.create(partnership=partnership)
    check2 = phase_services.health_check_send(assessment=second, by=partnership.facilitator)
    phase_services.health_check_respond(
        check=check2, person=people["official"], scores=scores(4, trust=2)
    )
    phase_services.health_check_respond(
        check=check2, person=people["ngo1"], scores=scores(5, trust=3)
    )
    phase_services.health_check_respond(
        check=check2, person=people["ngo2"], scores=scores(3, trust=4)
    )
    results = phase_services.health_check_results(check2)
    assert results["count"] == 3
    by_key = {a["key"]: a for a in results["attributes"]}
    assert by_key["horizontality"]["mean"] == Decimal("4.00")
    assert by_key["horizontality"]["previous"] == Decimal("2.50")
    assert by_key["horizontality"]["delta"] == Decimal("1.50")
    assert by_key["trust"]["mean"] == Decimal("3.00") and by_key["trust"]["delta"] == Decimal(
        "0.50"
    )
    sectors = {row["sector"]: row for row in results["sectors"]}
    assert sectors[Sector.PUBLIC]["count"] == 1 and sectors[Sector.PUBLIC]["means"][
        "horizontality"
    ] == Decimal("4.00")
    assert sectors[Sector.CIVIL_SOCIETY]["count"] == 2
    assert sectors[Sector.CIVIL_SOCIETY]["means"]["horizontality"] == Decimal("4.00")
    assert sectors[Sector.CIVIL_SOCIETY]["means"]["trust"] == Decimal("3.50")
    assert phase_services.health_check_results(check1)["previous"] is None


def test_assessment_page_shows_results_and_health_check(fclient, partnership, people):
    record = Assessment.objects.create(partnership=partnership, lessons_learned="Trust takes time.")
    check = phase_services.health_check_send(assessment=record, by=partnership.facilitator)
    phase_services.health_check_respond(
        check=check, person=people["ngo1"], scores=scores(4), comments="Listen more"
    )
    html = fclient.get(url("phase_assessment", partnership.pk)).content.decode()
    assert (
        "Trust takes time." in html
        and "Leadership of the recipient" in html
        and "Listen more" in html
    )
    assert HealthCheck.objects.count() == 1
