"""Phase gates: a facilitator asks, the assigned people sign off, the transition happens.

Gated transitions are the ones that move between the five phases (``GATED_TRANSITIONS``).
``suspend``, ``resume`` and ``withdraw`` stay direct actions of the facilitator: they pause or
drop a partnership without changing what the partners committed to, and each needs a reason.

Who must approve (``required_approvers``): at least one public official (role ``official``) of
a public-sector member, and for ``start_operation`` (signing the agreement) also the authorised
signatory of every member. Everyone assigned must approve; one refusal closes the request.

Locking: every write here locks the gate request row, then the partnership row
(``select_for_update``), always in that order, so simultaneous approvals queue up: exactly one of
them sees no approval awaited and runs the transition, in the same transaction.

No moving target: a request freezes ``agreed_content()`` and its fingerprint. When the content
changes, ``gate_requests_revalidate`` voids the approvals already given (the rows stay as
history, the people are assigned again) and tells the approvers what changed. Pages that change
agreed content call ``agreed_content_saved`` after saving; an approval also revalidates first,
so a change made by any other path still cannot be approved unseen.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from actors.deferred import Deferred, Joined, stored
from actors.models import Organisation, Role, Sector
from actors.notify import notify

from . import audit, services, signals
from .models import (
    ApprovalCapacity,
    ClosureOutcome,
    Decision,
    GateApproval,
    GateRequest,
    GateStatus,
    Partnership,
    Phase,
)

GATED_TRANSITIONS = (
    "start_design",
    "start_operation",
    "start_assessment",
    "continue_operation",
    "renegotiate",
    "close",
)

TRANSITION_LABELS = {
    "start_design": gettext_lazy("Start design"),
    "start_operation": gettext_lazy("Sign the agreement and start operation"),
    "start_assessment": gettext_lazy("Start assessment"),
    "continue_operation": gettext_lazy("Continue operation"),
    "renegotiate": gettext_lazy("Renegotiate (back to design)"),
    "close": gettext_lazy("Close"),
}

CONTENT_LABELS = {
    "title": gettext_lazy("Title"),
    "problem": gettext_lazy("Problem or opportunity"),
    "common_interest": gettext_lazy("Common interest"),
    "general_objective": gettext_lazy("General objective"),
    "scope": gettext_lazy("Scope"),
    "country": gettext_lazy("Country"),
    "territory": gettext_lazy("Territory"),
    "dac_sector": gettext_lazy("Field of intervention"),
    "sdg_targets": gettext_lazy("SDG targets"),
    "start_date": gettext_lazy("Start date"),
    "end_date": gettext_lazy("End date"),
    "modality": gettext_lazy("Modality"),
    "formalisation_level": gettext_lazy("Formalisation level"),
    "governance": gettext_lazy("Governance"),
    "communication_lead": gettext_lazy("Who leads communication"),
    "tracking_tools": gettext_lazy("Tracking and assessment tools"),
    "confidentiality": gettext_lazy("Confidentiality commitment"),
    "non_compliance": gettext_lazy("Actions on non-compliance"),
    "assessment_criteria": gettext_lazy("Assessment criteria"),
    "assessment_every_months": gettext_lazy("Assessment every (months)"),
    "assessment_dates": gettext_lazy("Assessment dates"),
    "members": gettext_lazy("Members and signatories"),
    "objectives": gettext_lazy("Objectives and indicators"),
    "contributions": gettext_lazy("Contributions"),
    "risks": gettext_lazy("Risks"),
}


class GateError(Exception):
    """A gate action that may not happen; ``reasons`` say why, in plain words."""

    def __init__(self, reasons: list[str]):
        self.reasons = [str(r) for r in reasons]
        super().__init__(" ".join(self.reasons))


def is_gated(transition: str) -> bool:
    return transition in GATED_TRANSITIONS


def transition_label(transition: str) -> str:
    return str(TRANSITION_LABELS.get(transition, transition))


def _transition_text(transition: str):
    """The transition's label, translated when the message it is part of is read."""
    return TRANSITION_LABELS.get(transition, transition)


@dataclass(frozen=True)
class Assignment:
    user: object
    capacity: str
    member: object = None


def eligible_officials(partnership: Partnership):
    """Active officials of the partnership's public-sector members."""
    from actors.models import User

    return User.objects.filter(
        is_active=True,
        role=Role.OFFICIAL,
        organisation__sector=Sector.PUBLIC,
        organisation__memberships__partnership=partnership,
    ).order_by("full_name", "pk")


def required_approvers(
    partnership: Partnership, transition: str, *, officials=None
) -> tuple[list[Assignment], list[str]]:
    """The people who must approve ``transition``, and the reasons the list is not possible.

    ``officials`` narrows the officials to a chosen subset of the eligible ones (default: all).
    """
    reasons = []
    eligible = list(eligible_officials(partnership))
    if officials is not None:
        chosen = {getattr(o, "pk", o) for o in officials}
        outsiders = chosen - {o.pk for o in eligible}
        if outsiders:
            reasons.append(_("Only public officials of a public-sector member can sign off."))
        eligible = [o for o in eligible if o.pk in chosen]
    if not eligible:
        reasons.append(
            _(
                "No public official can sign off this gate: add a user with the role "
                "“public official” to one of the public-sector members."
            )
        )
    assignments: dict[int, Assignment] = {}
    if transition == "start_operation":
        for member in partnership.members.select_related("organisation", "signatory"):
            signatory = member.signatory
            if signatory is None or not signatory.is_active:
                reasons.append(
                    _("%(member)s has no active authorised signatory.")
                    % {"member": member.organisation.name}
                )
                continue
            assignments.setdefault(
                signatory.pk, Assignment(signatory, ApprovalCapacity.SIGNATORY, member)
            )
    for official in eligible:
        assignments.setdefault(official.pk, Assignment(official, ApprovalCapacity.OFFICIAL))
    return list(assignments.values()), reasons


def _validate_arguments(transition: str, arguments: dict) -> dict:
    if transition != "close":
        return {}
    outcome = arguments.get("outcome") or ""
    if outcome not in ClosureOutcome.values:
        raise GateError([_("Choose how the partnership ends.")])
    transferred_to = arguments.get("transferred_to")
    if isinstance(transferred_to, Organisation):
        transferred_to = transferred_to.pk
    if outcome == ClosureOutcome.TRANSFERRED:
        if not transferred_to or not Organisation.objects.filter(pk=transferred_to).exists():
            raise GateError([_("Say to which actor the partnership is transferred.")])
    else:
        transferred_to = None
    return {
        "outcome": outcome,
        "transferred_to": transferred_to,
        "handover_note": arguments.get("handover_note") or "",
    }


def _facilitators(gate: GateRequest) -> list:
    people = [gate.requested_by]
    facilitator = gate.partnership.facilitator
    if facilitator is not None and facilitator.pk != gate.requested_by_id:
        people.append(facilitator)
    return people


def _gate_url(gate: GateRequest) -> str:
    return reverse("partnerships:gate_detail", args=[gate.pk])


def gate_request_create(
    *,
    partnership: Partnership,
    transition: str,
    by,
    comment: str = "",
    officials=None,
    **arguments,
) -> GateRequest:
    """Open a gate request for ``transition`` and tell each approver.

    Preconditions: ``transition`` is gated, its checklist passes, no other request is open, and
    there is at least one public official to approve. Takes a row lock on the partnership.
    """
    if not is_gated(transition):
        raise GateError([_("This change does not need a sign-off.")])
    arguments = _validate_arguments(transition, arguments)
    try:
        with transaction.atomic():
            locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
            if GateRequest.objects.filter(partnership=locked, status=GateStatus.OPEN).exists():
                raise GateError([_("A sign-off is already waiting for this partnership.")])
            reasons = services.transition_blockers(locked, transition)
            assignments, approver_reasons = required_approvers(
                locked, transition, officials=officials
            )
            reasons += approver_reasons
            if reasons:
                raise GateError(reasons)
            content = locked.agreed_content()
            gate = GateRequest.objects.create(
                partnership=locked,
                transition=transition,
                from_phase=locked.phase,
                fingerprint=locked.agreed_fingerprint(content),
                content=content,
                arguments=arguments,
                comment=comment,
                requested_by=by,
            )
            GateApproval.objects.bulk_create(
                GateApproval(request=gate, approver=a.user, capacity=a.capacity, member=a.member)
                for a in assignments
            )
            audit.record(
                action=audit.Action.GATE_REQUESTED,
                obj=gate,
                actor=by,
                data={
                    "partnership": locked.pk,
                    "transition": transition,
                    "from_phase": locked.phase,
                    "fingerprint": gate.fingerprint,
                    "approvers": [a.user.pk for a in assignments],
                    "arguments": arguments,
                    "comment": comment,
                },
            )
            for a in assignments:
                notify(
                    recipient=a.user,
                    title=Deferred(
                        gettext_noop("Your sign-off is requested: %(partnership)s"),
                        partnership=locked.title,
                    ),
                    body=Deferred(
                        gettext_noop("%(who)s asks you to approve “%(transition)s”. %(comment)s"),
                        who=by.full_name,
                        transition=_transition_text(transition),
                        comment=comment,
                    ),
                    url=_gate_url(gate),
                )
            signals.gate_requested.send(sender=GateRequest, gate_request=gate)
    except IntegrityError:
        # Two requests raced; the unique constraint let only one through.
        raise GateError([_("A sign-off is already waiting for this partnership.")])
    return gate


def _lock(gate_request_id: int) -> tuple[GateRequest, Partnership]:
    """Lock the gate request, then its partnership (always in this order)."""
    gate = (
        GateRequest.objects.select_for_update()
        .select_related("requested_by")
        .get(pk=gate_request_id)
    )
    gate.partnership = Partnership.objects.select_for_update().get(pk=gate.partnership_id)
    return gate, gate.partnership


def _close(gate: GateRequest, status: str, reason="") -> None:
    """``reason``: the person's words, or a ``Deferred`` the system wrote (kept in
    ``closed_note`` so that each reader gets it in their language)."""
    gate.status = status
    gate.decided_at = timezone.now()
    if isinstance(reason, Deferred):
        gate.closed_reason, gate.closed_note = "", stored(reason)
    else:
        gate.closed_reason, gate.closed_note = reason, {}
    gate.save(update_fields=["status", "decided_at", "closed_reason", "closed_note"])


def describe_changes(before: dict, after: dict) -> list[Deferred]:
    """What differs between two versions of the agreed content, in plain words (translated
    when read: ``str()`` each, or keep ``stored()`` in a history row)."""
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        label = CONTENT_LABELS.get(key, key.replace("_", " ").capitalize())
        if isinstance(old, list | dict) or isinstance(new, list | dict):
            changes.append(Deferred(gettext_noop("%(item)s changed."), item=label))
        else:
            changes.append(
                Deferred(
                    gettext_noop("%(item)s: “%(old)s” became “%(new)s”."),
                    item=label,
                    old=old if old not in (None, "") else "—",
                    new=new or "—",
                )
            )
    return changes


def _revalidate_locked(gate: GateRequest, partnership: Partnership, *, by=None) -> list[str]:
    """With both rows locked: cancel a request the partnership has moved away from, or void the
    approvals given to content that has since changed. Returns what changed (empty: nothing)."""
    if gate.from_phase and partnership.phase != gate.from_phase:
        reason = Deferred(
            gettext_noop(
                "The partnership moved to the %(phase)s phase while this request was open."
            ),
            phase=Phase(partnership.phase).label,
        )
        _close(gate, GateStatus.CANCELLED, reason)
        audit.record(
            action=audit.Action.GATE_CANCELLED,
            obj=gate,
            actor=by,
            data={"reason": stored(reason), "phase": partnership.phase},
        )
        for person in _facilitators(gate):
            notify(
                recipient=person,
                title=gettext_lazy("Sign-off request cancelled"),
                body=reason,
                url=_gate_url(gate),
            )
        return [reason]
    content = partnership.agreed_content()
    fingerprint = partnership.agreed_fingerprint(content)
    if fingerprint == gate.fingerprint:
        return []
    changes = describe_changes(gate.content, content) or [
        Deferred(gettext_noop("The agreed content changed."))
    ]
    voided = list(gate.approvals.filter(decision=Decision.APPROVED).select_related("approver"))
    now = timezone.now()
    for approval in voided:
        GateApproval.objects.filter(pk=approval.pk).update(decision=Decision.VOID)
        GateApproval.objects.create(
            request=gate,
            approver=approval.approver,
            capacity=approval.capacity,
            member=approval.member,
        )
    old_fingerprint = gate.fingerprint
    gate.content, gate.fingerprint = content, fingerprint
    gate.revision += 1
    gate.save(update_fields=["content", "fingerprint", "revision"])
    audit.record(
        action=audit.Action.GATE_VOIDED,
        obj=gate,
        actor=by,
        data={
            "fingerprint_before": old_fingerprint,
            "fingerprint_after": fingerprint,
            "voided_approvals": [a.pk for a in voided],
            "voided_approvers": [a.approver_id for a in voided],
            "changes": [stored(c) for c in changes],
            "at": now.isoformat(),
        },
    )
    body = Joined(
        gettext_lazy("The content you are asked to approve has changed:"),
        *[Joined("- ", c, separator="") for c in changes],
    )
    told = set()
    for approval in gate.approvals.exclude(decision=Decision.VOID).select_related("approver"):
        if approval.approver_id in told:
            continue
        told.add(approval.approver_id)
        was_voided = any(v.approver_id == approval.approver_id for v in voided)
        notify(
            recipient=approval.approver,
            title=Deferred(
                gettext_noop("Your approval is void, the content changed: %(partnership)s")
                if was_voided
                else gettext_noop("The content to approve changed: %(partnership)s"),
                partnership=partnership.title,
            ),
            body=body,
            url=_gate_url(gate),
        )
    return changes


def gate_requests_revalidate(partnership: Partnership, *, by=None) -> list[str]:
    """Check the partnership's open request against its current content (call after any change
    of agreed content). Returns the changes found, in the active language; empty when nothing
    had to be voided."""
    open_ids = list(
        GateRequest.objects.filter(partnership=partnership, status=GateStatus.OPEN).values_list(
            "pk", flat=True
        )
    )
    changes = []
    for gate_id in open_ids:
        with transaction.atomic():
            gate, locked = _lock(gate_id)
            if gate.status == GateStatus.OPEN:
                changes += [str(c) for c in _revalidate_locked(gate, locked, by=by)]
    return changes


def signed_agreement(partnership: Partnership) -> GateRequest | None:
    """The latest approved ``start_operation`` request: the agreement as signed."""
    return (
        GateRequest.objects.filter(
            partnership=partnership, transition="start_operation", status=GateStatus.APPROVED
        )
        .order_by("-decided_at", "-pk")
        .first()
    )


@transaction.atomic
def agreed_content_saved(*, partnership: Partnership, by, ip: str | None = None) -> list[str]:
    """Call after saving anything that is part of the agreed content.

    Voids approvals of an open request if the content changed, and, once the agreement is
    signed, records the change in the audit trail (what changed, by whom, from where).
    """
    changes = gate_requests_revalidate(partnership, by=by)
    signed = signed_agreement(partnership)
    if signed is None:
        return changes
    last = (
        audit.AuditEntry.objects.for_object(partnership)
        .filter(action=audit.Action.CONTENT_CHANGED)
        .order_by("-seq")
        .first()
    )
    known_content = last.data.get("content") if last else signed.content
    known_fingerprint = last.data.get("fingerprint_after") if last else signed.fingerprint
    content = partnership.agreed_content()
    fingerprint = partnership.agreed_fingerprint(content)
    if fingerprint != known_fingerprint:
        audit.record(
            action=audit.Action.CONTENT_CHANGED,
            obj=partnership,
            actor=by,
            ip=ip,
            data={
                "signed_gate_request": signed.pk,
                "fingerprint_before": known_fingerprint,
                "fingerprint_after": fingerprint,
                "changes": [stored(c) for c in describe_changes(known_content or {}, content)],
                "content": content,
            },
        )
    return changes


def signed_off_note(gate: GateRequest, approvers: list) -> Deferred:
    """The history line of a passed gate, in each reader's language."""
    return Deferred(
        gettext_noop("Signed off by %(names)s (gate request #%(id)s)."),
        names=", ".join(a.full_name for a in approvers),
        id=gate.pk,
    )


def _run_transition(gate: GateRequest, partnership: Partnership, approvers: list):
    # The requester's words stay theirs; the line that says who signed off is translated for
    # whoever reads the history.
    kwargs = {"note": signed_off_note(gate, approvers)}
    if gate.transition == "close":
        args = gate.arguments or {}
        kwargs |= {
            "outcome": args.get("outcome", ""),
            "transferred_to": Organisation.objects.filter(pk=args.get("transferred_to")).first()
            if args.get("transferred_to")
            else None,
            "handover_note": args.get("handover_note", ""),
        }
    service = getattr(services, f"partnership_{gate.transition}")
    return service(partnership=partnership, by=gate.requested_by, comment=gate.comment, **kwargs)


def _my_pending(gate: GateRequest, by) -> GateApproval:
    approval = (
        gate.approvals.select_for_update()
        .filter(approver=by)
        .exclude(decision=Decision.VOID)
        .first()
    )
    if approval is None:
        raise GateError([_("You are not assigned to this sign-off.")])
    if approval.decision != Decision.PENDING:
        raise GateError(
            [
                _("You have already decided: %(decision)s.")
                % {"decision": approval.get_decision_display()}
            ]
        )
    return approval


def _decide(*, gate_request_id: int, by, comment: str, ip: str | None, approve: bool):
    with transaction.atomic():
        gate, partnership = _lock(gate_request_id)
        if gate.status != GateStatus.OPEN:
            raise GateError(
                [_("This request is closed: %(status)s.") % {"status": gate.get_status_display()}]
            )
        approval = _my_pending(gate, by)
        ip = ip or audit.current_ip()
        changes = _revalidate_locked(gate, partnership, by=by)
        if changes and (approve or gate.status != GateStatus.OPEN):
            # Cancelled, or the approver saw the old content and must look again: the voids
            # are kept (this transaction commits), the approval is not given.
            return gate, changes
        approval.decision = Decision.APPROVED if approve else Decision.REFUSED
        approval.comment = comment
        approval.fingerprint = gate.fingerprint
        approval.decided_at = timezone.now()
        approval.ip_address = ip
        approval.reference = f"G{gate.pk}-A{approval.pk}-{gate.fingerprint[:12]}"
        approval.save()
        audit.record(
            action=audit.Action.GATE_APPROVED if approve else audit.Action.GATE_REFUSED,
            obj=gate,
            actor=by,
            ip=ip,
            data={
                "approval": approval.pk,
                "capacity": approval.capacity,
                "fingerprint": gate.fingerprint,
                "revision": gate.revision,
                "comment": comment,
            },
        )
        who = by.full_name
        if not approve:
            _close(gate, GateStatus.REFUSED, comment)
            for person in _facilitators(gate):
                notify(
                    recipient=person,
                    title=Deferred(
                        gettext_noop("%(who)s refused the sign-off: %(partnership)s"),
                        who=who,
                        partnership=partnership.title,
                    ),
                    body=Deferred(gettext_noop("Reason: %(reason)s"), reason=comment),
                    url=_gate_url(gate),
                )
            signals.gate_decided.send(sender=GateRequest, gate_request=gate)
            return gate, []
        awaited = gate.approvals.filter(decision=Decision.PENDING).exists()
        if awaited:
            for person in _facilitators(gate):
                notify(
                    recipient=person,
                    title=Deferred(
                        gettext_noop("%(who)s approved: %(partnership)s"),
                        who=who,
                        partnership=partnership.title,
                    ),
                    body=comment,
                    url=_gate_url(gate),
                )
            return gate, []
        approvers = [
            a.approver
            for a in gate.approvals.filter(decision=Decision.APPROVED).select_related("approver")
        ]
        try:
            moved = _run_transition(gate, partnership, approvers)
        except services.TransitionRefused as refused:
            # Nothing of this approval is kept: the transaction rolls back.
            raise GateError(refused.reasons)
        _close(gate, GateStatus.APPROVED)
        audit.record(
            action=audit.Action.GATE_PASSED,
            obj=gate,
            actor=by,
            ip=ip,
            data={
                "partnership": partnership.pk,
                "to_phase": moved.phase,
                "fingerprint": gate.fingerprint,
            },
        )
        for person in _facilitators(gate):
            notify(
                recipient=person,
                title=Deferred(
                    gettext_noop(
                        "%(who)s approved; the partnership is now in %(phase)s: %(partnership)s"
                    ),
                    who=who,
                    phase=Phase(moved.phase).label,
                    partnership=moved.title,
                ),
                body=comment,
                url=_gate_url(gate),
            )
        signals.gate_decided.send(sender=GateRequest, gate_request=gate)
        return gate, []


def _gate_id(approval_id, gate_request) -> int:
    if gate_request is not None:
        return getattr(gate_request, "pk", gate_request)
    if approval_id is not None:
        return GateApproval.objects.values_list("request_id", flat=True).get(pk=approval_id)
    raise TypeError("Pass gate_request or approval_id.")


def signoff_approve(
    *, by, comment: str = "", ip: str | None = None, gate_request=None, approval_id=None
) -> GateRequest:
    """Approve as ``by``. The last approval runs the transition in the same transaction.

    If the content changed since the request was made, the approvals are voided instead and
    nothing is approved: the approver must look at the new content first. Takes row locks on
    the gate request and the partnership.
    """
    gate_id = _gate_id(approval_id, gate_request)
    gate, changes = _decide(gate_request_id=gate_id, by=by, comment=comment, ip=ip, approve=True)
    if gate.status == GateStatus.CANCELLED:
        raise GateError([gate.closed_reason_text])
    if changes:
        raise GateError(
            [_("The content changed since the request was made; review it again."), *changes]
        )
    return gate


def signoff_refuse(
    *, by, comment: str, ip: str | None = None, gate_request=None, approval_id=None
) -> GateRequest:
    """Refuse as ``by``, with a reason: the request closes and the facilitator is told."""
    if not (comment or "").strip():
        raise GateError([_("Say why you refuse.")])
    gate_id = _gate_id(approval_id, gate_request)
    gate, _changes = _decide(gate_request_id=gate_id, by=by, comment=comment, ip=ip, approve=False)
    if gate.status == GateStatus.CANCELLED:
        raise GateError([gate.closed_reason_text])
    return gate


def gate_request_cancel(*, gate_request, by, comment: str = "") -> GateRequest:
    """The facilitator withdraws an open request (to change the content, say)."""
    with transaction.atomic():
        gate, partnership = _lock(getattr(gate_request, "pk", gate_request))
        if gate.status != GateStatus.OPEN:
            raise GateError([_("This request is already closed.")])
        reason = comment or Deferred(gettext_noop("Cancelled by %(who)s."), who=by.full_name)
        _close(gate, GateStatus.CANCELLED, reason)
        audit.record(
            action=audit.Action.GATE_CANCELLED, obj=gate, actor=by, data={"reason": comment}
        )
        for approval in gate.approvals.filter(decision=Decision.PENDING).select_related("approver"):
            notify(
                recipient=approval.approver,
                title=Deferred(
                    gettext_noop("Sign-off no longer needed: %(partnership)s"),
                    partnership=partnership.title,
                ),
                body=reason,
                url=_gate_url(gate),
            )
    return gate
