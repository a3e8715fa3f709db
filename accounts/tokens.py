"""Personal API tokens: made on the Security page or at ``/api/token/``, sent as
``Authorization: Token <key>``; they expire (``ALIANZA_API_TOKEN_DAYS``), are revoked one by one,
and die with a password change or reset (also when the password is changed in the admin or by
``manage.py changepassword``: each token remembers a stamp of the password it was made under).
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from .models import ApiToken, RevokedReason, hash_key, new_key, password_stamp

# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


@transaction.atomic
def api_token_create(*, user, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it and its key (shown once, never stored)."""
    key = new_key()
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=(name or "").strip()[:100] or _("API token"),
        prefix=key[:8],
        key_hash=hash_key(key),
        password_stamp=password_stamp(user),
        created_at=now,
        expires_at=now + datetime.timedelta(days=days or settings.ALIANZA_API_TOKEN_DAYS),
    )
    return token, key


def api_token_revoke(*, token: ApiToken, reason: str = RevokedReason.BY_USER) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = reason
        token.save(update_fields=["revoked_at", "revoked_reason"])
    return token


def api_tokens_revoke_all(*, user, reason: str) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's ``Token`` header, checked against ``ApiToken``: refused when unknown, revoked,
    expired, made before the last password change, or its person is inactive."""

    keyword = "Token"
    refused = {
        "unknown": gettext_lazy("Invalid token."),
        "revoked": gettext_lazy("This token was revoked."),
        "expired": gettext_lazy("This token has expired; make a new one."),
        "password": gettext_lazy("This token was revoked: the password changed."),
        "inactive": gettext_lazy("This account is inactive."),
    }

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(self.refused["unknown"])
        if token.revoked_at is not None:
            reason = "password" if token.revoked_reason == RevokedReason.PASSWORD else "revoked"
            raise exceptions.AuthenticationFailed(self.refused[reason])
        if token.is_expired:
            raise exceptions.AuthenticationFailed(self.refused["expired"])
        if token.password_stamp != password_stamp(token.user):
            api_token_revoke(token=token, reason=RevokedReason.PASSWORD)
            raise exceptions.AuthenticationFailed(self.refused["password"])
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(self.refused["inactive"])
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
