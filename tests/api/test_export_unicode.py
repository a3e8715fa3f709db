"""No export breaks on unusual characters. Whatever Unicode people type or send through the API
into a field that an export reads, every export (CSV and XLSX datasets, IATI XML, the calendar
feed; pages and API) still answers 200 with a file that parses back: each format drops, at its
boundary, what it cannot carry (partnerships/exports/text.py)."""

import csv
import datetime
import io

import icalendar
import pytest
from django.db.models import Q
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl import load_workbook

from actors.models import Organisation, User
from partnerships import exports
from partnerships.exports.text import csv_text, ical_text, xlsx_text
from partnerships.models import (
    Activity,
    Contribution,
    Indicator,
    Measurement,
    Objective,
    Partnership,
)
from reminders.models import CalendarFeed
from risks.models import Category, Risk

from .builders import build

pytestmark = pytest.mark.django_db

# The text fields that an export reads, per model (the organisations' and people's of the
# partnership's members, facilitator, signatories and receiver).
TEXT_FIELDS = {
    Partnership: [
        "title",
        "reference",
        "problem",
        "common_interest",
        "general_objective",
        "territory",
        "handover_note",
    ],
    Organisation: ["name", "acronym", "iati_identifier", "subtype"],
    User: ["full_name"],
    Contribution: ["description"],
    Objective: ["description"],
    Indicator: ["name", "unit", "means_of_verification"],
    Measurement: ["note"],
    Activity: ["title"],
    Risk: ["title"],
}


def _exports(partnership) -> list[str]:
    urls = []
    for name in exports.datasets():
        for fmt in exports.FORMATS:
            urls += [f"/exports/{name}.{fmt}", f"/api/exports/{name}.{fmt}"]
    return urls + [
        "/exports/iati.xml",
        f"/partnerships/{partnership.pk}/iati.xml",
        "/api/exports/iati.xml",
        f"/api/partnerships/{partnership.pk}/iati/",
    ]


def _parse(url: str, response):
    """The file parsed back, failing the test when it is not well-formed."""
    assert response.status_code == 200, (url, response.status_code)
    if url.endswith(".csv"):
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
    if url.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    return etree.fromstring(response.content)


@pytest.fixture
def everything(client, client_for):
    """A closed partnership with every kind of record an export reads, a facilitator signed in
    on the pages and the API, and their calendar feed."""
    partnership = build("closure_transferred")
    Activity.objects.create(
        partnership=partnership,
        title="Train promoters",
        starts_on=datetime.date.today(),
        ends_on=datetime.date.today() + datetime.timedelta(days=10),
    )
    Risk.objects.create(
        partnership=partnership,
        title="Staff turnover",
        category=Category.choices[0][0],
        likelihood=3,
        impact=4,
        next_review_on=datetime.date.today() + datetime.timedelta(days=5),
    )
    Contribution.objects.filter(partnership=partnership).update(
        period_end=datetime.date.today() + datetime.timedelta(days=30)
    )
    client.force_login(partnership.facilitator)
    feed = CalendarFeed.objects.create(user=partnership.facilitator)
    return {
        "partnership": partnership,
        "page": client,
        "api": client_for(partnership.facilitator),
        "feed": f"/reminders/calendar/{feed.pk}/{feed.token}.ics",
    }


def _records(partnership) -> dict:
    organisations = Organisation.objects.filter(
        Q(memberships__partnership=partnership) | Q(pk=partnership.transferred_to_id)
    )
    people = User.objects.filter(
        Q(pk=partnership.facilitator_id) | Q(signatory_for__partnership=partnership)
    )
    return {
        Partnership: Partnership.objects.filter(pk=partnership.pk),
        Organisation: organisations,
        User: people,
        Contribution: Contribution.objects.filter(partnership=partnership),
        Objective: Objective.objects.filter(partnership=partnership),
        Indicator: Indicator.objects.filter(objective__partnership=partnership),
        Measurement: Measurement.objects.filter(indicator__objective__partnership=partnership),
        Activity: Activity.objects.filter(partnership=partnership),
        Risk: Risk.objects.filter(partnership=partnership),
    }


def _write(partnership, text: str) -> None:
    """``text`` into every text field an export reads (cut to each field's length; unique
    fields get a suffix per row)."""
    for model, queryset in _records(partnership).items():
        for n, pk in enumerate(queryset.values_list("pk", flat=True).distinct()):
            values = {}
            for name in TEXT_FIELDS[model]:
                field = model._meta.get_field(name)
                suffix = f" {n}" if field.unique else ""
                limit = (field.max_length or 10_000) - len(suffix)
                values[name] = text[:limit] + suffix
            model.objects.filter(pk=pk).update(**values)
    Partnership.objects.filter(pk=partnership.pk).update(sdg_targets=[text[:20]])


# Any character PostgreSQL stores (every code point but NUL and the surrogates, which UTF-8
# cannot encode: forms and the API refuse NUL), with the control characters and
# non-characters that used to break the exports made likely.
UNUSUAL = st.sampled_from(["\ufffe", "\uffff", "\x01", "\x0b", "\x1f", "\x7f", "\r", "=", "\u2028"])
TEXT = st.text(
    alphabet=st.one_of(UNUSUAL, st.characters(codec="utf-8", exclude_characters="\x00")),
    max_size=40,
)


def _lines(value) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@example(text="Nota con \ufffe en medio")
@example(text="XM-\x01-0001")
@example(text='=HYPERLINK("http://x")')
# A reference with a newline and characters outside Latin-1 once broke the IATI download's
# Content-Disposition header (a 500 on /partnerships/<id>/iati.xml).
@example(text="\nëÍ\U000b38cfH")
@example(text="\r")  # a lone carriage return comes back from the XLSX as it went in
@given(text=TEXT)
def test_every_export_answers_a_well_formed_file_whatever_the_text(everything, text):
    partnership = everything["partnership"]
    _write(partnership, text)
    for url in _exports(partnership):
        client = everything["api"] if url.startswith("/api/") else everything["page"]
        parsed = _parse(url, client.get(url))
        if url.endswith("indicators.csv"):
            notes = {row[-1] for row in parsed if "measurement" in row}
            assert csv_text(text[:300]) in notes
        if url.endswith("indicators.xlsx"):
            notes = {row[-1] for row in parsed if "measurement" in row}
            # XML may read a line break back as a line feed, or keep a lone carriage return
            # (openpyxl escapes it as _x000D_): compare the text with line breaks alike.
            assert _lines(xlsx_text(text[:300])) in {_lines(n) for n in notes}
    calendar = everything["page"].get(everything["feed"])
    assert calendar.status_code == 200
    events = icalendar.Calendar.from_ical(calendar.content).walk("VEVENT")
    summaries = {str(e.get("summary")) for e in events}
    assert ical_text(f"Activity ends: {text[:250]}") in summaries


def test_a_measurement_note_with_u_fffe_no_longer_breaks_the_exports(client):
    partnership = build("operation")
    Measurement.objects.filter(indicator__objective__partnership=partnership).update(
        note="Medido \ufffe en campo"
    )
    client.force_login(partnership.facilitator)
    for url in ("/exports/indicators.xlsx", "/exports/iati.xml", "/api/exports/iati.xml"):
        _parse(url, client.get(url))
    rows = _parse("/exports/indicators.xlsx", client.get("/exports/indicators.xlsx"))
    assert "Medido  en campo" in {row[-1] for row in rows}


def test_an_organisation_identifier_with_u_0001_set_through_the_api_exports(client_for):
    partnership = build("operation")
    api = client_for(partnership.facilitator)
    organisation = partnership.members.first().organisation
    response = api.patch(
        f"/api/organisations/{organisation.pk}/", {"iati_identifier": "PE-\x01RUC-1"}, format="json"
    )
    assert response.status_code == 200, response.content
    for url in (
        "/api/exports/iati.xml",
        f"/api/partnerships/{partnership.pk}/iati/",
        "/api/exports/members.xlsx",
    ):
        parsed = _parse(url, api.get(url))
    xml = _parse("/api/exports/iati.xml", api.get("/api/exports/iati.xml"))
    refs = {el.get("ref") for el in xml.iter("participating-org")}
    assert "PE-RUC-1" in refs  # the control character dropped, the identifier kept
    assert parsed  # the members workbook parsed


def test_csv_cells_never_start_a_formula():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\x01=1"):
        assert csv_text(text).startswith("'"), text
    assert csv_text("Agua = vida") == "Agua = vida"
