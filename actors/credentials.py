"""Is it really the person? Checked inside the form of a sensitive action (a sign-off), so
the action and its proof arrive together: the password, and where the person has a second
factor, a code (authenticator app or recovery code) or a passkey assertion.

Everything is verified by django-allauth: the password through its adapter's ``authenticate``
(which counts a wrong one as a failed login of the account), codes through allauth.mfa's
re-authentication form (TOTP replay protection, one-time recovery codes), passkeys through
allauth.mfa.webauthn (the challenge lives in the session, begun when the page was shown).
The person's attempts are limited (``ratelimits``, action ``signoff_failed`` by default).
"""

import json
from dataclasses import dataclass, field

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.mfa.base.forms import ReauthenticateForm
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import ReauthenticateWebAuthnForm
from allauth.mfa.webauthn.internal import auth as webauthn
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import ratelimits


@dataclass(frozen=True)
class SecondFactors:
    totp: bool = False
    recovery_codes: bool = False
    webauthn: bool = False

    @property
    def any(self) -> bool:
        """A second factor proper (recovery codes only back one up)."""
        return self.totp or self.webauthn

    @property
    def codes(self) -> bool:
        return self.totp or self.recovery_codes


def second_factors(user) -> SecondFactors:
    if not getattr(user, "pk", None):
        return SecondFactors()
    types = set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True))
    return SecondFactors(
        totp=Authenticator.Type.TOTP in types,
        recovery_codes=Authenticator.Type.RECOVERY_CODES in types,
        webauthn=Authenticator.Type.WEBAUTHN in types,
    )


def webauthn_begin(user) -> dict | None:
    """Request options for a passkey assertion (the challenge is kept in the session), for the
    page's script; None when the person has no passkey."""
    if not second_factors(user).webauthn:
        return None
    return {"request_options": webauthn.begin_authentication(user)}


@dataclass
class CredentialsRefused(Exception):
    """The proof is wrong or missing; ``errors`` by form field (password, code, credential)."""

    errors: dict = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        return [m for messages in self.errors.values() for m in messages]

    def __str__(self):
        return " ".join(self.reasons)


class LoginRateLimited(ValidationError):
    """allauth's "too many failed logins", with the time to wait (raised by our adapter)."""

    def __init__(self, limited: ratelimits.RateLimited):
        self.retry_after = limited.retry_after
        super().__init__(limited.message, code="too_many_login_attempts")


def password_ok(request, user, password: str) -> bool:
    if not password:
        return False
    try:
        found = get_account_adapter(request).authenticate(
            request, email=user.email, password=password
        )
    except LoginRateLimited as limited:
        raise ratelimits.RateLimited(limited.retry_after)
    return found is not None and found.pk == user.pk


def _mfa_limited(request, user, form) -> None:
    """allauth.mfa's own per-person limit on codes: say how long to wait."""
    if any(e.code == "too_many_login_attempts" for e in form.errors.as_data().get("code", [])):
        raise ratelimits.RateLimited(
            max(
                1,
                ratelimits.retry_after(request, "login_failed", key=f"mfa-auth-user-{user.pk}"),
            )
        )


def check_second_factor(request, user, code: str = "", credential=None) -> dict:
    """Errors by field, or {} when the second factor is right (its use is recorded)."""
    factors = second_factors(user)
    if not (factors.any or factors.recovery_codes):
        return {}
    if credential:
        if isinstance(credential, dict):
            credential = json.dumps(credential)
        form = ReauthenticateWebAuthnForm(data={"credential": credential}, user=user)
        if not form.is_valid():
            return {"credential": [_("The passkey did not confirm it is you. Try again.")]}
        authenticator = form.cleaned_data["credential"]
    elif code:
        form = ReauthenticateForm(data={"code": code.strip().replace(" ", "")}, user=user)
        if not form.is_valid():
            _mfa_limited(request, user, form)
            return {"code": [_("This code is not right (or was already used).")]}
        authenticator = form.authenticator
    elif factors.webauthn and not factors.totp:
        return {"code": [_("Confirm with your passkey, or enter one of your recovery codes.")]}
    else:
        return {"code": [_("Enter the code from your authenticator app (or a recovery code).")]}
    authenticator.record_usage()
    return {}


def confirm_identity(
    request,
    *,
    user,
    password: str,
    code: str = "",
    credential=None,
    action: str = "signoff_failed",
) -> None:
    """Check the person's password and, if they have one, their second factor.

    Raises ``ratelimits.RateLimited`` when the person tried too often (nothing is checked),
    ``CredentialsRefused`` when something is wrong or missing. A success does not count
    against the limit; a failure does.
    """
    usage = ratelimits.hit(request, action, user=user)
    if not password_ok(request, user, password):
        raise CredentialsRefused({"password": [_("This is not your password.")]})
    errors = check_second_factor(request, user, code or "", credential)
    if errors:
        raise CredentialsRefused(errors)
    usage.rollback()
