"""The sign-off itself: a facilitator requests it, the people assigned approve or refuse, the
last approval runs the transition; a request can be cancelled, an approval handed over."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from actors.deferred import Deferred
from actors.models import Organisation
from actors.notify import notify

from .. import audit, signals
from ..amendments import signing as amendment_signing
from ..amendments.working_copy import MergeRefused
from ..lifecycle import services
from ..models import (
    ApprovalCapacity,
    ClosureOutcome,
    Decision,
    GateApproval,
    GateRequest,
    GateStatus,
    Partnership,
    Phase,
)
from .approvers import (
    AMEND,
    GateError,
    Revalidation,
    _close,
    _facilitators,
    _gate_url,
    _lock,
    _revalidate_locked,
    _transition_text,
    is_gated,
    required_approvers,
    transition_label,
)


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
            locked = Partnership.with_working_copies.select_for_update().get(pk=partnership.pk)
            if GateRequest.objects.filter(partnership=locked, status=GateStatus.OPEN).exists():
                raise GateError([_("A sign-off is already waiting for this partnership.")])
            # An amendment's own checks ran before (amendments.services.amendment_submit).
            reasons = (
                [] if transition == AMEND else services.transition_blockers(locked, transition)
            )
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
                officials=[getattr(o, "pk", o) for o in officials] if officials else [],
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


def signed_off_note(gate: GateRequest, approvers: list) -> Deferred:
    """The history line of a passed gate, in each reader's language."""
    return Deferred(
        gettext_noop("Signed off by %(names)s (gate request #%(id)s)."),
        names=", ".join(a.full_name for a in approvers),
        id=gate.pk,
    )


def _run_transition(gate: GateRequest, partnership: Partnership, approvers: list, *, by):
    if gate.transition == AMEND:
        try:
            amendment_signing.amendment_signed(gate, approvers=approvers, by=by)
        except MergeRefused as refused:
            raise services.TransitionRefused(refused.reasons)
        return partnership
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
    return services.partnership_transition(
        partnership=partnership,
        name=gate.transition,
        by=gate.requested_by,
        comment=gate.comment,
        **kwargs,
    )


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
        _my_pending(gate, by)
        ip = ip or audit.current_ip()
        check = _revalidate_locked(gate, partnership, by=by)
        if check.cancelled or (check.changes and approve):
            # Cancelled, or the approver saw the old content and must look again: the voids
            # are kept (this transaction commits), the approval is not given.
            return gate, check
        approval = (
            gate.approvals.select_for_update()
            .filter(approver=by, decision=Decision.PENDING)
            .first()
        )
        if approval is None:
            # The members or signatories changed: this person no longer signs off.
            check.unassigned = True
            return gate, check
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
            if gate.transition == AMEND:
                amendment_signing.amendment_reopened(gate, by=by, reason=comment)
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
            return gate, check
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
            return gate, check
        if check.blockers:
            # Everyone assigned approved, but someone who must sign cannot be asked yet (a
            # member without an active signatory): the gate waits for the facilitator.
            for person in _facilitators(gate):
                notify(
                    recipient=person,
                    title=Deferred(
                        gettext_noop(
                            "%(who)s approved, but the sign-off cannot pass yet: %(partnership)s"
                        ),
                        who=who,
                        partnership=partnership.title,
                    ),
                    body="\n".join(str(b) for b in check.blockers),
                    url=_gate_url(gate),
                )
            return gate, check
        approvers = [
            a.approver
            for a in gate.approvals.filter(decision=Decision.APPROVED).select_related("approver")
        ]
        try:
            moved = _run_transition(gate, partnership, approvers, by=by)
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
        if gate.transition == AMEND:
            passed = Deferred(
                gettext_noop("%(who)s approved; the amendment is signed: %(partnership)s"),
                who=who,
                partnership=moved.title,
            )
        else:
            passed = Deferred(
                gettext_noop(
                    "%(who)s approved; the partnership is now in %(phase)s: %(partnership)s"
                ),
                who=who,
                phase=Phase(moved.phase).label,
                partnership=moved.title,
            )
        for person in _facilitators(gate):
            notify(
                recipient=person,
                title=passed,
                body=comment,
                url=_gate_url(gate),
            )
        signals.gate_decided.send(sender=GateRequest, gate_request=gate)
        return gate, check


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
    gate, check = _decide(gate_request_id=gate_id, by=by, comment=comment, ip=ip, approve=True)
    if gate.status == GateStatus.CANCELLED:
        raise GateError([gate.closed_reason_text])
    if check.changes:
        raise GateError(
            [_("The content changed since the request was made; review it again."), *check.changes]
        )
    _refuse_unassigned(check)
    gate.blockers = check.blockers if gate.is_open else []
    return gate


def _refuse_unassigned(check: Revalidation) -> None:
    if check.unassigned:
        raise GateError(
            [
                _("You are no longer among the people who sign off this request."),
                *check.assignment_lines(),
            ]
        )


def signoff_refuse(
    *, by, comment: str, ip: str | None = None, gate_request=None, approval_id=None
) -> GateRequest:
    """Refuse as ``by``, with a reason: the request closes and the facilitator is told."""
    if not (comment or "").strip():
        raise GateError([_("Say why you refuse.")])
    gate_id = _gate_id(approval_id, gate_request)
    gate, check = _decide(gate_request_id=gate_id, by=by, comment=comment, ip=ip, approve=False)
    if gate.status == GateStatus.CANCELLED:
        raise GateError([gate.closed_reason_text])
    _refuse_unassigned(check)
    return gate


def gate_request_cancel(*, gate_request, by, comment: str = "") -> GateRequest:
    """The facilitator withdraws an open request (to change the content, say)."""
    with transaction.atomic():
        gate, partnership = _lock(getattr(gate_request, "pk", gate_request))
        if gate.status != GateStatus.OPEN:
            raise GateError([_("This request is already closed.")])
        reason = comment or Deferred(gettext_noop("Cancelled by %(who)s."), who=by.full_name)
        _close(gate, GateStatus.CANCELLED, reason)
        if gate.transition == AMEND:
            amendment_signing.amendment_reopened(gate, by=by, reason=reason)
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


def gate_approval_reassign(
    *, approval_id: int, to=None, by, reason: str = ""
) -> GateApproval | None:
    """Hand a pending approval over to ``to`` (same capacity and member), or drop it (``to``
    None) when others assigned still sign off: the person assigned can no longer act (they
    left their organisation, say). The old row stays as history (void); ``to`` is told.

    Does nothing when the approval is no longer pending or ``to`` is already assigned (then the
    old one is only voided). Takes row locks on the gate request and the partnership.
    """
    with transaction.atomic():
        gate_id = GateApproval.objects.values_list("request_id", flat=True).get(pk=approval_id)
        gate, partnership = _lock(gate_id)
        approval = gate.approvals.select_for_update().get(pk=approval_id)
        if gate.status != GateStatus.OPEN or approval.decision != Decision.PENDING:
            return None
        GateApproval.objects.filter(pk=approval.pk).update(decision=Decision.VOID)
        new = None
        if (
            to is not None
            and not gate.approvals.filter(approver=to).exclude(decision=Decision.VOID).exists()
        ):
            new = GateApproval.objects.create(
                request=gate, approver=to, capacity=approval.capacity, member=approval.member
            )
        remaining = gate.approvals.exclude(decision=Decision.VOID)
        # Dropping the last awaited approval would pass the gate without a decision.
        if not remaining.filter(decision=Decision.PENDING).exists():
            raise GateError([_("Choose who takes over: nobody else is awaited on this sign-off.")])
        if (
            approval.capacity == ApprovalCapacity.OFFICIAL
            and not remaining.filter(capacity=ApprovalCapacity.OFFICIAL).exists()
        ):
            raise GateError([_("A public official must still sign off this request.")])
        audit.record(
            action=audit.Action.GATE_REASSIGNED,
            obj=gate,
            actor=by,
            data={
                "approval": approval.pk,
                "from": approval.approver_id,
                "to": getattr(to, "pk", None),
                "capacity": approval.capacity,
                "reason": reason,
            },
        )
        if new is not None:
            notify(
                recipient=to,
                title=_("Your sign-off is requested: %(partnership)s")
                % {"partnership": partnership.title},
                body=_("You take over from %(who)s: “%(transition)s”. %(reason)s")
                % {
                    "who": approval.approver.full_name,
                    "transition": transition_label(gate.transition),
                    "reason": reason,
                },
                url=_gate_url(gate),
            )
    return new
