import pytest
from django.core import signals
from django.db import close_old_connections
from rest_framework.test import APIClient

from accounts.tokens import api_token_create


@pytest.fixture
def client_for():
    """An API client authenticated with the user's token, as an integration would be."""

    def make(user):
        _token, key = api_token_create(user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return client

    return make


@pytest.fixture
def wsgi_app():
    """Django's WSGI app in the test's transaction (as Django's test client runs it)."""
    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
