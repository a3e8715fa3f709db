"""Who must approve a sign-off, and keeping an open request current: the approvers computed
again when members or signatories change, approvals voided when the agreed content changes,
and ``agreed_content_saved``, which every write to the agreed content calls."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from actors.deferred import Deferred, Joined, stored
from actors.models import Role, Sector
from actors.notify import notify

from .. import audit
from ..agreement.diff import describe_changes
from ..amendments import kinds as amendment_kinds
from ..lifecycle import transitions
from ..models import (
    ApprovalCapacity,
    AuditEntry,
    Decision,
    GateApproval,
    GateRequest,
    GateStatus,
    Partnership,
    Phase,
)


class GateError(Exception):
    """A gate action that may not happen; ``reasons`` say why, in plain words."""

    def __init__(self, reasons: list[str]):
        self.reasons = [str(r) for r in reasons]
        super().__init__(" ".join(self.reasons))


AMEND = amendment_kinds.AMEND


def is_gated(transition: str) -> bool:
    return transition == AMEND or transitions.is_gated(transition)


def transition_label(transition: str) -> str:
    return str(_transition_text(transition))


def _transition_text(transition: str):
    """The transition's label, translated when the message it is part of is read."""
    if transition == AMEND:
        return amendment_kinds.AMEND_LABEL
    return transitions.label(transition)


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
    if transition == AMEND:
        reasons += _amendment_signers(partnership, assignments)
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


def _amendment_signers(copy: Partnership, assignments: dict) -> list[str]:
    """Who signs the amendment drafted in ``copy``, by its kind (``amendments.kinds``)."""
    amendment = copy.amendment_of_copy
    original = amendment.partnership
    reasons = []
    rows = amendment_kinds.signer_rows(amendment.kind, copy=copy, original=original)
    for user, capacity, member in rows:
        if user is None or not user.is_active:
            reasons.append(
                _("%(member)s has no active authorised signatory.")
                % {"member": member.organisation.name}
            )
            continue
        assignments.setdefault(user.pk, Assignment(user, capacity, member))
    return reasons


def _facilitators(gate: GateRequest) -> list:
    people = [gate.requested_by]
    facilitator = gate.partnership.facilitator
    if facilitator is not None and facilitator.pk != gate.requested_by_id:
        people.append(facilitator)
    return people


def _gate_url(gate: GateRequest) -> str:
    return reverse("partnerships:gate_detail", args=[gate.pk])


def _lock(gate_request_id: int) -> tuple[GateRequest, Partnership]:
    """Lock the gate request, then its partnership (always in this order)."""
    gate = (
        GateRequest.objects.select_for_update()
        .select_related("requested_by")
        .get(pk=gate_request_id)
    )
    gate.partnership = Partnership.with_working_copies.select_for_update().get(
        pk=gate.partnership_id
    )
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


@dataclass
class Revalidation:
    """What checking an open request against the partnership as it is now found."""

    #: what changed in the agreed content (approvals given to it are void), or why the
    #: request was cancelled
    changes: list = field(default_factory=list)
    cancelled: bool = False
    #: people who must now approve (``Assignment``) and people who no longer do
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    #: why the set of approvers is incomplete (a member without an active signatory, say):
    #: while there is one, the gate does not pass
    blockers: list = field(default_factory=list)
    #: the person deciding was among the approvers no longer required
    unassigned: bool = False

    def assignment_lines(self) -> list[Deferred]:
        lines = [_describe_assignment(a) for a in self.added]
        lines += [
            Deferred(gettext_noop("%(name)s no longer signs off."), name=a.approver.full_name)
            for a in self.removed
        ]
        return lines


def _describe_assignment(assignment: Assignment) -> Deferred:
    if assignment.member is not None:
        return Deferred(
            gettext_noop("%(name)s must now sign off, as authorised signatory of %(member)s."),
            name=assignment.user.full_name,
            member=assignment.member.organisation.name,
        )
    if assignment.capacity == ApprovalCapacity.FACILITATOR:
        return Deferred(
            gettext_noop("%(name)s must now sign off, as the facilitator."),
            name=assignment.user.full_name,
        )
    return Deferred(
        gettext_noop("%(name)s must now sign off, as a public official."),
        name=assignment.user.full_name,
    )


def _required_now(gate: GateRequest, partnership: Partnership):
    """Who must approve ``gate`` now (``required_approvers`` of the partnership as it is), and
    why that set is incomplete. The officials the facilitator chose stay while they are
    eligible; when none of them is left, every eligible official is asked, since every gate
    needs one."""
    chosen = None
    if gate.officials:
        eligible = set(eligible_officials(partnership).values_list("pk", flat=True))
        chosen = [pk for pk in gate.officials if pk in eligible] or None
    return required_approvers(partnership, gate.transition, officials=chosen)


def approver_blockers(gate: GateRequest) -> list[str]:
    """Why the open ``gate`` cannot pass whoever approves (empty: nothing stands in the way)."""
    if not gate.is_open:
        return []
    return _required_now(gate, gate.partnership)[1]


def _cancel_moved(gate: GateRequest, partnership: Partnership, *, by) -> Revalidation:
    reason = Deferred(
        gettext_noop("The partnership moved to the %(phase)s phase while this request was open."),
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
    return Revalidation(changes=[reason], cancelled=True)


def _revalidate_locked(gate: GateRequest, partnership: Partnership, *, by=None) -> Revalidation:
    """With both rows locked, make the open request fit the partnership as it is now.

    - The partnership left the phase the request was made in: the request is cancelled.
    - The agreed content changed: approvals given to the old content are void (the rows stay
      as history) and the request freezes the new content.
    - The people who must approve are computed again (``_required_now``): whoever is newly
      required is assigned, whoever no longer is loses the assignment, and everyone is told.

    Every write that can change these goes through here: ``agreed_content_saved`` after each
    page, API and service change, and every approval before it counts.
    """
    if gate.from_phase and partnership.phase != gate.from_phase:
        return _cancel_moved(gate, partnership, by=by)
    result = Revalidation()
    before = {
        a.approver_id: a
        for a in gate.approvals.exclude(decision=Decision.VOID).select_related("approver", "member")
    }
    content = partnership.agreed_content()
    fingerprint = partnership.agreed_fingerprint(content)
    voided = []
    old_fingerprint = gate.fingerprint
    if fingerprint != gate.fingerprint:
        result.changes = describe_changes(gate.content, content) or [
            Deferred(gettext_noop("The agreed content changed."))
        ]
        voided = [a for a in before.values() if a.decision == Decision.APPROVED]
        GateApproval.objects.filter(pk__in=[a.pk for a in voided]).update(decision=Decision.VOID)
        gate.content, gate.fingerprint = content, fingerprint
        gate.revision += 1
        gate.save(update_fields=["content", "fingerprint", "revision"])

    required, result.blockers = _required_now(gate, partnership)
    wanted = {a.user.pk: a for a in required}
    result.removed = [a for pk, a in before.items() if pk not in wanted]
    result.added = [a for pk, a in wanted.items() if pk not in before]
    GateApproval.objects.filter(
        request=gate, approver_id__in=[a.approver_id for a in result.removed]
    ).exclude(decision=Decision.VOID).update(decision=Decision.VOID)
    voided_ids = {a.pk for a in voided}
    for pk, assignment in wanted.items():
        member_id = assignment.member.pk if assignment.member is not None else None
        current = before.get(pk)
        if current is None or current.pk in voided_ids:
            GateApproval.objects.create(
                request=gate,
                approver=assignment.user,
                capacity=assignment.capacity,
                member=assignment.member,
            )
        elif (current.capacity, current.member_id) != (assignment.capacity, member_id):
            # Still required, in another capacity (an official who now signs for a member).
            GateApproval.objects.filter(pk=current.pk).update(
                capacity=assignment.capacity, member=assignment.member
            )

    if result.changes:
        audit.record(
            action=audit.Action.GATE_VOIDED,
            obj=gate,
            actor=by,
            data={
                "fingerprint_before": old_fingerprint,
                "fingerprint_after": fingerprint,
                "voided_approvals": [a.pk for a in voided],
                "voided_approvers": [a.approver_id for a in voided],
                "changes": [stored(c) for c in result.changes],
                "at": timezone.now().isoformat(),
            },
        )
    if result.added or result.removed:
        audit.record(
            action=audit.Action.GATE_APPROVERS_CHANGED,
            obj=gate,
            actor=by,
            data={
                "added": [a.user.pk for a in result.added],
                "removed": [a.approver_id for a in result.removed],
                "changes": [stored(c) for c in result.assignment_lines()],
                "blockers": [str(b) for b in result.blockers],
            },
        )
    _tell_about_revalidation(gate, partnership, result, voided)
    return result


def _tell_about_revalidation(gate, partnership, result: Revalidation, voided) -> None:
    newly = {a.user.pk for a in result.added}
    for assignment in result.added:
        notify(
            recipient=assignment.user,
            title=Deferred(
                gettext_noop("Your sign-off is requested: %(partnership)s"),
                partnership=partnership.title,
            ),
            body=Deferred(
                gettext_noop("%(who)s asks you to approve “%(transition)s”. %(comment)s"),
                who=gate.requested_by.full_name,
                transition=_transition_text(gate.transition),
                comment=gate.comment,
            ),
            url=_gate_url(gate),
        )
    for approval in result.removed:
        notify(
            recipient=approval.approver,
            title=Deferred(
                gettext_noop("Your sign-off is no longer needed: %(partnership)s"),
                partnership=partnership.title,
            ),
            body=Deferred(
                gettext_noop(
                    "The members or their signatories changed: you are no longer among the "
                    "people who sign off “%(transition)s”."
                ),
                transition=_transition_text(gate.transition),
            ),
            url=_gate_url(gate),
        )
    if result.added or result.removed:
        for person in _facilitators(gate):
            notify(
                recipient=person,
                title=Deferred(
                    gettext_noop("The people who sign off changed: %(partnership)s"),
                    partnership=partnership.title,
                ),
                body=Joined(*result.assignment_lines(), *result.blockers),
                url=_gate_url(gate),
            )
    if not result.changes:
        return
    body = Joined(
        gettext_lazy("The content you are asked to approve has changed:"),
        *[Joined("- ", c, separator="") for c in result.changes],
    )
    voided_people = {a.approver_id for a in voided}
    told = set(newly)
    for approval in gate.approvals.exclude(decision=Decision.VOID).select_related("approver"):
        if approval.approver_id in told:
            continue
        told.add(approval.approver_id)
        notify(
            recipient=approval.approver,
            title=Deferred(
                gettext_noop("Your approval is void, the content changed: %(partnership)s")
                if approval.approver_id in voided_people
                else gettext_noop("The content to approve changed: %(partnership)s"),
                partnership=partnership.title,
            ),
            body=body,
            url=_gate_url(gate),
        )


def gate_requests_revalidate(partnership: Partnership, *, by=None) -> list[str]:
    """Check the partnership's open request against the partnership as it is now: its content
    and who must approve it (call after any change of agreed content, members or signatories).
    Returns what changed, in the active language; empty when nothing had to change."""
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
                result = _revalidate_locked(gate, locked, by=by)
                changes += [str(c) for c in result.changes + result.assignment_lines()]
    return changes


def signed_agreement(partnership: Partnership) -> GateRequest | None:
    """The latest approved sign-off of the agreement: the design gate's ``start_operation``
    request, or the sign-off of an amendment since."""
    return (
        GateRequest.objects.filter(
            Q(partnership=partnership, transition="start_operation")
            | Q(amendment__partnership=partnership),
            status=GateStatus.APPROVED,
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
        AuditEntry.objects.for_object(partnership)
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
