"""Who is acting and from where, picked up by ``AuditContextMiddleware`` so that services and
the automatic record of changes (``tracking``) deep below a view need not pass it around: the
request's IP address and its person (read when an entry is written, so an API token's person,
authenticated inside the view, counts too). Commands and tasks name theirs with
``acting_as()``. An explicit ``actor``/``ip`` passed to ``record()`` wins."""

import contextlib
import contextvars

from django.conf import settings

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "alianza_audit_ip", default=None
)


_current_request = contextvars.ContextVar("alianza_audit_request", default=None)
_current_actor = contextvars.ContextVar("alianza_audit_actor", default=None)


def current_actor():
    """The person acting: named by ``acting_as()``, else the request's authenticated user."""
    actor = _current_actor.get()
    if actor is not None:
        return actor
    request = _current_request.get()
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


@contextlib.contextmanager
def acting_as(person):
    """Attribute what happens inside to ``person`` (a command, a task, a service)."""
    token = _current_actor.set(person)
    try:
        yield
    finally:
        _current_actor.reset(token)


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
    """Makes the request's IP address and person available to ``record()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_ip.set(client_ip(request))
        request_token = _current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            _current_request.reset(request_token)
            _current_ip.reset(token)
