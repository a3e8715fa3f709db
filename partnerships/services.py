"""Write operations on partnerships: one function per business action.

Every lifecycle transition goes through ``_transition``: it takes a row lock on the partnership,
checks the guard, calls the django-fsm-2 transition, saves and writes the ``PhaseChange`` in one
transaction. The sign-off (gate requests) sits in front of these functions.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_fsm import can_proceed

from actors.deferred import stored

from . import audit, permissions, transitions
from .codes import country_currency
from .models import (
    ClosureOutcome,
    Contribution,
    Delivery,
    Indicator,
    Measurement,
    Member,
    Objective,
    Partnership,
    Phase,
    PhaseChange,
)


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
    method = getattr(partnership, name)
    sources = {t.source for t in partnership.get_all_phase_transitions() if t.name == name}
    if partnership.phase not in sources and "*" not in sources:
        return [
            _("This is not possible in the %(phase)s phase.")
            % {"phase": partnership.get_phase_display()}
        ]
    if not can_proceed(method, check_conditions=False):
        return [_("This is not possible now.")]
    return partnership.blockers(name)


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
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
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
        problem=closed.problem,
        common_interest=closed.common_interest,
        general_objective=closed.general_objective,
        country=closed.country,
        territory=closed.territory,
        dac_sector=closed.dac_sector,
        sdg_goals=closed.sdg_goals,
        sdg_targets=closed.sdg_targets,
        modality=closed.modality,
        facilitator=closed.facilitator,
        language=closed.language,
        currency=closed.currency,
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


# A delivery may be dated a day ahead of the server's date: whoever records it may live in a
# time zone that is already tomorrow.
DELIVERY_DATE_SLACK = datetime.timedelta(days=1)


def delivery_problems(
    *, contribution: Contribution, amount: Decimal, delivered_on: datetime.date, note: str
) -> dict[str, list[str]]:
    """What is wrong with a delivery, by field (empty: nothing): the page form and the API
    show the same messages, because both come here through ``contribution_record_delivery``."""
    problems: dict[str, list[str]] = {}
    if delivered_on and delivered_on > timezone.localdate() + DELIVERY_DATE_SLACK:
        problems["delivered_on"] = [_("A delivery cannot be recorded in the future.")]
    if amount is not None and amount > 0:
        total = contribution.delivered_amount + amount
        # Delivering more than promised happens (a bigger venue, a third nutritionist), but it
        # is then a fact the partners should read about, not a silent jump in the figures.
        if total > contribution.planned_amount and not (note or "").strip():
            problems["note"] = [
                _(
                    "This brings the delivered total to %(total)s, more than the %(planned)s "
                    "planned: say why in the note."
                )
                % {
                    "total": f"{total:.2f}",
                    "planned": f"{contribution.planned_amount:.2f}",
                }
            ]
    return problems


@transaction.atomic
def contribution_record_delivery(
    *, contribution: Contribution, amount: Decimal, delivered_on: datetime.date, by, note=""
) -> Delivery:
    """Record a delivery and add it to the contribution's running total atomically.

    The one door for the page, the API and the demo. ``by`` must be allowed to
    (``permissions.can_record_delivery``: the facilitator for any member, a member's people for
    their own organisation's contributions), else ``PermissionDenied``; ``delivery_problems``
    must find nothing, else ``ValidationError`` by field. Takes a row lock on the contribution,
    so simultaneous deliveries are each compared with the plan after the previous one.
    """
    locked = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("partnership", "member")
        .get(pk=contribution.pk)
    )
    if not permissions.can_record_delivery(by, locked):
        raise PermissionDenied(
            _("You may record deliveries only of your own organisation's contributions.")
        )
    delivery = Delivery(
        contribution=locked,
        amount=amount,
        delivered_on=delivered_on,
        note=note or "",
        recorded_by=by,
    )
    problems = {}
    try:
        delivery.full_clean()
    except ValidationError as invalid:
        problems = invalid.message_dict
    for field, messages in delivery_problems(
        contribution=locked, amount=amount, delivered_on=delivered_on, note=note
    ).items():
        problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    delivery.save()
    Contribution.objects.filter(pk=locked.pk).update(
        delivered_amount=F("delivered_amount") + amount
    )
    contribution.refresh_from_db(fields=["delivered_amount"])
    return delivery


# ----- measurements ------------------------------------------------------------------------------

MEASUREMENT_FIELDS = ("indicator", "measured_on", "value", "note")


def _measurement_values(measurement: Measurement) -> dict:
    return {
        "indicator": measurement.indicator_id,
        "measured_on": measurement.measured_on.isoformat() if measurement.measured_on else None,
        "value": f"{Decimal(measurement.value):.2f}" if measurement.value is not None else None,
        "note": measurement.note,
    }


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, measured_on: datetime.date, value: Decimal, by, note: str = ""
) -> Measurement:
    """Add a measurement of ``indicator``, recorded by ``by`` (who may contribute to its
    partnership: ``PermissionDenied`` otherwise)."""
    partnership = Partnership.objects.get(pk=indicator.objective.partnership_id)
    if not permissions.can_contribute(by, partnership):
        raise PermissionDenied(_("You may not record measurements in this partnership."))
    measurement = Measurement(
        indicator=indicator, measured_on=measured_on, value=value, note=note or "", recorded_by=by
    )
    measurement.full_clean()
    measurement.save()
    return measurement


def _locked_measurement(measurement: Measurement, by) -> tuple[Measurement, Partnership]:
    locked = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__objective")
        .get(pk=measurement.pk)
    )
    partnership = Partnership.objects.get(pk=locked.indicator.objective.partnership_id)
    if not permissions.can_change_measurement(by, locked, partnership):
        raise PermissionDenied(
            _("Only whoever recorded a measurement, or the facilitator, may change or remove it.")
        )
    return locked, partnership


@transaction.atomic
def measurement_correct(*, measurement: Measurement, by, **fields) -> Measurement:
    """Correct a measurement: its recorder or the partnership's facilitator
    (``permissions.can_change_measurement``, ``PermissionDenied`` otherwise). The measurement
    keeps its recorder and says who corrected it last and when; the audit trail keeps the
    values before and after. Nothing is recorded when nothing changes. Takes a row lock."""
    unknown = set(fields) - set(MEASUREMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown measurement fields: {', '.join(sorted(unknown))}")
    locked, partnership = _locked_measurement(measurement, by)
    before = _measurement_values(locked)
    indicator = fields.get("indicator")
    if indicator is not None and indicator.objective.partnership_id != partnership.pk:
        raise ValidationError({"indicator": _("The indicator belongs to another partnership.")})
    for name, value in fields.items():
        setattr(locked, name, value)
    after = _measurement_values(locked)
    if after == before:
        return locked
    locked.full_clean()
    locked.corrected_by = by
    locked.corrected_at = timezone.now()
    locked.save()
    audit.record(
        action=audit.Action.MEASUREMENT_CORRECTED,
        obj=locked,
        actor=by,
        data={"partnership": partnership.pk, "before": before, "after": after},
    )
    return locked


@transaction.atomic
def measurement_remove(*, measurement: Measurement, by) -> None:
    """Remove a measurement (and its evidence files): its recorder or the partnership's
    facilitator; the audit trail keeps what it said and who removed it. Takes a row lock."""
    locked, partnership = _locked_measurement(measurement, by)
    files = [(a.file.storage, a.file.name) for a in locked.attachments.all()]
    audit.record(
        action=audit.Action.MEASUREMENT_REMOVED,
        obj=locked,
        actor=by,
        data={
            "partnership": partnership.pk,
            "recorded_by": locked.recorded_by_id,
            "evidence_files": len(files),
            **_measurement_values(locked),
        },
    )
    locked.delete()
    # The evidence rows go with it (cascade); their stored files once that is committed.
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


# ----- a member leaving before the agreement is signed --------------------------------------------


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
    from . import gates  # gates builds on this module

    partnership = Partnership.objects.select_for_update().get(pk=member.partnership_id)
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


def objective_next_order(partnership) -> int:
    last = Objective.objects.filter(partnership=partnership).order_by("-order").first()
    return (last.order + 1) if last else 0


@transaction.atomic
def candidate_invite(*, candidate, role: str, by) -> Member:
    """Make a prioritised candidate a member of its partnership (in the role given)."""
    member, _created = Member.objects.get_or_create(
        partnership_id=candidate.partnership_id,
        organisation_id=candidate.organisation_id,
        defaults={"role": role},
    )
    return member
