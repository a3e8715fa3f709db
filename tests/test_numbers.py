"""Numbers read like numbers: amounts grouped with their currency's precision, counts and
measurements grouped without trailing zeros, in the reader's language, on pages, dashboards,
PDFs and emails; ids in addresses stay plain digits; a partnership in Peru counts in soles."""

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from actors import numbers
from actors.models import Role
from partnerships.models import (
    Contribution,
    ContributionKind,
    Delivery,
    Indicator,
    Measurement,
    Partnership,
)
from partnerships.reference.codes import country_currency
from reminders import services as reminders
from reminders.models import Kind, Reminder
from reports import services as documents
from risks import services as risk_services
from risks.models import Category
from tests.factories import UserFactory
from tests.reports.conftest import (
    approve_and_start,
    designed_partnership,
    open_design_gate,
    pdf_text,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def flat(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", ["PEN 300,000.00", "CLP 1,500", "3,920,000.00", "3,000", "2.5", "35%"]),
        ("es", ["300.000,00 PEN", "1.500 CLP", "3.920.000,00", "3.000", "2,5", "35 %"]),
    ],
)
def test_amounts_and_quantities_in_each_language(language, expected):
    with translation.override(language):
        got = [
            numbers.amount(300000, "PEN"),
            numbers.amount(Decimal("1500.00"), "CLP"),
            numbers.figure(3920000, "PEN"),
            numbers.quantity(Decimal("3000.00")),
            numbers.quantity(Decimal("2.50")),
            numbers.percent(35),
        ]
    assert [flat(g) for g in got] == expected
    assert numbers.amount(None, "PEN") == numbers.quantity("") == "—"


# ----- a partnership with real numbers -----------------------------------------------------------


def peru_partnership(language="en"):
    """In operation, with 300,000 PEN planned of which 105,000 delivered, and an indicator of
    3,000 households (1,200 reached)."""
    partnership = designed_partnership(language=language)
    funder = partnership.members.get(role="funder")
    Contribution.objects.create(
        partnership=partnership,
        member=funder,
        kind=ContributionKind.FINANCIAL,
        description="Filtros de agua",
        planned_amount=Decimal("300000.00"),
        currency="PEN",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
    )
    Indicator.objects.create(
        objective=partnership.objectives.first(),
        name="Hogares con agua segura",
        unit="households",
        baseline=Decimal("0.00"),
        target=Decimal("3000.00"),
    )
    partnership = approve_and_start(partnership, open_design_gate(partnership))
    contribution = partnership.contributions.get(currency="PEN")
    Delivery.objects.create(
        contribution=contribution, delivered_on=datetime.date(2026, 3, 1), amount=105000
    )
    contribution.delivered_amount = Decimal("105000.00")
    contribution.save()
    Measurement.objects.create(
        indicator=Indicator.objects.get(name="Hogares con agua segura"),
        measured_on=datetime.date(2026, 3, 1),
        value=Decimal("1200.00"),
    )
    risk_services.risk_create(
        partnership=partnership,
        by=partnership.facilitator,
        title="Rotación de funcionarios",
        category=Category.POLITICAL,
        likelihood=3,
        impact=4,
    )
    return partnership


EXPECTED = {
    "en": {"amount": "PEN 300,000.00", "figure": "300,000.00", "delivered": "105,000.00"},
    "es": {"amount": "300.000,00 PEN", "figure": "300.000,00", "delivered": "105.000,00"},
}
RAW = ["300000", "105000", "3000.00", "1200.00"]


def _page(client, url, language):
    """The text of a page (tags dropped) as a person reading ``language`` sees it."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    return flat(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("language", ["en", "es"])
def test_pages_and_dashboards_group_amounts_and_quantities(client, language):
    partnership = peru_partnership()
    want = EXPECTED[language]
    client.force_login(partnership.facilitator)
    detail = _page(client, partnership.get_absolute_url(), language)
    assert f"{want['figure']} PEN" in detail and f"{want['delivered']} PEN" in detail
    grouped = "3,000" if language == "en" else "3.000"
    assert grouped in detail and ("1,200" if language == "en" else "1.200") in detail
    listing = _page(client, reverse("partnerships:list"), language)
    operation = _page(
        client, reverse("partnerships:phase_operation", args=[partnership.pk]), language
    )
    assert want["amount"] in operation and f"{grouped} households" in operation
    for page in (detail, listing, operation):
        assert not any(raw in page for raw in RAW), [r for r in RAW if r in page]

    donor = UserFactory(
        role=Role.DONOR, organisation=partnership.members.get(role="funder").organisation
    )
    client.force_login(donor)
    dashboard = _page(client, reverse("dashboard"), language)
    assert want["figure"] in dashboard and want["delivered"] in dashboard
    assert not any(raw in dashboard for raw in RAW)


@pytest.mark.parametrize("language", ["en", "es"])
def test_pdfs_group_amounts_and_quantities(language):
    partnership = peru_partnership(language=language)
    want = EXPECTED[language]
    agreement = documents.document_request_agreement(partnership=partnership)
    assert documents.document_render(document_id=agreement.pk) is not None
    agreement.refresh_from_db()
    text = flat(pdf_text(agreement.file.read()))
    assert want["amount"] in text
    assert ("3,000" if language == "en" else "3.000") in text

    report = documents.document_request_progress(
        partnership=partnership,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 6, 30),
        by=partnership.facilitator,
    )
    assert documents.document_render(document_id=report.pk) is not None
    report.refresh_from_db()
    progress = flat(pdf_text(report.file.read()))
    assert want["figure"] in progress and want["delivered"] in progress
    assert ("1,200 / 3,000 households" if language == "en" else "1.200 / 3.000 households") in (
        progress
    )
    for text in (text, progress):
        assert not any(raw in text for raw in RAW), [r for r in RAW if r in text]


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_reminder_email_groups_the_amounts(language):
    partnership = peru_partnership()
    contribution = partnership.contributions.get(currency="PEN")
    person = UserFactory(language=language, full_name="Walter Quispe")
    reminder = Reminder.objects.create(
        kind=Kind.CONTRIBUTION_SHORT,
        subject=contribution,
        occasion="lead-0",
        partnership=partnership,
        recipient=person,
        due_on=contribution.period_end,
    )
    assert reminders.reminder_send(reminder_id=reminder.pk) == reminders.SENT
    [email] = mail.outbox
    want = EXPECTED[language]
    assert f"{want['delivered']}" in flat(email.body) and want["figure"] in flat(email.body)
    assert "105000" not in email.body and "300000" not in email.body


# ----- the country's currency ---------------------------------------------------------------------


def test_a_country_has_its_currency():
    assert [country_currency(c) for c in ("PE", "CL", "ES", "US", "CO")] == [
        "PEN",
        "CLP",
        "EUR",
        "USD",
        "COP",
    ]
    # A currency the forms do not offer, or no country: dollars, as before.
    assert country_currency("JP") == "USD" and country_currency("") == "USD"


def test_a_new_partnership_in_peru_counts_in_soles(client):
    facilitator = UserFactory(role=Role.FACILITATOR)
    client.force_login(facilitator)
    form = client.get(reverse("partnerships:create")).content.decode()
    assert 'name="currency"' in form
    for title, extra, expected in (
        ("Agua para Ayacucho", {}, "PEN"),
        ("Agua para Arica", {"country": "CL"}, "CLP"),
        ("Agua en dólares", {"currency": "USD"}, "USD"),
    ):
        data = {"title": title, "country": "PE", "language": "es", "currency": "", **extra}
        data.update({"facilitator": facilitator.pk, "assessment_every_months": 6})
        response = client.post(reverse("partnerships:create"), data)
        assert response.status_code == 302, response.context["form"].errors
        assert Partnership.objects.get(title=title).currency == expected

    api = APIClient()
    api.force_authenticate(facilitator)
    made = api.post("/api/partnerships/", {"title": "Por API", "country": "PE"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["currency"] == "PEN"


# ----- ids and page numbers stay digits ----------------------------------------------------------

BIG = 1_234_567
GROUPED = re.compile(r"\d{1,3}([.,\u00a0\u202f ])\d{3}\1\d{3}")
# Attributes people read: a grouped number there is right.
READ = {"title", "aria-label", "alt", "placeholder", "content", "aria-description", "data-label"}


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.grouped, self.links = [], []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value and name not in READ and GROUPED.search(value):
                self.grouped.append(f"<{tag} {name}={value!r}>")
            if tag == "a" and name == "href" and value:
                self.links.append(value)


@pytest.fixture
def big_ids():
    """Every new row gets an id over a million (grouped as "1,234,567" or "1.234.567" if a
    template localised it); the sequences go back to where they were afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("sequences are moved with PostgreSQL's setval")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name = 'id'"
        )
        sequences = []
        for (table,) in cursor.fetchall():
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [f'"{table}"'])
            sequences += [seq for (seq,) in cursor.fetchall() if seq]
        before = {}
        for seq in sequences:
            cursor.execute(f"SELECT last_value, is_called FROM {seq}")  # noqa: S608
            before[seq] = cursor.fetchone()
            cursor.execute("SELECT setval(%s, %s, false)", [seq, BIG])
    yield
    # The test's rows are rolled back: the sequences go back to where they were.
    with connection.cursor() as cursor:
        for seq, (value, called) in before.items():
            cursor.execute("SELECT setval(%s, %s, %s)", [seq, value, called])


@pytest.mark.postgres
@pytest.mark.parametrize("language", ["en", "es"])
def test_ids_in_addresses_and_attributes_are_never_grouped(client, big_ids, language):
    partnership = peru_partnership()
    assert partnership.pk >= BIG
    client.force_login(partnership.facilitator)
    start = [
        reverse("dashboard"),
        partnership.get_absolute_url(),
        reverse("risks:portfolio"),
        reverse("reminders:notifications"),
        reverse("partnerships:my_signoffs"),
    ]
    seen, queue, problems = set(), list(start), []
    while queue and len(seen) < 60:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Attributes()
        parser.feed(response.content.decode())
        problems += [f"{url}: {g}" for g in parser.grouped]
        for link in parser.links:
            parts = urlsplit(link)
            path = parts.path
            if parts.netloc or not path.startswith(("/partnerships/", "/risks/", "/reports/")):
                continue
            if any(s in path for s in ("/download", ".xml", ".csv", ".xlsx", "/export")):
                continue
            queue.append(path + (f"?{parts.query}" if parts.query else ""))
    assert len(seen) > 15
    assert not problems, problems[:20]
