"""Personal API tokens: expiring, revocable, dying with a password change; /api/token/ asks for
the second factor when the person has one."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken, RevokedReason
from accounts.tokens import api_token_create
from actors.models import Role
from tests.factories import UserFactory

from .conftest import PASSWORD, enrol_totp

pytestmark = pytest.mark.django_db


def _api(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def test_a_token_works_until_it_expires(settings):
    settings.ALIANZA_API_TOKEN_DAYS = 90
    user = UserFactory(role=Role.FACILITATOR)
    token, key = api_token_create(user=user, name="script")
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    assert _api(key).get("/api/partnerships/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    with time_machine.travel(token.expires_at + datetime.timedelta(seconds=1)):
        response = _api(key).get("/api/partnerships/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_a_revoked_token_is_refused():
    user = UserFactory()
    token, key = api_token_create(user=user)
    client = APIClient()
    client.force_login(user)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_reason == RevokedReason.BY_USER
    refused = _api(key).get("/api/partnerships/")
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]


def test_someone_else_cannot_revoke_my_token():
    token, key = api_token_create(user=UserFactory())
    client = APIClient()
    client.force_login(UserFactory())
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert _api(key).get("/api/partnerships/").status_code == 200


def test_a_password_change_through_allauth_revokes_every_token(client):
    user = UserFactory()
    _token, key = api_token_create(user=user)
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a-new-long-pass-42",
            "password2": "a-new-long-pass-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ApiToken.objects.get().revoked_reason == RevokedReason.PASSWORD
    refused = _api(key).get("/api/partnerships/")
    assert refused.status_code == 401 and "password changed" in refused.json()["detail"]


def test_a_password_set_elsewhere_also_kills_old_tokens():
    """The admin or manage.py changepassword bypass allauth: the token's password stamp no
    longer matches."""
    user = UserFactory()
    _token, key = api_token_create(user=user)
    user.set_password("set-in-the-admin-77")
    user.save()
    assert _api(key).get("/api/partnerships/").status_code == 401
    assert ApiToken.objects.get().revoked_reason == RevokedReason.PASSWORD


def test_an_unknown_token_is_refused_with_401():
    assert _api("not-a-token").get("/api/partnerships/").status_code == 401


def test_the_security_page_lists_tokens_and_makes_one_after_reauthentication(client):
    user = UserFactory()
    api_token_create(user=user, name="old script")
    client.force_login(user)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "old script" in page and "Where you are logged in" in page
    # Making a token is sensitive: allauth asks for the password first.
    response = client.post(reverse("accounts:token_create"), {"name": "new script"})
    assert response.status_code == 302 and reverse("account_reauthenticate") in response.url
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.post(reverse("accounts:token_create"), {"name": "new script"})
    assert response.url == reverse("accounts:security")
    page = client.get(reverse("accounts:security")).content.decode()
    token = ApiToken.objects.get(name="new script")
    assert f"{token.prefix}" in page and 'id="new-token"' in page
    # Shown once only.
    assert 'id="new-token"' not in client.get(reverse("accounts:security")).content.decode()


def test_api_token_endpoint_gives_an_expiring_token():
    user = UserFactory()
    response = APIClient().post(
        "/api/token/", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    token = ApiToken.objects.get(user=user)
    assert token.expires_at > timezone.now() + datetime.timedelta(days=89)
    assert _api(body["token"]).get("/api/partnerships/").status_code == 200
    wrong = APIClient().post("/api/token/", {"email": user.email, "password": "x"}, format="json")
    assert wrong.status_code == 400


def test_api_token_endpoint_asks_for_the_second_factor_when_enrolled():
    user = UserFactory()
    phone = enrol_totp(user)
    api = APIClient()
    missing = api.post("/api/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert missing.status_code == 400
    assert "authenticator app" in " ".join(missing.json()["reasons"])
    wrong = api.post(
        "/api/token/", {"email": user.email, "password": PASSWORD, "code": "000000"}, format="json"
    )
    assert wrong.status_code == 400 and not ApiToken.objects.exists()
    ok = api.post(
        "/api/token/",
        {"email": user.email, "password": PASSWORD, "code": phone.now()},
        format="json",
    )
    assert ok.status_code == 200 and ApiToken.objects.filter(user=user).count() == 1


def test_api_token_endpoint_refuses_a_role_that_must_enrol_first(settings):
    settings.ALIANZA_MFA_REQUIRED_ROLES = ["official"]
    official = UserFactory(role=Role.OFFICIAL)
    response = APIClient().post(
        "/api/token/", {"email": official.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 403 and "second factor" in response.json()["detail"]


def test_deactivated_people_tokens_stop_working():
    user = UserFactory()
    _token, key = api_token_create(user=user)
    user.is_active = False
    user.save()
    assert _api(key).get("/api/partnerships/").status_code == 401
