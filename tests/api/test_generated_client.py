"""A client generated from the served schema by openapi-python-client imports and works
(issue 15, item 12): it got a token-less schema wrong, failed to import (three request content
types per write made ``body: A | A | A | Unset`` without importing ``Unset``) and, patched,
sent multipart bodies labelled JSON.

The generator runs offline, on the schema the app serves; the generated client talks to the
app through httpx's WSGI transport, in the test's transaction."""

import datetime
import importlib
import os
import subprocess
import sys

import httpx
import pytest

from accounts.tokens import api_token_create
from actors.models import Role
from partnerships.models import Meeting, Partnership
from tests.factories import UserFactory

from .builders import build

pytestmark = pytest.mark.django_db

PACKAGE = "alianza_generated_client"
# XML downloads are files to a client: the generator knows no "application/xml".
CONFIG = f"""\
post_hooks: []
package_name_override: {PACKAGE}
content_type_overrides:
  application/xml: application/octet-stream
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The generated package, imported (once for the module: generating takes seconds)."""
    from django.test import Client

    tmp_path = tmp_path_factory.mktemp("client")
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    (tmp_path / "schema.json").write_bytes(schema.content)
    (tmp_path / "config.yaml").write_text(CONFIG)
    # Offline: any attempt to reach the network goes to a closed port.
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--config",
            str(tmp_path / "config.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # Every operation was understood: nothing was left out of the client.
    assert "WARNING" not in output and "Error" not in output, output
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _module(package, name):
    return importlib.import_module(f"{package.__name__}.{name}")


def test_a_generated_client_gets_a_token_lists_reads_and_writes(generated, wsgi_app):
    p = build("operation")
    build("design")  # another facilitator's: not listed
    facilitator = p.facilitator
    transport = httpx.WSGITransport(app=wsgi_app)
    base = "http://testserver"
    models = _module(generated, "models")

    # A token, without one.
    token_create = _module(generated, "api.token.token_create")
    anonymous = generated.Client(base_url=base, httpx_args={"transport": transport})
    refused = token_create.sync_detailed(
        client=anonymous,
        body=models.TokenRequestRequest(email=facilitator.email, password="wrong"),
    )
    assert refused.status_code == 400
    token = token_create.sync(
        client=anonymous,
        body=models.TokenRequestRequest(email=facilitator.email, password="secret-pass-123"),
    )
    api = generated.AuthenticatedClient(
        base_url=base, token=token.token, prefix="Token", httpx_args={"transport": transport}
    )

    # List and read.
    listed = _module(generated, "api.partnerships.partnerships_list").sync(client=api)
    assert [row.id for row in listed.results] == [p.pk]
    one = _module(generated, "api.partnerships.partnerships_retrieve").sync(client=api, id=p.pk)
    assert (one.reference, one.phase.value) == (p.reference, "operation")

    # Write: JSON bodies, as the schema says.
    held_at = datetime.datetime(2026, 5, 4, 10, 30, tzinfo=datetime.UTC)
    meeting = _module(generated, "api.meetings.meetings_create").sync(
        client=api,
        body=models.MeetingRequest(partnership=p.pk, title="Steering committee", held_at=held_at),
    )
    assert isinstance(meeting, models.Meeting), meeting
    assert meeting.held_at == held_at
    stored = Meeting.objects.get(pk=meeting.id)
    assert (stored.partnership_id, stored.title, stored.held_at) == (
        p.pk,
        "Steering committee",
        held_at,
    )
    patched = _module(generated, "api.partnerships.partnerships_partial_update").sync(
        client=api,
        id=p.pk,
        body=models.PatchedPartnershipRequest(public_summary="Agua para Huancavelica"),
    )
    assert patched.public_summary == "Agua para Huancavelica"
    assert Partnership.objects.get(pk=p.pk).public_summary == "Agua para Huancavelica"

    # A refusal comes back as the documented error.
    bad = _module(generated, "api.meetings.meetings_create").sync(
        client=api,
        body=models.MeetingRequest(
            partnership=p.pk, title="Too early", held_at=held_at.replace(year=1066)
        ),
    )
    assert isinstance(bad, models.Error) and bad.reasons == [
        "held_at: Enter a date between 1950 and 2100."
    ]

    # Downloads: the risk register the schema advertises, and the IATI file.
    exports = _module(generated, "api.exports.exports_dataset_retrieve")
    dataset = models.ExportsDatasetRetrieveDataset
    csv = exports.sync_detailed(
        dataset=dataset("risks"), fmt=models.ExportsDatasetRetrieveFmt("csv"), client=api
    )
    assert csv.status_code == 200
    assert csv.content.decode("utf-8-sig").startswith("partnership_id,reference,partnership,")
    iati = _module(generated, "api.partnerships.partnerships_iati_retrieve").sync_detailed(
        client=api, id=p.pk
    )
    assert iati.status_code == 200 and b"<iati-activities" in iati.content


def test_a_donor_through_the_generated_client_sees_only_what_it_funds(generated, wsgi_app):
    p = build("operation")
    build("operation")
    funder = p.members.get(role="funder").organisation
    donor = UserFactory(role=Role.DONOR, organisation=funder)

    transport = httpx.WSGITransport(app=wsgi_app)
    api = generated.AuthenticatedClient(
        base_url="http://testserver",
        token=api_token_create(user=donor, name="tests")[1],
        prefix="Token",
        httpx_args={"transport": transport},
    )
    listed = _module(generated, "api.partnerships.partnerships_list").sync(client=api)
    assert [row.id for row in listed.results] == [p.pk]
    models = _module(generated, "models")
    refused = _module(generated, "api.partnerships.partnerships_partial_update").sync_detailed(
        client=api, id=p.pk, body=models.PatchedPartnershipRequest(title="Mine")
    )
    assert refused.status_code == 403
