"""The IP address of the request being served, picked up by AuditContextMiddleware so that
services deep below a view need not pass it around (an explicit ip wins)."""

import contextvars

from django.conf import settings

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "alianza_audit_ip", default=None
)


def current_ip() -> str | None:
    """The IP address of the request being served, if any."""
    return _current_ip.get()


def client_ip(request) -> str | None:
    """The client address: REMOTE_ADDR, or behind ``ALIANZA_PROXY_HOPS`` reverse proxies of
    this installation, the address the outermost of them saw (X-Forwarded-For, read from the
    right, since a client can put anything on its left)."""
    hops = getattr(settings, "ALIANZA_PROXY_HOPS", 0)
    if hops > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Makes the request's IP address available to ``record()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)
