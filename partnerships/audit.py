"""The audit trail: an append-only log where every entry carries the hash of the previous one.

``record()`` appends an entry inside the caller's transaction, so the entry exists exactly when
the change it describes does. Appends are serialised (a PostgreSQL advisory lock held until the
transaction ends) so the chain never forks. ``verify()`` recomputes the chain and returns the
first broken link; ``manage.py verify_audit`` prints it.

The IP address of the current request is picked up by ``AuditContextMiddleware``, so services
deep below a view need not pass it around; an explicit ``ip`` wins.
"""

import contextvars
import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from actors.deferred import render

from .models import AuditEntry, Phase

GENESIS = "0" * 64
# Any constant shared by every process writing the trail.
_ADVISORY_LOCK_KEY = 0x41_4C_5A_41  # "ALZA"

_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "alianza_audit_ip", default=None
)


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
    # People (accounts): invitations and leaving.
    INVITATION_SENT = "invitation.sent"
    INVITATION_RESENT = "invitation.resent"
    INVITATION_ACCEPTED = "invitation.accepted"
    INVITATION_REVOKED = "invitation.revoked"
    SIGNATORY_REPLACED = "member.signatory_replaced"
    PERSON_DEACTIVATED = "person.deactivated"


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
    Action.INVITATION_SENT: gettext_lazy("Invitation sent"),
    Action.INVITATION_RESENT: gettext_lazy("Invitation sent again"),
    Action.INVITATION_ACCEPTED: gettext_lazy("Invitation accepted"),
    Action.INVITATION_REVOKED: gettext_lazy("Invitation revoked"),
    Action.SIGNATORY_REPLACED: gettext_lazy("Signatory replaced"),
    Action.PERSON_DEACTIVATED: gettext_lazy("Person deactivated"),
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


def current_ip() -> str | None:
    """The IP address of the request being served, if any."""
    return _current_ip.get()


def client_ip(request) -> str | None:
    """The client address: REMOTE_ADDR, or behind ``ALIANZA_PROXY_HOPS`` reverse proxies of
    this installation, the address the outermost of them saw (X-Forwarded-For, read from the
    right, since a client can put anything on its left)."""
    hops = getattr(settings, "ALIANZA_PROXY_HOPS", 0)
    if hops > 0:
        forwarded = [
            a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    """Makes the request's IP address available to ``record()``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)


def _canonical(entry_fields: dict) -> bytes:
    return json.dumps(
        entry_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def compute_hash(entry: AuditEntry) -> str:
    at = entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    fields = {
        "seq": entry.seq,
        "at": at,
        "actor": entry.actor_id,
        "ip": entry.ip_address,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
    }
    return hashlib.sha256(_canonical(fields)).hexdigest()


def _json_safe(data: dict) -> dict:
    # What goes into the hash must survive the round trip through the JSON column unchanged.
    return json.loads(json.dumps(data, default=str, ensure_ascii=False))


def record(
    *,
    action: str,
    obj=None,
    actor=None,
    ip: str | None = None,
    data=None,
    object_type="",
    object_id="",
) -> AuditEntry:
    """Append one entry. Call inside the transaction of the change it records."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
        last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        ip = ip if ip is not None else _current_ip.get()
        entry = AuditEntry(
            seq=(last.seq + 1) if last else 1,
            at=timezone.now().astimezone(datetime.UTC),
            actor=actor if getattr(actor, "pk", None) else None,
            # Stored as the database will give it back (IPv6 is normalised).
            ip_address=AuditEntry._meta.get_field("ip_address").get_prep_value(ip or None),
            action=action,
            object_type=obj._meta.label_lower if obj is not None else object_type,
            object_id=str(obj.pk) if obj is not None else str(object_id),
            data=_json_safe(data or {}),
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = compute_hash(entry)
        entry.save()
    return entry


@dataclass
class BrokenLink:
    entry_id: int
    seq: int
    problem: str

    def __str__(self):
        return f"audit entry id={self.entry_id} (seq {self.seq}): {self.problem}"


def verify(*, chunk_size: int = 2000) -> tuple[int, BrokenLink | None]:
    """Walk the chain in order; return (entries checked, the first broken link or None)."""
    previous_hash, expected_seq, checked = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return checked, BrokenLink(
                entry.pk, entry.seq, f"sequence jumps from {expected_seq - 1} to {entry.seq}"
            )
        if entry.prev_hash != previous_hash:
            return checked, BrokenLink(
                entry.pk, entry.seq, "it does not point at the previous entry's hash"
            )
        if compute_hash(entry) != entry.hash:
            return checked, BrokenLink(
                entry.pk, entry.seq, "its content does not match its hash (edited)"
            )
        previous_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return checked, None
