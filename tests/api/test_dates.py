"""Dates stay within sense (issue 14, item 8): pages and API accept dates from 1950 to 2100
(``actors.dates``), and every date-time the API writes is valid RFC 3339."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actors.models import Role
from partnerships.forms import PartnershipForm
from partnerships.models import Meeting
from reports.forms import ProgressReportForm
from risks import services as risk_services
from risks.models import Category
from tests.factories import UserFactory

from .builders import build

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "Enter a date between 1950 and 2100."
RFC_3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")
LIMA = ZoneInfo("America/Lima")


def test_the_api_refuses_a_meeting_in_the_year_698(client_for):
    """It was stored, and came back as ``0698-05-01T10:00:00-05:08:12``."""
    p = build("operation")
    api = client_for(p.facilitator)
    for held_at in ("0698-05-01T10:00:00-05:00", "2101-06-01T00:00:00Z"):
        response = api.post(
            "/api/meetings/",
            {"partnership": p.pk, "title": "Steering", "held_at": held_at},
            format="json",
        )
        assert response.status_code == 400, held_at
        assert response.json()["errors"] == {"held_at": [OUT_OF_RANGE]}
    assert not Meeting.objects.filter(title="Steering").exists()
    spanish = api.post(
        "/api/meetings/",
        {"partnership": p.pk, "title": "Steering", "held_at": "0698-05-01T10:00:00-05:00"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert spanish.json()["errors"] == {"held_at": ["Ingrese una fecha entre 1950 y 2100."]}
    response = api.post(
        "/api/meetings/",
        {"partnership": p.pk, "title": "Steering", "held_at": "2026-05-01T10:00:00-05:00"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["held_at"] == "2026-05-01T10:00:00-05:00"


def _date_properties(schema, component):
    """Names of the date and date-time properties (or lists of dates) of a request body."""
    properties = schema["components"]["schemas"][component]["properties"]
    for name, prop in properties.items():
        if prop.get("readOnly"):
            continue
        kind = prop.get("format") or prop.get("items", {}).get("format")
        if kind in {"date", "date-time"}:
            yield name, kind, prop.get("type") == "array"


def test_every_date_the_api_takes_is_kept_in_range(client, client_for):
    """Every create operation, every date field in its body: the year 698 is refused."""
    build("operation")
    api = client_for(UserFactory(role=Role.ADMINISTRATOR))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    checked = []
    for path, operations in schema["paths"].items():
        operation = operations.get("post")
        if operation is None or "requestBody" not in operation:
            continue
        ref = operation["requestBody"]["content"]["application/json"]["schema"].get("$ref", "")
        for name, kind, is_list in _date_properties(schema, ref.rsplit("/", 1)[-1]):
            bad = "0698-05-01" if kind == "date" else "0698-05-01T10:00:00Z"
            response = api.post(path, {name: [bad] if is_list else bad}, format="json")
            assert response.status_code == 400, (path, name)
            assert OUT_OF_RANGE in str(response.json()["errors"].get(name)), (path, name)
            checked.append((path, name))
    assert ("/api/meetings/", "held_at") in checked
    assert ("/api/partnerships/", "assessment_dates") in checked
    assert len(checked) >= 12, checked


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


def test_every_date_time_the_api_writes_is_rfc_3339(client_for):
    """A meeting stored before the range existed (or imported) at 1900, when Lima kept local
    mean time, came back with a ``-05:08:12`` offset, which RFC 3339 does not allow."""
    p = build("operation")
    old = Meeting.objects.create(
        partnership=p, title="Founding", held_at=datetime.datetime(1900, 1, 1, 12, tzinfo=LIMA)
    )
    Meeting.objects.create(
        partnership=p, title="Now", held_at=datetime.datetime(2026, 5, 1, 10, tzinfo=LIMA)
    )
    api = client_for(p.facilitator)
    body = api.get(f"/api/meetings/{old.pk}/").json()
    assert RFC_3339.fullmatch(body["held_at"]), body["held_at"]
    assert datetime.datetime.fromisoformat(body["held_at"]) == old.held_at
    rows = api.get("/api/meetings/", {"partnership": p.pk}).json()["results"]
    assert {r["title"]: r["held_at"] for r in rows}["Now"] == "2026-05-01T10:00:00-05:00"
    seen = 0
    for path in (
        "/api/meetings/",
        "/api/phase-changes/",
        "/api/gate-requests/",
        "/api/partnerships/",
    ):
        for text in _strings(api.get(path).json()):
            if re.match(r"\d{4}-\d\d-\d\dT", text):
                assert RFC_3339.fullmatch(text), (path, text)
                seen += 1
    assert seen >= 6


def test_the_pages_refuse_dates_out_of_range_too(client):
    p = build("operation")
    client.force_login(p.facilitator)
    page = client.post(
        reverse("partnerships:meeting_add", args=[p.pk]),
        {"title": "Steering", "held_at": "0698-05-01T10:00"},
    )
    assert page.status_code == 200
    assert page.context["form"].errors["held_at"] == [OUT_OF_RANGE]
    assert not Meeting.objects.filter(title="Steering").exists()

    form = PartnershipForm(
        {
            "title": "T",
            "country": "PE",
            "start_date": "2200-01-01",
            "assessment_dates": "0698-01-01",
        },
        instance=build("design"),  # a signed agreement's dates are not edited at all
    )
    assert not form.is_valid()
    assert form.errors["start_date"] == [OUT_OF_RANGE]
    assert form.errors["assessment_dates"] == [OUT_OF_RANGE]

    report = ProgressReportForm({"period_start": "0698-01-01", "period_end": "2026-01-01"})
    assert not report.is_valid() and report.errors["period_start"] == [OUT_OF_RANGE]


def test_a_risk_review_is_dated_within_range():
    p = build("operation")
    risk = risk_services.risk_create(
        partnership=p,
        by=p.facilitator,
        title="Turnover",
        category=Category.POLITICAL,
        likelihood=2,
        impact=2,
    )
    with pytest.raises(ValidationError) as refused:
        risk_services.risk_review(
            risk=risk,
            by=p.facilitator,
            likelihood=3,
            impact=3,
            reviewed_on=datetime.date(698, 5, 1),
            next_review_on=datetime.date(2200, 1, 1),
        )
    assert refused.value.message_dict == {
        "reviewed_on": [OUT_OF_RANGE],
        "next_review_on": [OUT_OF_RANGE],
    }
    with pytest.raises(ValidationError) as refused:
        risk_services.risk_create(
            partnership=p,
            by=p.facilitator,
            title="Floods",
            category=Category.FORCE_MAJEURE,
            likelihood=2,
            impact=2,
            next_review_on=datetime.date(2200, 1, 1),
        )
    assert refused.value.message_dict["next_review_on"] == [OUT_OF_RANGE]
