"""Who may invite whom, and who may deactivate whom.

- Administrators invite anyone to any organisation and role, and deactivate anyone (not
  themselves).
- A facilitator invites partner representatives to the member organisations of the partnerships
  they facilitate (and may name them the member's signatory there); they resend or revoke their
  own invitations; they deactivate a partner representative of such an organisation when every
  open role that person holds is in partnerships they facilitate. Officials, donors, facilitators
  and administrators are invited and deactivated by administrators, since officials sign off
  public commitments.
"""

from actors.models import Role
from partnerships.models import FINAL_PHASES, Member, Partnership

from .handovers import person_handovers


def facilitated_members(user):
    """Members the facilitator ``user`` may invite people to (open partnerships they facilitate)."""
    if not user.is_authenticated or user.role != Role.FACILITATOR:
        return Member.objects.none()
    return Member.objects.filter(
        partnership__facilitator=user, partnership__is_working_copy=False
    ).exclude(partnership__phase__in=FINAL_PHASES)


def can_invite(user, *, organisation=None, role=None, member=None) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_administrator:
        return member is None or not member.partnership.is_read_only
    if user.role != Role.FACILITATOR or (role is not None and role != Role.PARTNER):
        return False
    members = facilitated_members(user)
    if member is not None:
        return members.filter(pk=member.pk).exists() and (
            organisation is None or organisation.pk == member.organisation_id
        )
    if organisation is not None:
        return members.filter(organisation=organisation).exists()
    return members.exists()


def can_manage_invitation(user, invitation) -> bool:
    """Resend or revoke."""
    return user.is_authenticated and (user.is_administrator or invitation.invited_by_id == user.pk)


def can_deactivate(user, person, *, handovers=None) -> bool:
    if not user.is_authenticated or person.pk == user.pk or not person.is_active:
        return False
    if user.is_administrator:
        return True
    if user.role != Role.FACILITATOR or person.role != Role.PARTNER or person.is_administrator:
        return False
    facilitated = Partnership.objects.filter(facilitator=user)
    invited_by_them = person.invitations.filter(invited_by=user).exists()
    if (
        not invited_by_them
        and not Member.objects.filter(
            organisation_id=person.organisation_id, partnership__in=facilitated
        ).exists()
    ):
        return False
    if handovers is None:
        handovers = person_handovers(person)
    return all(h.partnership.facilitator_id == user.pk for h in handovers)
