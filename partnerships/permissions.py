"""Who may see and do what with a partnership: the one permission layer for pages and API.

Roles (actors.Role):
- facilitator: partnerships they facilitate, and those where their organisation is a member;
- partner representative: partnerships where their organisation is a member;
- public official: partnerships where their organisation is a member, and gates assigned to them
  (anyone assigned to a gate, a member's signatory say, sees that partnership);
- donor: read-only, partnerships their organisation funds (a member with the funder role);
- administrator: everything.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from actors.models import Role

from .models import Decision, GateRequest, GateStatus, Partnership
from .models.agreed import SignedAgreementLocked

VIEW, EDIT, TRANSITION, CONTRIBUTE = "view", "edit", "transition", "contribute"
AMEND = "amend"
# Change what the parties sign (members, objectives, indicators, planned contributions, the
# agreement's own fields): as EDIT, and only until the agreement is signed.
EDIT_AGREEMENT = "edit_agreement"


def visible_ids(user):
    """A subquery of the partnership ids ``user`` may see, or None for everything
    (administrators); for filtering related rows without joining partnerships:
    ``Risk.objects.filter(partnership_id__in=ids)``."""
    if user.is_authenticated and user.is_administrator:
        return None
    if not user.is_authenticated:
        return Partnership.objects.none().values("pk")
    return Partnership.objects.visible_ids(user)


def can_view(user, partnership) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_administrator:
        return True
    return Partnership.with_working_copies.visible_to(user).filter(pk=partnership.pk).exists()


def can_edit(user, partnership) -> bool:
    """Change the partnership's content: its facilitator or an administrator, until it closes.
    An amendment's working copy: while the amendment is open."""
    if partnership.is_read_only:
        return False
    if partnership.is_working_copy:
        amendment = partnership.amendment_of_copy
        if not amendment.is_open:
            return False
        partnership = amendment.partnership  # its facilitator, whoever it is now
        if partnership.is_read_only:
            return False
    return user.is_administrator or (
        user.role == Role.FACILITATOR and partnership.facilitator_id == user.pk
    )


def can_edit_agreement(user, partnership) -> bool:
    """Change the agreed content: whoever may edit, until the parties sign it (the models
    refuse it afterwards on every path, ``models.agreed``)."""
    return can_edit(user, partnership) and not partnership.agreement_signed


def can_amend(user, partnership) -> bool:
    """Open, submit or withdraw an amendment: whoever may edit, once the agreement is signed."""
    return (
        not partnership.is_working_copy
        and partnership.agreement_signed
        and can_edit(user, partnership)
    )


def can_contribute(user, partnership) -> bool:
    """Record deliveries and measurements: editors, and representatives of member organisations.
    Never in an amendment's working copy: what happens is recorded in the partnership."""
    if partnership.is_read_only or partnership.is_working_copy:
        return False
    if can_edit(user, partnership):
        return True
    return (
        user.role in {Role.PARTNER, Role.OFFICIAL}
        and user.organisation_id is not None
        and partnership.members.filter(organisation_id=user.organisation_id).exists()
    )


def delivery_recorder(user, partnership):
    """Who records what arrived: the partnership's editors for any member's contribution, the
    people of a member organisation for that member's own contributions only.

    Returns a predicate ``(contribution) -> bool`` (the contribution's ``member`` loaded), so a
    page listing many contributions asks the database once."""
    if not can_contribute(user, partnership):
        return lambda contribution: False
    if can_edit(user, partnership):
        return lambda contribution: True
    organisation_id = user.organisation_id
    return lambda contribution: contribution.member.organisation_id == organisation_id


def can_record_delivery(user, contribution) -> bool:
    """Record a delivery against ``contribution`` (see ``delivery_recorder``)."""
    return delivery_recorder(user, contribution.partnership)(contribution)


def measurement_changer(user, partnership):
    """Who corrects or removes a measurement: whoever recorded it (while they may still
    contribute to the partnership) and the partnership's editors. Members add measurements;
    they do not rewrite each other's or the facilitator's.

    Returns a predicate ``(measurement) -> bool``, asking the database once per page."""
    if can_edit(user, partnership):
        return lambda measurement: True
    if not can_contribute(user, partnership):
        return lambda measurement: False
    return lambda measurement: (
        measurement.recorded_by_id is not None and measurement.recorded_by_id == user.pk
    )


def can_change_measurement(user, measurement, partnership=None) -> bool:
    """Correct or remove ``measurement`` (see ``measurement_changer``)."""
    partnership = partnership or measurement.indicator.objective.partnership
    return measurement_changer(user, partnership)(measurement)


def can_request_report(user, partnership) -> bool:
    """Ask for a progress report (seconds of a worker's time, a file kept for good): the
    partnership's facilitator, administrators and the people of its member organisations.
    Donors, and officials who only see it through a sign-off, download what exists."""
    if not user.is_authenticated or user.role == Role.DONOR or partnership.is_working_copy:
        return False
    if user.is_administrator or partnership.facilitator_id == user.pk:
        return True
    return (
        user.organisation_id is not None
        and partnership.members.filter(organisation_id=user.organisation_id).exists()
    )


_CHECKS = {
    VIEW: lambda user, p: True,
    EDIT: can_edit,
    EDIT_AGREEMENT: can_edit_agreement,
    TRANSITION: can_edit,
    CONTRIBUTE: can_contribute,
    AMEND: lambda user, p: can_amend(user, p),
}


def get_partnership_for(user, pk, action: str = VIEW, *, queryset=None):
    """The partnership ``pk`` if ``user`` may ``action`` it: 404 if they may not even see it,
    403 if they may see it but not do this."""
    # An amendment's working copy is reached too: its pages are the design pages.
    qs = queryset if queryset is not None else Partnership.with_working_copies.all()
    try:
        partnership = qs.visible_to(user).get(pk=pk)
    except (Partnership.DoesNotExist, ValueError, TypeError):
        raise Http404("No such partnership.")
    if not _CHECKS[action](user, partnership):
        if action == EDIT_AGREEMENT and can_edit(user, partnership):
            raise SignedAgreementLocked()  # says why, where a bare 403 would not
        raise PermissionDenied
    return partnership


def get_gate_request_for(user, pk):
    """The gate request ``pk`` if ``user`` may see its partnership (404 otherwise)."""
    try:
        gate = GateRequest.objects.select_related("requested_by").get(pk=pk)
    except (GateRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("No such gate request.")
    gate.partnership = get_partnership_for(
        user,
        gate.partnership_id,
        VIEW,
        queryset=Partnership.with_working_copies.select_related("facilitator"),
    )
    return gate


def can_request_gate(user, partnership) -> bool:
    """Ask for a sign-off: whoever may move the partnership (its facilitator, administrators)."""
    return _CHECKS[TRANSITION](user, partnership)


def pending_approval_for(user, gate):
    """The approval ``user`` still owes on ``gate``, or None (only assigned people act)."""
    if not user.is_authenticated or gate.status != GateStatus.OPEN:
        return None
    return gate.approvals.filter(approver=user, decision=Decision.PENDING).first()
