"""The database connection dies in the middle of a request: a clear error page, nothing saved."""

import psycopg
import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from actors.models import Organisation, Sector

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _admin_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def write_then_lose_the_database(request):
    """Writes inside a transaction, then its backend is terminated from another connection."""
    with transaction.atomic():
        Organisation.objects.create(name="Half-written", sector=Sector.PUBLIC, country="CO")
        pid = connection.cursor().connection.info.backend_pid
        with psycopg.connect(_admin_url(), autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        Organisation.objects.create(name="Never reached", sector=Sector.PUBLIC, country="CO")
    return HttpResponse("saved")


urlpatterns = [path("fault/db-drop/", write_then_lose_the_database)]


@pytest.mark.urls(__name__)
def test_connection_dropped_mid_request_shows_error_page_and_writes_nothing():
    client = Client(raise_request_exception=False)
    response = client.get("/fault/db-drop/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    # A new connection serves the next request; the first write was rolled back with the rest.
    assert not Organisation.objects.filter(name__in=["Half-written", "Never reached"]).exists()
