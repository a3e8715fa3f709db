"""Each limit refuses past its threshold, says how long to wait, and lets the person in again
once the window has passed (time-machine moves the clock the counters read)."""

import datetime
import uuid

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from actors.models import Role
from partnerships import gates
from partnerships.models import Decision
from tests.factories import UserFactory

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("dashboard")


def later(minutes: float):
    return time_machine.travel(timezone.now() + datetime.timedelta(minutes=minutes), tick=False)


def test_failed_logins_per_account_lock_it_then_the_window_passes(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "5/5m/key"}
    user = UserFactory()
    with later(0):
        for _ in range(5):
            assert _login(client, user.email, "wrong").status_code == 200
        refused = _login(client, user.email, PASSWORD)
        assert not _logged_in(refused)
        assert "Too many attempts. Try again in 5 minutes." in refused.content.decode()
    with later(4):
        assert not _logged_in(_login(client, user.email, PASSWORD))
    with later(5.1):
        assert _logged_in(_login(client, user.email, PASSWORD))


def test_failed_logins_per_address_lock_every_account_from_it(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "login_failed": "10/m/ip,5/5m/key",
    }
    people = [UserFactory() for _ in range(5)]
    victim = UserFactory()
    with later(0):
        for person in people:  # 2 guesses each: under each account's limit, 10 from this address
            _login(client, person.email, "wrong")
            _login(client, person.email, "wrong again")
        refused = _login(client, victim.email, PASSWORD)
        assert not _logged_in(refused)
        assert "Try again in" in refused.content.decode()
        # Another address is not concerned.
        assert _logged_in(_other_address(victim))
    with later(1.1):
        assert _logged_in(_login(client, victim.email, PASSWORD))


def _other_address(user):
    from django.test import Client

    return Client(REMOTE_ADDR="198.51.100.7").post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}
    )


def test_password_reset_requests_are_limited_per_address_typed(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "5/m/key"}
    user = UserFactory()
    with later(0):
        for _ in range(5):
            response = client.post(reverse("account_reset_password"), {"email": user.email})
            assert response.status_code == 302
        refused = client.post(reverse("account_reset_password"), {"email": user.email})
        assert refused.status_code == 429
        assert "Try again in" in refused.content.decode()
        assert 1 <= int(refused["Retry-After"]) <= 60
    assert len(mail.outbox) == 5
    with later(1.1):
        assert (
            client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
        )
    assert len(mail.outbox) == 6


def test_reauthentication_is_limited_per_person(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reauthenticate": "3/m/user"}
    user = UserFactory()
    client.force_login(user)
    with later(0):
        for _ in range(3):
            assert (
                client.post(reverse("account_reauthenticate"), {"password": "x"}).status_code == 200
            )
        refused = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert refused.status_code == 429 and "Try again in" in refused.content.decode()
    with later(1.1):
        assert (
            client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code
            == 302
        )


@pytest.fixture
def gate(interest):
    partnership, official = interest
    return gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )


def test_wrong_sign_off_passwords_are_limited_then_allowed_again(client, gate, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signoff_failed": "5/5m/user"}
    official = gate.approvals.get().approver
    client.force_login(official)
    approve = reverse("partnerships:gate_approve", args=[gate.pk])
    with later(0):
        for _ in range(5):
            assert client.post(approve, {"password": "guess"}).status_code == 400
        refused = client.post(approve, {"password": PASSWORD})
        assert refused.status_code == 429
        assert "Too many attempts. Try again in 5 minutes." in refused.content.decode()
    assert gate.approvals.get().decision == Decision.PENDING
    with later(5.1):
        assert client.post(approve, {"password": PASSWORD}).status_code == 302
    assert gate.approvals.get().decision == Decision.APPROVED


def test_api_sign_off_shares_the_limit_on_wrong_passwords(gate, settings, client_for):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signoff_failed": "3/5m/user"}
    official = gate.approvals.get().approver
    api = client_for(official)
    url = f"/api/gate-requests/{gate.pk}/approve/"
    with later(0):
        for _ in range(3):
            assert api.post(url, {"password": "guess"}, format="json").status_code == 409
        refused = api.post(url, {"password": PASSWORD}, format="json")
        assert refused.status_code == 429
        assert "Try again in" in refused.json()["detail"] and int(refused["Retry-After"]) > 60
    with later(5.1):
        assert api.post(url, {"password": PASSWORD}, format="json").status_code == 200


def test_api_decisions_are_limited_per_person_right_or_wrong(gate, settings, client_for):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "api_signoff": "4/m/user"}
    api = client_for(gate.approvals.get().approver)
    url = f"/api/gate-requests/{gate.pk}/refuse/"
    with later(0):
        for _ in range(4):
            assert api.post(url, {}, format="json").status_code == 400  # no password
        refused = api.post(url, {"password": PASSWORD, "comment": "No"}, format="json")
        assert refused.status_code == 429
    with later(1.1):
        ok = api.post(url, {"password": PASSWORD, "comment": "No"}, format="json")
        assert ok.status_code == 200 and ok.json()["status"] == "refused"


def test_token_requests_are_limited_per_address(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "api_token": "3/m/ip"}
    user = UserFactory()
    api = APIClient()
    with later(0):
        for _ in range(3):
            assert (
                api.post("/api/token/", {"email": "x@example.org", "password": "x"}).status_code
                == 400
            )
        refused = api.post("/api/token/", {"email": user.email, "password": PASSWORD})
        assert refused.status_code == 429 and "Try again in" in refused.json()["detail"]
    with later(1.1):
        assert (
            api.post("/api/token/", {"email": user.email, "password": PASSWORD}).status_code == 200
        )


def test_failed_token_requests_lock_the_account(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "api_token_failed": "3/5m/key"}
    user = UserFactory()
    api = APIClient()
    with later(0):
        for _ in range(3):
            assert (
                api.post("/api/token/", {"email": user.email, "password": "x"}).status_code == 400
            )
        assert (
            api.post("/api/token/", {"email": user.email, "password": PASSWORD}).status_code == 429
        )
    with later(5.1):
        assert (
            api.post("/api/token/", {"email": user.email, "password": PASSWORD}).status_code == 200
        )


@pytest.mark.redis
def test_counters_live_in_redis_when_configured(client, settings):
    """Production's cache: every web process sees the same counters."""
    import os

    from django.core.cache import cache

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"alianza-test-{uuid.uuid4().hex}",
        }
    }
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "2/5m/key"}
    user = UserFactory(role=Role.FACILITATOR)
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    redis = cache._cache.get_client()
    try:
        with later(0):
            _login(client, user.email, "wrong")
            _login(client, user.email, "wrong")
            assert not _logged_in(_login(client, user.email, PASSWORD))
            assert redis.keys(f"{prefix}:*"), "the counters are in Redis"
        with later(5.1):
            assert _logged_in(_login(client, user.email, PASSWORD))
    finally:
        for key in redis.keys(f"{prefix}:*"):
            redis.delete(key)


def test_login_attempts_are_limited_per_address_right_or_wrong(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "3/m/ip"}
    user = UserFactory()
    with later(0):
        for _ in range(3):
            _login(client, "nobody@example.org", "x")
        refused = _login(client, user.email, PASSWORD)
        assert refused.status_code == 429
        assert "Too many attempts. Try again in 60 seconds." in refused.content.decode()
        assert refused["Retry-After"] == "60"
    with later(1.1):
        assert _logged_in(_login(client, user.email, PASSWORD))


def test_invitation_links_are_limited_per_address(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "invitation_accept": "3/m/ip"}
    url = reverse("accounts:invitation_accept", args=["guessed-key"])
    with later(0):
        for _ in range(3):
            assert client.get(url).status_code == 404
        assert client.get(url).status_code == 429
    with later(1.1):
        assert client.get(url).status_code == 404
