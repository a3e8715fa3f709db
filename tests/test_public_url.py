"""Links that leave the browser (PDF footers, QR codes, emails, calendar feeds) point at the
address people reach the installation at: ``ALIANZA_PUBLIC_URL``, not a port someone assumed."""

import datetime
import io
import os
import subprocess
from pathlib import Path

import icalendar
import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from pypdf import PdfReader

from actors.links import absolute_url
from actors.notify import notify
from config.settings.env import env_url
from reminders import calendar
from reports import services
from tests.factories import UserFactory
from tests.reports.conftest import designed_partnership, open_design_gate, pdf_text

PUBLIC = "https://alianza.example.org:8443"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def public_url(settings):
    settings.ALIANZA_PUBLIC_URL = PUBLIC
    return PUBLIC


def _pages_as_images(data: bytes, tmp_path):
    from PIL import Image

    (tmp_path / "doc.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "110", "-png", str(tmp_path / "doc.pdf"), str(tmp_path / "page")],
        check=True,
    )
    return [Image.open(p) for p in sorted(tmp_path.glob("page*.png"))]


def _qr_codes(data: bytes, tmp_path) -> list[str]:
    import zxingcpp

    found = []
    for image in _pages_as_images(data, tmp_path):
        found += [code.text for code in zxingcpp.read_barcodes(image)]
    return found


@pytest.mark.django_db
def test_the_pdf_footer_qr_code_and_signature_name_the_public_address(public_url, tmp_path):
    draft = open_design_gate(designed_partnership()).documents.get()
    produced = services.document_render(document_id=draft.pk)
    assert produced is not None, produced
    data = produced.file.read()

    text = " ".join(pdf_text(data).split())
    assert f"{PUBLIC}/verify/" in text
    assert "127.0.0.1" not in text and "localhost" not in text
    assert _qr_codes(data, tmp_path) == [f"{PUBLIC}/verify/?code={draft.verification_code}"]
    signature = PdfReader(io.BytesIO(data)).get_fields()
    locations = [f["/V"].get("/Location") for f in signature.values() if f.get("/FT") == "/Sig"]
    assert locations == [PUBLIC]


@pytest.mark.django_db
def test_emails_link_to_the_public_address(public_url, django_capture_on_commit_callbacks):
    person = UserFactory(full_name="Walter Quispe")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=person, title="Something happened", url="/partnerships/7/")
    [email] = mail.outbox
    html = email.alternatives[0][0]
    for body in (email.body, html):
        assert f"{PUBLIC}/partnerships/7/" in body
        assert "127.0.0.1" not in body


@pytest.mark.django_db
def test_the_calendar_feed_and_its_address_use_the_public_address(public_url, client):
    from reminders.services import calendar_feed_regenerate
    from tests.reminders.conftest import in_operation

    partnership = in_operation(datetime.date(2026, 1, 1))
    person = partnership.facilitator
    feed = icalendar.Calendar.from_ical(calendar.feed_for(person))
    urls = [str(e.get("url")) for e in feed.walk("VEVENT")]
    assert urls and all(u == f"{PUBLIC}{partnership.get_absolute_url()}" for u in urls)

    subscription = calendar_feed_regenerate(user=person)
    client.force_login(person)
    page = client.get(reverse("reminders:preferences"), HTTP_HOST="127.0.0.1").content.decode()
    assert f"{PUBLIC}{subscription.get_absolute_url()}" in page


def test_absolute_url_joins_the_public_address_and_a_path(settings):
    settings.ALIANZA_PUBLIC_URL = PUBLIC
    assert absolute_url("/verify/") == f"{PUBLIC}/verify/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("http://127.0.0.1:8011", "http://127.0.0.1:8011"),
        ("https://alianza.example.org/", "https://alianza.example.org"),
    ],
)
def test_the_setting_is_read_from_the_environment(monkeypatch, raw, expected):
    monkeypatch.setenv("ALIANZA_PUBLIC_URL", raw)
    assert env_url("ALIANZA_PUBLIC_URL", "http://127.0.0.1:8000") == expected


@pytest.mark.parametrize(
    "raw", ["127.0.0.1:8011", "ftp://example.org", "https://", "https://example.org/app?x=1"]
)
def test_a_malformed_public_address_stops_the_start(monkeypatch, raw):
    monkeypatch.setenv("ALIANZA_PUBLIC_URL", raw)
    with pytest.raises(ImproperlyConfigured, match="ALIANZA_PUBLIC_URL"):
        env_url("ALIANZA_PUBLIC_URL", "http://127.0.0.1:8000")


def test_make_run_serves_and_links_on_the_same_host():
    env = {k: v for k, v in os.environ.items() if k != "ALIANZA_PUBLIC_URL"}
    dry = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1:8011"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [serve] = [line for line in dry.splitlines() if "runserver" in line]
    assert "ALIANZA_PUBLIC_URL=http://127.0.0.1:8011" in serve and "127.0.0.1:8011" in serve
    [demo] = [line for line in dry.splitlines() if "load_demo" in line]
    assert "ALIANZA_PUBLIC_URL=http://127.0.0.1:8011" in demo
