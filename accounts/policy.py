"""Who must have a second factor: ``settings.ALIANZA_MFA_REQUIRED_ROLES`` lists roles
(``actors.Role`` values) and ``signatory`` (the authorised signatory of any member)."""

from django.conf import settings

from actors.credentials import second_factors
from actors.models import Role

SIGNATORY = "signatory"


def requires_second_factor(user) -> bool:
    from partnerships.models import Member

    if not user.is_authenticated:
        return False
    required = set(settings.ALIANZA_MFA_REQUIRED_ROLES)
    if user.role in required or (Role.ADMINISTRATOR in required and user.is_superuser):
        return True
    return SIGNATORY in required and Member.objects.filter(signatory=user).exists()


def lacks_required_second_factor(user) -> bool:
    return requires_second_factor(user) and not second_factors(user).any
