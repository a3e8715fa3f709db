"""The OpenAPI schema, its documentation page, and schemathesis fuzzing every operation."""

import os
import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from accounts.tokens import api_token_create
from actors.models import Role, Sector
from tests.factories import OrganisationFactory, UserFactory

from .builders import build

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("ALIANZA_FUZZ_EXAMPLES", "8"))


def test_the_schema_is_openapi_3_and_documents_errors(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    transition = schema["paths"]["/api/partnerships/{id}/transition/"]["post"]
    assert {"200", "400", "401", "403", "404", "409"} <= set(transition["responses"])
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "404" in operation["responses"], (method, path)
    assert "/api/exports/{dataset}.{fmt}" in schema["paths"]


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


def test_the_schema_is_one_a_generated_client_can_use(client):
    """What openapi-python-client tripped over (issue 15, item 12)."""
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, method, operation in _operations(schema):
        # One request content type: JSON (form and multipart with the same schema broke it).
        if "requestBody" in operation:
            assert list(operation["requestBody"]["content"]) == ["application/json"], path
        # Identifiers, not "exports_._retrieve" or "exports_iati.xml_retrieve".
        assert re.fullmatch(r"[a-z][a-z0-9_]*", operation["operationId"]), operation["operationId"]
    # Getting a token needs no token.
    token = schema["paths"]["/api/token/"]["post"]
    assert token.get("security", [{}]) == [{}]
    assert "401" not in token["responses"]
    body = token["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/TokenRequestRequest")
    # A decimal needs a digit.
    patterns = {
        prop["pattern"]
        for component in schema["components"]["schemas"].values()
        for prop in component.get("properties", {}).values()
        if prop.get("format") == "decimal"
    }
    assert patterns
    for pattern in patterns:
        for text in ("", ".", "-", "-."):
            assert not re.search(pattern, text), (pattern, text)
        for text in ("12", "12.5", "12.50", "-3", "0.25", ".25"):
            assert re.search(pattern, text), (pattern, text)


def test_the_api_takes_json_bodies_and_refuses_others_with_415(client_for):
    partnership = build("interest")
    api = client_for(partnership.facilitator)
    url = f"/api/partnerships/{partnership.pk}/"
    response = api.patch(url, {"title": "Agua"}, format="multipart")
    assert response.status_code == 415 and response.json()["reasons"]
    assert api.patch(url, {"title": "Agua"}, format="json").status_code == 200
    from rest_framework.test import APIClient

    anonymous = APIClient()
    body = {"email": partnership.facilitator.email, "password": "secret-pass-123"}
    assert anonymous.post("/api/token/", body, format="multipart").status_code == 415
    response = anonymous.post("/api/token/", body, format="json")
    assert response.status_code == 200 and response.json()["token"]


def test_the_documentation_page_uses_no_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "unpkg" not in html and "jsdelivr" not in html


@pytest.fixture
def facilitator_with_data():
    facilitator = UserFactory(role=Role.FACILITATOR)
    for state in ("interest", "operation", "assessment", "closure_terminated"):
        build(state, facilitator=facilitator)
    OrganisationFactory(sector=Sector.ACADEMIA, name="Universidad Nacional")
    return facilitator


def test_schemathesis_finds_no_server_error_and_no_response_off_the_schema(
    facilitator_with_data, wsgi_app
):
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]
    _token, key = api_token_create(user=facilitator_with_data)
    headers = {"Authorization": f"Token {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    failures, statuses = [], []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            with transaction.atomic():
                response = case.call(headers=headers)
                statuses.append(response.status_code)
                transaction.set_rollback(True)
            case.validate_response(response, checks=checks, headers=headers)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - every operation's failure, reported together
            failures.append(f"{operation.label}: {exc}".splitlines()[:14])
    # Real work was done: successes, refusals and validation errors all came up.
    assert {200, 201, 400, 404} <= set(statuses), sorted(set(statuses))
    assert not failures, "\n\n".join("\n".join(f) for f in failures[:10])
