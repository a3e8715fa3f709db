"""How allauth behaves in Alianza: nobody signs up (people are invited), failed logins say how
long to wait, and setting a password (change, reset, invitation) revokes the API tokens."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress

from actors import ratelimits
from actors.credentials import LoginRateLimited
from partnerships.audit import client_ip

from .models import RevokedReason
from .tokens import api_tokens_revoke_all


def ensure_email_address(user) -> EmailAddress | None:
    """allauth keeps addresses in its own table; people made by an administrator, the demo or
    a test have only ``User.email``, which becomes their (unverified) primary address."""
    if not user.email:
        return None
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        address = EmailAddress.objects.create(
            user=user,
            email=user.email,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
            verified=False,
        )
    return address


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        # The rate limits count per the same address the audit trail records (one reading of
        # X-Forwarded-For, ALIANZA_PROXY_HOPS). allauth refuses a request without one (403) or
        # fails on a short X-Forwarded-For (500); such requests (in-process calls) share one
        # counter instead.
        return client_ip(request) or "0.0.0.0"  # noqa: S104 (an address, not a bind)

    def pre_authenticate(self, request, **credentials) -> None:
        # allauth's own limit on failed logins (per address and per account), with the wait.
        key = self._get_login_attempts_cache_key(request, **credentials)
        try:
            self._login_failed_rl_usage = ratelimits.hit(request, "login_failed", key=key)
        except ratelimits.RateLimited as limited:
            raise LoginRateLimited(limited)

    def login(self, request, user) -> None:
        ensure_email_address(user)
        super().login(request, user)

    def set_password(self, user, password: str) -> None:
        super().set_password(user, password)
        api_tokens_revoke_all(user=user, reason=RevokedReason.PASSWORD)
