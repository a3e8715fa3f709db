"""Members joining (a candidate invited) and leaving before the agreement is signed."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import audit, gates, permissions
from ..models import Contribution, Member, Partnership, Phase


@dataclass(frozen=True)
class RemovalEffect:
    """What removing a member does to one kind of record, as the confirmation page says it."""

    heading: str
    items: tuple = ()
    outcome: str = ""
    #: the confirmation asks which member takes these over (risks it owns, say)
    asks_successor: bool = False


_member_dependants: list = []


def register_member_dependant(dependant) -> None:
    """Apps above this one say what removing a member does to their records (the risks app:
    the risks it owns). ``dependant.describe(member) -> RemovalEffect | None`` for the
    confirmation; ``dependant.hand_over(member, *, successor, by) -> dict`` does it, before the
    member is deleted, and returns what it did for the audit trail (idempotent registration,
    so ``ready()`` may run twice)."""
    if dependant not in _member_dependants:
        _member_dependants.append(dependant)


class MemberRemovalRefused(Exception):
    """A member that may not be removed now; ``reasons`` say why."""

    def __init__(self, reasons: list[str]):
        self.reasons = [str(r) for r in reasons]
        super().__init__(" ".join(self.reasons))


def member_removal_blockers(partnership: Partnership) -> list[str]:
    """Why no member can leave ``partnership`` now (empty: one can). Until the agreement is
    signed the members are still being negotiated; from then on what a member committed to is
    part of what the parties signed, and it leaves through an amendment."""
    if partnership.is_read_only:
        return [_("The partnership is closed: its members no longer change.")]
    if partnership.phase not in (Phase.INTEREST, Phase.DESIGN) or partnership.operation_started_on:
        return [
            _(
                "The agreement is signed: a member can no longer simply be removed; it leaves "
                "through an amendment of the agreement."
            )
        ]
    return []


def _contribution_line(contribution) -> str:
    line = _("%(description)s: %(planned)s %(currency)s planned") % {
        "description": contribution.description,
        "planned": f"{contribution.planned_amount:.2f}",
        "currency": contribution.currency,
    }
    if contribution.delivery_count:
        line += "; " + ngettext(
            "%(count)s delivery recorded (%(amount)s %(currency)s) is deleted with it",
            "%(count)s deliveries recorded (%(amount)s %(currency)s) are deleted with it",
            contribution.delivery_count,
        ) % {
            "count": contribution.delivery_count,
            "amount": f"{contribution.delivered_amount:.2f}",
            "currency": contribution.currency,
        }
    return line


def member_removal_effects(member: Member) -> list[RemovalEffect]:
    """Everything removing ``member`` does, for the confirmation page: its contributions are
    deleted (with their deliveries), its signatory no longer signs, it is no longer a party to
    conflicts, and whatever the apps above say (``register_member_dependant``)."""
    effects = []
    contributions = list(
        member.contributions.annotate(delivery_count=Count("deliveries")).order_by("pk")
    )
    if contributions:
        effects.append(
            RemovalEffect(
                heading=_("Its contributions are deleted"),
                items=tuple(_contribution_line(c) for c in contributions),
                outcome=_("They are no longer part of the agreement being negotiated."),
            )
        )
    if member.signatory_id:
        effects.append(
            RemovalEffect(
                heading=_("Its authorised signatory no longer signs"),
                items=(member.signatory.full_name,),
                outcome=_("An open sign-off no longer waits for this person."),
            )
        )
    conflicts = list(member.conflicts.order_by("pk").values_list("title", flat=True))
    if conflicts:
        effects.append(
            RemovalEffect(
                heading=_("It is no longer named among the parties of these conflicts"),
                items=tuple(conflicts),
            )
        )
    for dependant in _member_dependants:
        effect = dependant.describe(member)
        if effect is not None:
            effects.append(effect)
    return effects


@transaction.atomic
def member_remove(*, member: Member, by, successor: Member | None = None) -> dict:
    """Remove ``member`` from its partnership before the agreement is signed.

    Only its facilitator or an administrator (``PermissionDenied``), only while
    ``member_removal_blockers`` finds nothing (``MemberRemovalRefused``). ``successor``, another
    member of the same partnership, takes over what the member owned (its risks); without one
    those have no owner. Its contributions are deleted with their deliveries. The removal is
    audited on the partnership with everything it undid, and an open sign-off is checked again
    (``gates.agreed_content_saved``): the member's signatory no longer signs. Takes row locks on
    the partnership and the member. Returns the audit data.
    """
    partnership = Partnership.with_working_copies.select_for_update().get(pk=member.partnership_id)
    if not permissions.can_edit(by, partnership):
        raise PermissionDenied(_("Only the partnership's facilitator removes members."))
    blockers = member_removal_blockers(partnership)
    if blockers:
        raise MemberRemovalRefused(blockers)
    locked = (
        Member.objects.select_for_update(of=("self",))
        .select_related("organisation", "signatory")
        .get(pk=member.pk)
    )
    if successor is not None and (
        successor.partnership_id != partnership.pk or successor.pk == locked.pk
    ):
        raise ValidationError(
            {"risks_to": _("Choose another member of this partnership, or nobody.")}
        )
    contributions = list(
        locked.contributions.annotate(delivery_count=Count("deliveries")).order_by("pk")
    )
    data = {
        "member": locked.pk,
        "organisation": locked.organisation.name,
        "role": locked.role,
        "signatory": locked.signatory.full_name if locked.signatory_id else None,
        "phase": partnership.phase,
        "contributions": [
            {
                "description": c.description,
                "kind": c.kind,
                "planned_amount": f"{c.planned_amount:.2f}",
                "delivered_amount": f"{c.delivered_amount:.2f}",
                "currency": c.currency,
                "deliveries": c.delivery_count,
            }
            for c in contributions
        ],
        "successor": successor.organisation.name if successor is not None else None,
    }
    for dependant in _member_dependants:
        data.update(dependant.hand_over(locked, successor=successor, by=by))
    Contribution.objects.filter(member=locked).delete()  # their deliveries go with them
    locked.delete()
    audit.record(action=audit.Action.MEMBER_REMOVED, obj=partnership, actor=by, data=data)
    gates.agreed_content_saved(partnership=partnership, by=by)
    return data


@transaction.atomic
def candidate_invite(*, candidate, role: str, by) -> Member:
    """Make a prioritised candidate a member of its partnership (in the role given)."""
    member, _created = Member.objects.get_or_create(
        partnership_id=candidate.partnership_id,
        organisation_id=candidate.organisation_id,
        defaults={"role": role},
    )
    return member
