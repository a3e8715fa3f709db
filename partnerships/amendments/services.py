"""Opening, submitting and withdrawing an amendment (its signing: ``signing``)."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .. import audit
from ..agreement.diff import diff_agreements
from ..gates.approvers import GateError
from ..gates.signoff import gate_request_cancel, gate_request_create
from ..models import (
    Amendment,
    AmendmentStatus,
    Decision,
    GateRequest,
    GateStatus,
    Partnership,
)
from ..permissions import can_amend
from . import kinds, working_copy


def amendment_open(*, partnership, kind: str, reason: str, by, effective_on=None) -> Amendment:
    """Open a draft amendment of ``kind``: its working copy holds the signed content, to edit
    with the design pages. Raises ``GateError`` with the reasons it cannot."""
    if not can_amend(by, partnership):
        raise PermissionDenied(_("Only the facilitator amends a signed agreement."))
    reasons = []
    if kind not in kinds.KINDS:
        reasons.append(_("Choose what the amendment changes."))
    if not (reason or "").strip():
        reasons.append(_("Say why the agreement must change."))
    if reasons:
        raise GateError(reasons)
    with transaction.atomic():
        locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
        content = locked.agreed_content()
        copy, rows = working_copy.make(locked, by=by)
        amendment = Amendment.objects.create(
            partnership=locked,
            kind=kind,
            reason=reason.strip(),
            effective_on=effective_on,
            working_copy=copy,
            rows=rows,
            based_on=locked.agreed_fingerprint(content),
            created_by=by,
        )
        audit.record(
            action=audit.Action.AMENDMENT_OPENED,
            obj=locked,
            actor=by,
            data={"amendment": amendment.pk, "kind": kind, "reason": amendment.reason},
        )
    return amendment


def amendment_diff(amendment: Amendment) -> list:
    """What the amendment changes (``diff.Change`` items): while open, its working copy against
    the agreement as it stands; once signed, what it replaced against what was signed."""
    if amendment.status == AmendmentStatus.SIGNED and amendment.sign_off_id:
        return diff_agreements(amendment.content_before, amendment.sign_off.content)
    return diff_agreements(
        amendment.partnership.agreed_content(), amendment.working_copy.agreed_content()
    )


def submission_blockers(amendment: Amendment) -> list[str]:
    """Why the amendment cannot be submitted for signature now (empty: it can)."""
    if amendment.status != AmendmentStatus.DRAFT:
        return [_("This amendment is not a draft.")]
    original, copy = amendment.partnership, amendment.working_copy
    if original.is_read_only or not original.agreement_signed:
        return [_("The partnership is no longer in a phase where it can be amended.")]
    before, after = original.agreed_content(), copy.agreed_content()
    if original.agreed_fingerprint(before) != amendment.based_on:
        return [_("The agreement changed since this amendment was drafted: draft it again.")]
    if not diff_agreements(before, after):
        return [_("The working copy does not change anything yet.")]
    return kinds.scope_refusal(amendment.kind, before, after) + working_copy.blockers(amendment)


def amendment_submit(*, amendment: Amendment, by, comment: str = "") -> Amendment:
    """Ask the people its kind names to sign (a gate request of the working copy). One
    amendment of a partnership waits for signatures at a time."""
    if not can_amend(by, amendment.partnership):
        raise PermissionDenied(_("Only the facilitator submits an amendment."))
    try:
        with transaction.atomic():
            # The sign-off's own order: the working copy, the amendment, the partnership.
            Partnership.with_working_copies.select_for_update().get(pk=amendment.working_copy_id)
            amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
            partnership = Partnership.objects.select_for_update().get(pk=amendment.partnership_id)
            amendment.partnership = partnership
            waiting = (
                Amendment.objects.filter(partnership=partnership, status=AmendmentStatus.SUBMITTED)
                .exclude(pk=amendment.pk)
                .first()
            )
            if waiting is not None:
                raise GateError([_already_waiting()])
            reasons = submission_blockers(amendment)
            if reasons:
                raise GateError(reasons)
            gate = gate_request_create(
                partnership=amendment.working_copy,
                transition=kinds.AMEND,
                by=by,
                comment=comment,
            )
            amendment.sign_off = gate
            amendment.submit()
            amendment.save()
            audit.record(
                action=audit.Action.AMENDMENT_SUBMITTED,
                obj=partnership,
                actor=by,
                data={
                    "amendment": amendment.pk,
                    "gate_request": gate.pk,
                    "fingerprint": gate.fingerprint,
                },
            )
    except IntegrityError:
        # Two amendments submitted at once: the constraint let one through.
        raise GateError([_already_waiting()])
    return amendment


def _already_waiting() -> str:
    return _(
        "Another amendment of this partnership is waiting for signatures: one is signed at "
        "a time. Withdraw it or wait until it is signed."
    )


def amendment_withdraw(*, amendment: Amendment, by, reason: str = "") -> Amendment:
    """Drop the amendment (its working copy stays on record, no longer editable); an open
    sign-off is cancelled and its approvers told."""
    if not can_amend(by, amendment.partnership):
        raise PermissionDenied(_("Only the facilitator withdraws an amendment."))
    with transaction.atomic():
        current = Amendment.objects.get(pk=amendment.pk)
        if current.status == AmendmentStatus.SUBMITTED:
            # Locks the sign-off, the working copy, then the amendment (back to draft).
            gate_request_cancel(gate_request=current.sign_off_id, by=by, comment=reason)
        locked = Amendment.objects.select_for_update().get(pk=amendment.pk)
        if locked.status != AmendmentStatus.DRAFT:
            raise GateError([_("This amendment is no longer open.")])
        locked.withdraw()
        locked.save(update_fields=["status"])
        audit.record(
            action=audit.Action.AMENDMENT_WITHDRAWN,
            obj=locked.partnership,
            actor=by,
            data={"amendment": locked.pk, "reason": reason},
        )
    return locked


def signed_versions(partnership: Partnership) -> list[dict]:
    """The agreement as signed, then each amendment: ``label``, ``date``, ``signers`` (names),
    ``amendment`` (None for the original), newest last."""
    if partnership.is_working_copy:
        return []
    gates = GateRequest.objects.filter(
        Q(partnership=partnership, transition="start_operation")
        | Q(amendment__partnership=partnership),
        status=GateStatus.APPROVED,
    ).order_by("decided_at", "pk")
    amendments = {a.sign_off_id: a for a in partnership.amendments.filter(number__isnull=False)}
    versions = []
    for gate in gates.prefetch_related("approvals__approver"):
        amendment = amendments.get(gate.pk)
        if amendment is None and versions:
            continue  # signed again after a renegotiation: the newest design sign-off counts
        signers = [
            a.approver.full_name
            for a in sorted(
                gate.approvals.all(), key=lambda a: (a.decided_at or gate.decided_at, a.pk)
            )
            if a.decision == Decision.APPROVED
        ]
        versions.append(
            {
                "label": str(amendment) if amendment else _("Original agreement"),
                "date": gate.decided_at,
                "signers": signers,
                "amendment": amendment,
            }
        )
    return versions
