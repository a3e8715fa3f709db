import pytest
from django.core import signals
from django.db import close_old_connections

from tests.factories import api_for


@pytest.fixture
def client_for():
    """An API client authenticated with the user's token, as an integration would be."""
    return api_for


@pytest.fixture
def wsgi_app():
    """Django's WSGI app in the test's transaction (as Django's test client runs it)."""
    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)
