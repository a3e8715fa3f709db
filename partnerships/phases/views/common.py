"""Helpers every phase page shares: htmx or not, the base context, where a transition is asked."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from ...lifecycle import transitions
from ...permissions import (
    can_contribute,
    can_edit,
)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def transition_url(partnership, name: str) -> str:
    """Where to ask for ``name``: the sign-off request page for gated transitions (a link, so a
    GET; the transition endpoint itself only accepts POST)."""
    if transitions.is_gated(name):
        url = reverse("partnerships:gate_request", args=[partnership.pk])
        return f"{url}?transition={name}"
    return reverse("partnerships:transition", args=[partnership.pk, name])


def _base_context(request, partnership, active: str) -> dict:
    return {
        "partnership": partnership,
        "object": partnership,
        "can_edit": can_edit(request.user, partnership),
        "can_contribute": can_contribute(request.user, partnership),
        "active_tab": active,
    }
