"""Phase gates: a facilitator asks, the assigned people sign off, the transition happens.

Gated transitions are the ones that move between the five phases (``transitions.gated()``).
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
history, the people are assigned again) and tells the approvers what changed. Nor a moving
crowd: the same step computes again who must approve (``approvers._revalidate_locked``), so a new
member's signatory must sign, a replaced signatory's successor signs instead and a removed
member's no longer does; the officials the facilitator chose stay (``GateRequest.officials``).
Pages, the API and services that change agreed content, members or signatories call
``agreed_content_saved`` after saving; an approval also revalidates first, and the last one
passes the gate only when the set it completes is the current one, with nobody missing
(``approver_blockers``), so a change made by any other path still cannot be approved unseen.

The package: ``approvers`` (who must approve, keeping a request current), ``signoff`` (request,
approve, refuse, cancel, hand over), ``reauth`` (the proof a decision carries), ``forms`` and
``views`` (the pages). The names below are its API: ``from partnerships import gates``.
"""

from .approvers import (
    Assignment,
    GateError,
    Revalidation,
    agreed_content_saved,
    approver_blockers,
    eligible_officials,
    gate_requests_revalidate,
    is_gated,
    required_approvers,
    signed_agreement,
    transition_label,
)
from .signoff import (
    gate_approval_reassign,
    gate_request_cancel,
    gate_request_create,
    signed_off_note,
    signoff_approve,
    signoff_refuse,
)

__all__ = [
    "agreed_content_saved",
    "approver_blockers",
    "Assignment",
    "eligible_officials",
    "gate_approval_reassign",
    "gate_request_cancel",
    "gate_request_create",
    "gate_requests_revalidate",
    "GateError",
    "is_gated",
    "required_approvers",
    "Revalidation",
    "signed_agreement",
    "signed_off_note",
    "signoff_approve",
    "signoff_refuse",
    "transition_label",
]
