"""The public verification page cannot be used to stall the server: what one uploaded PDF may
cost is bounded (counts in the raw bytes, then a child process limited in memory and CPU), and
anonymous file checks are limited per client address."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reports import services, signing
from tests.factories import UserFactory

from .conftest import designed_partnership, open_design_gate
from .hostile_pdf import hostile_pdf

pytestmark = pytest.mark.django_db

COULD_NOT = "This file could not be checked"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def signed_pdf():
    """A small PDF signed by the installation (no database needed)."""
    return signing.sign_pdf(
        services.html_to_pdf("<p>Acta</p>"), reason="Test", verification_code="ABCD-EFGH-JKMN"
    )


def _verify(client, data: bytes, **extra):
    upload = SimpleUploadedFile("agreement.pdf", data, content_type="application/pdf")
    return client.post(reverse("reports:verify"), {"file": upload}, **extra)


def test_a_nine_megabyte_file_of_signature_fields_answers_that_it_could_not_be_checked(
    client, signed_pdf
):
    data = hostile_pdf(signed_pdf, fields=145_000)
    assert 8_000_000 < len(data) < 10 * 1024 * 1024
    response = _verify(client, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert COULD_NOT in page and "too large or too complex" in page
    assert "Authentic" not in page


def test_fields_hidden_in_an_object_stream_are_counted_by_the_checking_process(signed_pdf):
    from reports import pdf_check

    # 5,000 compressed signature fields: few enough objects to pass the raw counts, and the
    # raw bytes show no field at all; pyHanko would take seconds per thousand of them.
    data = hostile_pdf(signed_pdf, fields=5_000, compressed=True)
    assert pdf_check.raw_excess(data, signing.check_limits()) == ""
    check = signing.check_signature(data)
    assert not check.checked and not check.signed
    assert any("could not be checked" in p for p in check.problems)


def test_the_checking_process_is_stopped_at_its_cpu_limit(settings, signed_pdf):
    # With the counts out of the way, parsing and sorting 30,000 signatures takes far longer
    # than the one CPU second allowed here.
    settings.ALIANZA_VERIFY_MAX_OBJECTS = 10**9
    settings.ALIANZA_VERIFY_MAX_SIGNATURE_FIELDS = 10**9
    settings.ALIANZA_VERIFY_SECONDS = 1
    data = hostile_pdf(signed_pdf, fields=30_000, compressed=True, honest_size=False)
    check = signing.check_signature(data)
    assert not check.checked
    assert any("could not be checked" in p for p in check.problems)


def test_the_checking_process_is_stopped_at_its_memory_limit(settings, signed_pdf):
    settings.ALIANZA_VERIFY_MEMORY_MB = 40  # too little even to load pyHanko
    check = signing.check_signature(signed_pdf)
    assert not check.checked


def test_a_genuine_issued_document_still_verifies_within_the_limits(client):
    partnership = designed_partnership()
    document = services.document_render(
        document_id=open_design_gate(partnership).documents.get().pk
    )
    with document.file.open("rb") as fh:
        data = fh.read()
    check = signing.check_signature(data)
    assert check.checked and check.ok, check.problems
    page = _verify(client, data).content.decode()
    assert "Authentic: Alianza issued this file and it has not been changed." in page


def test_anonymous_file_checks_are_limited_per_address_until_the_window_ends(client, settings):
    settings.ALIANZA_VERIFY_ANONYMOUS_FILES = 2
    settings.ALIANZA_VERIFY_WINDOW_SECONDS = 600
    # Refused by the raw counts: cheap, and still a check that counts.
    junk = b"%PDF-1.7\n<</Size 99999999>>\n"
    start = datetime.datetime(2026, 6, 17, 10, 0, 30, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(2):
            assert _verify(client, junk).status_code == 200
        refused = _verify(client, junk)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 570
        page = refused.content.decode()
        assert "Too many files were checked from your address. Try again in 10 minutes" in page
        assert COULD_NOT not in page
        # Another address, a signed-in person and a code lookup are not held back.
        assert _verify(client, junk, REMOTE_ADDR="198.51.100.7").status_code == 200
        client.force_login(UserFactory())
        assert _verify(client, junk).status_code == 200
        client.logout()
        assert client.get(reverse("reports:verify"), {"code": "AAAA-BBBB-CCCC"}).status_code == 200

        traveller.shift(datetime.timedelta(seconds=570))
        assert _verify(client, junk).status_code == 200


def test_the_limit_message_is_in_spanish(client, settings):
    settings.ALIANZA_VERIFY_ANONYMOUS_FILES = 0
    response = _verify(client, b"%PDF-1.7\n", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert "Se comprobaron demasiados archivos desde su dirección" in response.content.decode()


def test_behind_a_proxy_the_address_is_read_from_x_forwarded_for(client, settings):
    settings.ALIANZA_VERIFY_ANONYMOUS_FILES = 1
    settings.ALIANZA_PROXY_HOPS = 1
    junk = b"%PDF-1.7\n"
    # The proxy's own address is the same for everyone; the forwarded one tells them apart.
    assert _verify(client, junk, HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert _verify(client, junk, HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 200
    # A client cannot escape by adding an address on the left.
    spoofed = _verify(client, junk, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.1")
    assert spoofed.status_code == 429


def test_a_check_beyond_the_machines_slots_is_told_to_retry_at_once(client, settings):
    import fcntl

    settings.ALIANZA_VERIFY_SLOTS_DIR.mkdir(parents=True, exist_ok=True)
    with open(settings.ALIANZA_VERIFY_SLOTS_DIR / "slot-0.lock", "a") as taken:
        fcntl.flock(taken, fcntl.LOCK_EX)  # another web process is checking a file
        response = _verify(client, b"%PDF-1.7\n")
        fcntl.flock(taken, fcntl.LOCK_UN)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Another file is being checked right now." in response.content.decode()
    # The slot free again, the next upload is checked.
    assert "The file is not a readable PDF." in _verify(client, b"%PDF-1.7\n").content.decode()


def test_cross_reference_tables_are_counted_from_their_headers_before_parsing():
    from reports import pdf_check

    limits = pdf_check.Limits(max_objects=1000)
    honest = (
        b"%PDF-1.4\nxref\n0 2\n" + b"0000000000 65535 f \n" * 2 + b"trailer\n<<>>\nstartxref\n9\n"
    )
    assert pdf_check.raw_excess(honest, limits) == ""
    # A header that announces more entries than the file could hold is refused unread.
    assert pdf_check.raw_excess(b"%PDF-1.4\nxref\n0 99999999\n", limits) == "max_objects"
    assert pdf_check.raw_excess(b"%PDF-1.4\n<</Index[0 5 10 2000]>>", limits) == "max_objects"
