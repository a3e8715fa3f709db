"""Who may do what with a risk, on top of ``partnerships.permissions``.

- view: whoever may see the partnership;
- edit (add, change, close): whoever may edit the partnership (its facilitator, administrators);
- review: editors, and the representatives of the member that owns the risk (people whose
  organisation is the owner), except donors, who only read.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actors.models import Role
from partnerships.permissions import EDIT, VIEW, can_edit, get_partnership_for

from .models import Risk

REVIEW = "review"


def can_review(user, risk: Risk) -> bool:
    partnership = risk.partnership
    if partnership.is_read_only or not risk.is_active:
        return False
    if partnership.is_working_copy:
        # An amendment's draft: changed by whoever may change it, while it is open.
        return can_edit(user, partnership)
    if can_edit(user, partnership):
        return True
    return (
        user.role != Role.DONOR
        and user.organisation_id is not None
        and risk.owner_id is not None
        and risk.owner.organisation_id == user.organisation_id
    )


def get_risk_for(user, pk, risk_pk, action: str = VIEW) -> Risk:
    """The risk ``risk_pk`` of partnership ``pk`` if ``user`` may ``action`` it (404/403)."""
    partnership = get_partnership_for(user, pk, EDIT if action == EDIT else VIEW)
    try:
        risk = Risk.objects.select_related("owner__organisation").get(
            partnership=partnership, pk=risk_pk
        )
    except (Risk.DoesNotExist, ValueError, TypeError):
        raise Http404("No such risk.")
    risk.partnership = partnership
    if action == REVIEW and not can_review(user, risk):
        raise PermissionDenied
    return risk
