"""Rate limits for people's attempts, on allauth's limiter: one table of limits
(``settings.ACCOUNT_RATE_LIMITS``, "amount/period/per" with per = ip, user or key) for allauth's
own actions (login, failed logins, password reset, re-authentication) and Alianza's (signing
off, API tokens, API decisions). Counters live in Django's cache: Redis in production, memory
on a laptop.

allauth says only "too many"; ``retry_after`` reads the same counters to say how long to wait.
"""

import math
import time
from dataclasses import dataclass

from allauth.core.internal import ratelimit as _allauth
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APP = "allauth.account"


@dataclass
class RateLimited(Exception):
    """Refused by a limit; ``retry_after`` seconds until the next attempt is allowed."""

    retry_after: int

    @property
    def message(self) -> str:
        return too_many_message(self.retry_after)

    def __str__(self):
        return self.message


def wait_text(seconds: int) -> str:
    seconds = max(1, int(seconds))
    if seconds < 90:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = -(-seconds // 60)
    return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}


def too_many_message(seconds: int) -> str:
    return _("Too many attempts. Try again in %(wait)s.") % {"wait": wait_text(seconds)}


def retry_after(request, action: str, *, key=None, user=None) -> int:
    """Seconds until ``action`` is allowed again for this address, person or key (0: now).
    Rates per key are skipped when no key is given, per user when nobody is known."""
    now = time.time()
    wait = 0.0
    for rate in _allauth.get_rates(app=APP, action=action):
        if rate.per == "key" and key is None:
            continue
        if rate.per == "user" and user is None and not request.user.is_authenticated:
            continue
        cache_key = _allauth.get_cache_key(
            request, app=APP, action=action, rate=rate, key=key, user=user
        )
        history = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            # Newest first: the attempt at index amount-1 must fall out of the window.
            wait = max(wait, history[rate.amount - 1] + rate.duration - now)
    return math.ceil(wait) if wait > 0 else 0


def hit(request, action: str, *, key=None, user=None):
    """Count one attempt at ``action``, or raise ``RateLimited`` (nothing counted). Returns
    the usage, whose ``rollback()`` takes the attempt back (a success that must not count)."""
    usage = _allauth.consume(request, app=APP, action=action, key=key, user=user, limit_get=True)
    if usage is None:
        raise RateLimited(max(1, retry_after(request, action, key=key, user=user)))
    return usage


def clear(request, action: str, *, key=None, user=None) -> None:
    _allauth.clear(request, app=APP, action=action, key=key, user=user)


def api_refusal(limited: RateLimited):
    """The API's 429: DRF's Throttled with our message (and its Retry-After header)."""
    from rest_framework.exceptions import Throttled

    error = Throttled(detail=limited.message)
    error.wait = limited.retry_after  # DRF's exception handler sets Retry-After from it
    return error
