"""What the sign-off of an amendment does when it ends: the last approval merges the working copy
into the agreement and numbers the amendment; a refusal or a cancellation takes it back to
draft. Called by ``gates.signoff`` inside the decision's transaction (the gate request and the
working copy locked, in that order; the partnership is locked here, last)."""

from actors.deferred import Deferred, stored

from .. import audit, signals
from ..agreement.diff import describe_changes
from ..gates.approvers import agreed_content_saved
from ..models import Amendment, AmendmentStatus, Partnership
from . import working_copy


def _amendment_of(gate) -> Amendment:
    return Amendment.objects.select_for_update().get(sign_off=gate)


def amendment_signed(gate, *, approvers, by) -> Amendment:
    """Merge the working copy into the partnership, in the caller's transaction; raises
    ``working_copy.MergeRefused`` (nothing is kept) when it cannot."""
    amendment = _amendment_of(gate)
    amendment.partnership = Partnership.objects.select_for_update().get(pk=amendment.partnership_id)
    before, after = working_copy.merge(amendment, by=by)
    last = (
        Amendment.objects.filter(partnership_id=amendment.partnership_id, number__isnull=False)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    amendment.sign(number=(last or 0) + 1)
    amendment.content_before = before
    amendment.save()
    # The content change on record, attributed to whoever gave the last approval; an open
    # sign-off of the partnership itself (a gate) sees the new content.
    agreed_content_saved(partnership=amendment.partnership, by=by)
    audit.record(
        action=audit.Action.AMENDMENT_SIGNED,
        obj=amendment.partnership,
        actor=by,
        data={
            "amendment": amendment.pk,
            "number": amendment.number,
            "kind": amendment.kind,
            "gate_request": gate.pk,
            "fingerprint": gate.fingerprint,
            "approvers": [a.pk for a in approvers],
            "changes": [stored(c) for c in describe_changes(before, after)],
        },
    )
    signals.amendment_signed.send(
        sender=Amendment, amendment=amendment, gate_request=gate, content=after
    )
    return amendment


def amendment_reopened(gate, *, by, reason) -> None:
    """The sign-off was refused or cancelled: the amendment is a draft again, to correct."""
    amendment = _amendment_of(gate)
    if amendment.status != AmendmentStatus.SUBMITTED:
        return
    amendment.reopen()
    amendment.save(update_fields=["status"])
    audit.record(
        action=audit.Action.AMENDMENT_REOPENED,
        obj=amendment.partnership,
        actor=by,
        data={
            "amendment": amendment.pk,
            "gate_request": gate.pk,
            "reason": stored(reason) if isinstance(reason, Deferred) else str(reason or ""),
        },
    )
