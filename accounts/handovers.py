"""What a person holds that someone must take over when they leave: their open signatory
roles and awaited sign-offs (read here; ``services.person_deactivate`` hands them over)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from actors.models import User
from partnerships import gates
from partnerships.models import (
    FINAL_PHASES,
    SIGNED_PHASES,
    ApprovalCapacity,
    Decision,
    GateApproval,
    GateStatus,
    Member,
    Partnership,
)


def pending_approvals(person, partnership=None):
    """The sign-offs awaiting ``person``'s decision (on ``partnership``, or anywhere)."""
    qs = GateApproval.objects.filter(
        approver=person, decision=Decision.PENDING, request__status=GateStatus.OPEN
    ).select_related("request__partnership", "member__organisation")
    if partnership is not None:
        qs = qs.filter(request__partnership=partnership)
    return qs


@dataclass
class Handover:
    """Something a person leaving holds, and who may take it over."""

    key: str
    label: str
    partnership: Partnership
    candidates: list = field(default_factory=list)
    optional: bool = False  # "nobody" is a valid answer
    member: Member | None = None
    approval: GateApproval | None = None


def _organisation_people(organisation, person):
    return list(
        User.objects.filter(is_active=True, organisation=organisation)
        .exclude(pk=person.pk)
        .order_by("full_name", "pk")
    )


def person_handovers(person) -> list[Handover]:
    """Every open signatory role and awaited sign-off of ``person``. A signatory role in an
    agreement already signed is not handed over: the person signed it, and it stands as signed
    (a new signatory for that member is a change the parties sign)."""
    handovers = []
    covered = set()
    members = (
        Member.objects.filter(signatory=person, partnership__is_working_copy=False)
        .exclude(partnership__phase__in=FINAL_PHASES | SIGNED_PHASES)
        .select_related("partnership", "organisation")
        .order_by("partnership__title", "pk")
    )
    for member in members:
        awaited = list(pending_approvals(person, member.partnership).filter(member=member))
        covered.update(a.pk for a in awaited)
        label = _("Authorised signatory of %(member)s in “%(partnership)s”") % {
            "member": member.organisation.name,
            "partnership": member.partnership.title,
        }
        if awaited:
            label += " — " + _("a sign-off is waiting for this signature")
        handovers.append(
            Handover(
                key=f"member-{member.pk}",
                label=label,
                partnership=member.partnership,
                candidates=_organisation_people(member.organisation, person),
                optional=not awaited,
                member=member,
            )
        )
    for approval in pending_approvals(person).exclude(pk__in=covered).order_by("pk"):
        gate = approval.request
        partnership = gate.partnership
        others = gate.approvals.exclude(decision=Decision.VOID).exclude(pk=approval.pk)
        taken = set(others.values_list("approver_id", flat=True))
        if approval.capacity == ApprovalCapacity.OFFICIAL:
            candidates = [
                u
                for u in gates.eligible_officials(partnership)
                if u.pk != person.pk and u.pk not in taken
            ]
            optional = (
                others.filter(capacity=ApprovalCapacity.OFFICIAL).exists()
                and others.filter(decision=Decision.PENDING).exists()
            )
        else:
            organisation = approval.member.organisation if approval.member else None
            candidates = [
                u for u in _organisation_people(organisation, person) if u.pk not in taken
            ]
            optional = False
        handovers.append(
            Handover(
                key=f"approval-{approval.pk}",
                label=_("Sign-off “%(transition)s” of “%(partnership)s” (as %(capacity)s)")
                % {
                    "transition": gates.transition_label(gate.transition),
                    "partnership": partnership.title,
                    "capacity": approval.get_capacity_display(),
                },
                partnership=partnership,
                candidates=candidates,
                optional=optional,
                approval=approval,
            )
        )
    return handovers
