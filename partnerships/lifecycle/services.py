"""The lifecycle's write operations: a partnership starts with ``partnership_create`` (in the
interest phase) and every transition goes through ``partnership_transition``.

``_transition`` takes a row lock on the partnership, checks the guard, calls the django-fsm-2
transition, saves and writes the ``PhaseChange`` and its audit entry in one transaction. The
sign-off (``partnerships.gates``) sits in front of the gated transitions.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from actors.deferred import stored

from .. import audit
from ..models import AmendmentStatus, ClosureOutcome, Member, Partnership, Phase, PhaseChange
from ..reference.codes import country_currency
from . import transitions


class TransitionRefused(Exception):
    """A transition that may not happen now; ``reasons`` say why, in plain words."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__(" ".join(reasons))


@transaction.atomic
def partnership_create(*, by, **fields) -> Partnership:
    """Create a partnership in the interest phase; its facilitator defaults to its creator and
    its currency to the country's."""
    fields.setdefault("facilitator", by if getattr(by, "role", None) == "facilitator" else None)
    if not fields.get("currency"):
        fields["currency"] = country_currency(fields.get("country"))
    partnership = Partnership(
        created_by=by, reference=f"tmp-{timezone.now().timestamp()}", **fields
    )
    partnership.full_clean(exclude=["reference", "phase"])
    partnership.save()
    partnership.reference = f"ALZ-{partnership.created_at:%Y}-{partnership.pk:05d}"
    partnership.set_search_keys()  # update() bypasses save(), which keeps it
    Partnership.objects.filter(pk=partnership.pk).update(
        reference=partnership.reference, search_key=partnership.search_key
    )
    return partnership


def transition_blockers(partnership: Partnership, name: str) -> list[str]:
    """Why ``name`` cannot happen now: wrong phase, or the guard's reasons. Empty if it can."""
    if name not in transitions.names():
        return [_("Unknown transition.")]
    if partnership.is_working_copy:
        return [
            _(
                "This is the working copy of an amendment: it is signed as an amendment, not "
                "moved through the phases."
            )
        ]
    method = getattr(partnership, name)
    sources = {t.source for t in partnership.get_all_phase_transitions() if t.name == name}
    if partnership.phase not in sources and "*" not in sources:
        return [
            _("This is not possible in the %(phase)s phase.")
            % {"phase": partnership.get_phase_display()}
        ]
    if not can_proceed(method, check_conditions=False):
        return [_("This is not possible now.")]
    if (
        name in LEAVES_THE_SIGNED_AGREEMENT
        and partnership.amendments.filter(status=AmendmentStatus.SUBMITTED).exists()
    ):
        return [
            _(
                "An amendment is waiting for signatures: it is signed or withdrawn before the "
                "partnership leaves the agreement it amends."
            )
        ]
    return partnership.blockers(name)


# Transitions after which a signed agreement can no longer be amended (closed, or back to
# design to be negotiated again).
LEAVES_THE_SIGNED_AGREEMENT = ("close", "renegotiate")


def _transition_names(partnership: Partnership) -> list[str]:
    names = []
    for t in partnership.get_all_phase_transitions():
        if t.source == partnership.phase and t.name not in names:
            names.append(t.name)
    return names


def available_transitions(partnership: Partnership) -> list[tuple[str, list[str]]]:
    """The transitions leaving the current phase, each with the reasons it is blocked."""
    return [(name, partnership.blockers(name)) for name in _transition_names(partnership)]


def transition_options(partnership: Partnership) -> list[tuple[str, list, list[str]]]:
    """Like ``available_transitions`` with each checklist too, computed once per transition
    (the same reasons as ``Partnership.blockers``)."""
    options = []
    for name in _transition_names(partnership):
        items = partnership.checklist(name)
        reasons = [item.reason for item in items if not item.done and item.required]
        options.append((name, items, reasons))
    return options


def _transition(*, partnership: Partnership, name: str, by, comment: str = "", note=None, **kwargs):
    """Lock, check, transition, save and record, all in one transaction. ``comment`` is the
    person's words; ``note`` a ``Deferred`` line the system adds (who signed off)."""
    with transaction.atomic():
        locked = Partnership.with_working_copies.select_for_update().get(pk=partnership.pk)
        reasons = transition_blockers(locked, name)
        if reasons:
            raise TransitionRefused(reasons)
        from_phase = locked.phase
        getattr(locked, name)(**kwargs)
        locked.save()
        PhaseChange.objects.create(
            partnership=locked,
            transition=name,
            from_phase=from_phase,
            to_phase=locked.phase,
            by=by,
            comment=comment,
            note=stored(note) if note is not None else {},
        )
        data = {"transition": name, "from": from_phase, "to": locked.phase, "comment": comment}
        if note is not None:
            data["note"] = stored(note)
        audit.record(action=audit.Action.TRANSITION, obj=locked, actor=by, data=data)
    return locked


def partnership_transition(
    *, partnership: Partnership, name: str, by, comment: str = "", note=None, **arguments
) -> Partnership:
    """Run the transition ``name`` (one of ``transitions.names()``): lock, check, transition,
    save and record, in one transaction. Gated transitions come here from the sign-off
    (``gates``); the others straight from the facilitator. ``close`` takes ``outcome``,
    ``transferred_to`` and ``handover_note``; a ``continued`` closure creates the successor."""
    if name not in transitions.names():
        raise TransitionRefused([_("Unknown transition.")])
    needs_reason = transitions.reason_required(name)
    if needs_reason and not (comment or "").strip():
        raise TransitionRefused([str(needs_reason)])
    if name == "close":
        _check_closure(**arguments)
    with transaction.atomic():
        moved = _transition(
            partnership=partnership, name=name, by=by, comment=comment, note=note, **arguments
        )
        if name == "close" and arguments["outcome"] == ClosureOutcome.CONTINUED:
            _create_successor(moved, by=by)
    return moved


def _check_closure(*, outcome: str = "", transferred_to=None, handover_note: str = "") -> None:
    if outcome not in ClosureOutcome.values:
        raise TransitionRefused([_("Choose how the partnership ends.")])
    if outcome == ClosureOutcome.TRANSFERRED and transferred_to is None:
        raise TransitionRefused([_("Say to which actor the partnership is transferred.")])


def _create_successor(closed: Partnership, *, by) -> Partnership:
    successor = partnership_create(
        by=by,
        title=_("%(title)s (continued)") % {"title": closed.title},
        **{name: getattr(closed, name) for name in Partnership.CONTINUED_FIELDS},
        predecessor=closed,
    )
    Member.objects.bulk_create(
        Member(
            partnership=successor,
            organisation=m.organisation,
            role=m.role,
            signatory=m.signatory,
            motivation=m.motivation,
            responsibilities=m.responsibilities,
        )
        for m in closed.members.all()
    )
    for objective in closed.objectives.prefetch_related("indicators"):
        indicators = list(objective.indicators.all())
        objective.pk = None
        objective.partnership = successor
        objective.save()
        for indicator in indicators:
            indicator.pk = None
            indicator.objective = objective
            indicator.save()
    return successor


@transaction.atomic
def partnership_request_assessment(*, partnership, by) -> Partnership:
    """Ask for an assessment before the schedule says one is due (takes a row lock; asking
    again keeps the first request's time)."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if locked.phase != Phase.OPERATION:
        raise TransitionRefused([_("An assessment can only be requested during operation.")])
    if locked.assessment_requested_at is None:
        locked.assessment_requested_at = timezone.now()
        Partnership.objects.filter(pk=locked.pk).update(
            assessment_requested_at=locked.assessment_requested_at
        )
    partnership.assessment_requested_at = locked.assessment_requested_at
    return partnership
