"""Who may change the actor catalogue: administrators and facilitators (they map actors).

Everybody who logs in may read it; partnerships' own rules live in ``partnerships.permissions``.
"""

from .models import Role


def can_manage_actors(user) -> bool:
    return bool(user.is_authenticated and (user.is_administrator or user.role == Role.FACILITATOR))
