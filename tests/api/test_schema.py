"""The OpenAPI schema, its documentation page, and schemathesis fuzzing every operation."""

import os

import pytest
from django.core import signals
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token

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


@pytest.fixture
def wsgi_app():
    """Django's WSGI app in the test's transaction (as Django's test client runs it)."""
    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


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
    token = Token.objects.create(user=facilitator_with_data)
    headers = {"Authorization": f"Token {token.key}"}
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
