import pyotp
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from tests.api.conftest import client_for  # noqa: F401
from tests.gates.conftest import PASSWORD, design, interest, official_of  # noqa: F401


def enrol_totp(user) -> pyotp.TOTP:
    """Give ``user`` an authenticator app (as allauth stores it) and recovery codes; returns
    the "phone" that computes the codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return pyotp.TOTP(secret)


def recovery_codes(user) -> list[str]:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.get(user=user, type="recovery_codes").wrap().get_unused_codes()


__all__ = ["PASSWORD", "enrol_totp", "recovery_codes", "official_of"]
