"""What each audit entry says to people: the actions, their labels, an entry described."""

from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext, gettext_lazy

from actors.deferred import render

from ..models import AuditEntry, Phase


class Action:
    TRANSITION = "partnership.transition"
    CONTENT_CHANGED = "partnership.agreed_content_changed"
    GATE_REQUESTED = "gate.requested"
    GATE_APPROVED = "gate.approval"
    GATE_REFUSED = "gate.refusal"
    GATE_VOIDED = "gate.approvals_voided"
    GATE_CANCELLED = "gate.cancelled"
    GATE_PASSED = "gate.passed"
    GATE_APPROVERS_CHANGED = "gate.approvers_changed"
    MEASUREMENT_CORRECTED = "measurement.corrected"
    MEASUREMENT_REMOVED = "measurement.removed"
    MEMBER_REMOVED = "member.removed"
    GATE_REASSIGNED = "gate.approval_reassigned"
    AMENDMENT_OPENED = "amendment.opened"
    AMENDMENT_SUBMITTED = "amendment.submitted"
    AMENDMENT_REOPENED = "amendment.reopened"
    AMENDMENT_WITHDRAWN = "amendment.withdrawn"
    AMENDMENT_SIGNED = "amendment.signed"
    # People (accounts): invitations and leaving.
    INVITATION_SENT = "invitation.sent"
    INVITATION_RESENT = "invitation.resent"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_REVOKED = "invitation.revoked"
    SIGNATORY_REPLACED = "member.signatory_replaced"
    PERSON_DEACTIVATED = "person.deactivated"
    # Any tracked record (audit.tracking), in the words of its fields.
    RECORD_CREATED = "record.created"
    RECORD_CHANGED = "record.changed"
    RECORD_DELETED = "record.deleted"


# What each action is called where people read the trail (the codes stay in the data).
LABELS = {
    Action.TRANSITION: gettext_lazy("Phase changed"),
    Action.CONTENT_CHANGED: gettext_lazy("Agreed content changed"),
    Action.GATE_REQUESTED: gettext_lazy("Sign-off requested"),
    Action.GATE_APPROVED: gettext_lazy("Approved"),
    Action.GATE_REFUSED: gettext_lazy("Refused"),
    Action.GATE_VOIDED: gettext_lazy("Approvals voided: the agreed content changed"),
    Action.GATE_CANCELLED: gettext_lazy("Request cancelled"),
    Action.GATE_PASSED: gettext_lazy("Gate passed"),
    Action.GATE_APPROVERS_CHANGED: gettext_lazy("Required approvers recomputed"),
    Action.GATE_REASSIGNED: gettext_lazy("Approval reassigned"),
    Action.MEASUREMENT_CORRECTED: gettext_lazy("Measurement corrected"),
    Action.MEASUREMENT_REMOVED: gettext_lazy("Measurement removed"),
    Action.MEMBER_REMOVED: gettext_lazy("Member removed"),
    Action.AMENDMENT_OPENED: gettext_lazy("Amendment opened"),
    Action.AMENDMENT_SUBMITTED: gettext_lazy("Amendment submitted for signature"),
    Action.AMENDMENT_REOPENED: gettext_lazy("Amendment back to draft"),
    Action.AMENDMENT_WITHDRAWN: gettext_lazy("Amendment withdrawn"),
    Action.AMENDMENT_SIGNED: gettext_lazy("Amendment signed: the agreement changed"),
    Action.INVITATION_SENT: gettext_lazy("Invitation sent"),
    Action.INVITATION_RESENT: gettext_lazy("Invitation sent again"),
    Action.INVITATION_ACCEPTED: gettext_lazy("Invitation accepted"),
    Action.INVITATION_REVOKED: gettext_lazy("Invitation revoked"),
    Action.SIGNATORY_REPLACED: gettext_lazy("Signatory replaced"),
    Action.PERSON_DEACTIVATED: gettext_lazy("Person deactivated"),
    Action.RECORD_CREATED: gettext_lazy("Added"),
    Action.RECORD_CHANGED: gettext_lazy("Changed"),
    Action.RECORD_DELETED: gettext_lazy("Removed"),
}


def action_label(action: str) -> str:
    return str(LABELS.get(action, action))


@dataclass
class Described:
    """An entry as a person reads it: what happened, what the person said (a comment), a
    detail (a reason, where the partnership went) and the changes it lists."""

    entry: AuditEntry
    label: str
    said: str = ""
    detail: str = ""
    items: list = field(default_factory=list)


def _phase(code) -> str:
    return str(dict(Phase.choices).get(code, code or "—"))


def describe(entry: AuditEntry) -> Described:
    data = entry.data or {}
    # Changes are stored untranslated (actors.deferred): each is read in the reader's language.
    items = [render(change) for change in data.get("changes") or []]
    described = Described(entry, action_label(entry.action), items=items)
    if entry.action in (Action.RECORD_CREATED, Action.RECORD_CHANGED, Action.RECORD_DELETED):
        # "Changed: activity", in the reader's language when the entry is read.
        try:
            what = apps.get_model(data.get("record") or entry.object_type)._meta.verbose_name
        except (LookupError, ValueError):
            what = entry.object_type
        described.label = f"{described.label}: {what}"
    if entry.action in (Action.GATE_REQUESTED, Action.GATE_APPROVED, Action.GATE_REFUSED):
        described.said = data.get("comment") or ""
    elif entry.action == Action.GATE_CANCELLED:
        described.detail = data.get("reason") or ""
    elif entry.action == Action.GATE_PASSED:
        described.detail = gettext("The partnership moved to the %(phase)s phase.") % {
            "phase": _phase(data.get("to_phase"))
        }
    elif entry.action == Action.TRANSITION:
        described.detail = gettext("From %(from)s to %(to)s.") % {
            "from": _phase(data.get("from")),
            "to": _phase(data.get("to")),
        }
    return described
