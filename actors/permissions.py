"""Who may add and change organisations (actors)."""

from .models import Role


def can_create_organisation(user) -> bool:
    """Facilitators map actors; administrators keep the register."""
    return user.is_authenticated and (user.is_administrator or user.role == Role.FACILITATOR)


def can_edit_organisation(user, organisation) -> bool:
    """Facilitators and administrators, and the people of the organisation itself."""
    if not user.is_authenticated:
        return False
    return can_create_organisation(user) or (
        user.organisation_id is not None and user.organisation_id == organisation.pk
    )


def can_manage_actors(user) -> bool:
    """Import and bulk changes to the actor catalogue."""
    return can_create_organisation(user)
