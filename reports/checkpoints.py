"""Signed checkpoints of the audit trail, kept outside the audit table.

The chain (``partnerships.audit``) proves that no entry was edited or removed from its middle:
each hash is an HMAC over the entry and the previous hash, under a key the database does not
hold. What a chain alone cannot prove is that nothing was cut from its end (the newest entries
deleted, or the table emptied). A checkpoint records the head: the newest entry's sequence
number and hash and how many entries there were, signed with the installation's certificate
(a detached CMS signature, timestamped when ``ALIANZA_TSA_URL`` is set) and stored as a file in
the document storage. They are written after every signed document, daily by the audit check
when the trail holds, and on demand (``manage.py verify_audit --checkpoint``).

``verify()`` checks the chain and every checkpoint: a checkpoint that is not signed by this
installation is itself a finding, and so is an entry it recorded that is missing or different,
or fewer entries up to it than it counted.
"""

import base64
import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from actors.deferred import Deferred
from actors.models import Role, User
from actors.notify import notify
from partnerships import audit
from partnerships.models import AuditEntry

from . import signing
from .models import Document

logger = logging.getLogger(__name__)


def _storage():
    """The storage the signed documents live in (local disk, or object storage)."""
    return Document._meta.get_field("file").storage


def _directory() -> str:
    return settings.ALIANZA_AUDIT_CHECKPOINT_DIR.strip("/")


def _canonical(payload: dict) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Checkpoint:
    name: str
    seq: int
    hash: str
    count: int
    at: str
    reason: str


def write(*, reason: str) -> Checkpoint | None:
    """Record the trail's head now, signed; None when the trail is empty. Call it outside the
    transaction of the entries it covers (after commit), so it records committed rows."""
    head = AuditEntry.objects.order_by("-seq").values("seq", "hash").first()
    if head is None:
        return None
    now = timezone.now()
    payload = {
        "seq": head["seq"],
        "hash": head["hash"],
        "count": AuditEntry.objects.count(),
        "at": now.isoformat(timespec="seconds"),
        "reason": reason,
    }
    data = _canonical(payload)
    body = {"payload": payload, "signature": base64.b64encode(signing.sign_data(data)).decode()}
    name = f"{_directory()}/{now:%Y%m%dT%H%M%S%f}-{head['seq']:012d}.json"
    stored = _storage().save(name, ContentFile(json.dumps(body, indent=1).encode("utf-8")))
    return Checkpoint(
        stored, payload["seq"], payload["hash"], payload["count"], payload["at"], reason
    )


def write_quietly(*, reason: str) -> None:
    """``write()``, where a failure is logged and never raised: the work it follows is done,
    and the daily check writes the next checkpoint."""
    try:
        write(reason=reason)
    except Exception:
        logger.exception("Could not write an audit checkpoint (%s)", reason)


def _names() -> list[str]:
    storage = _storage()
    try:
        _dirs, files = storage.listdir(_directory())
    except FileNotFoundError:
        return []
    return sorted(f"{_directory()}/{name}" for name in files if name.endswith(".json"))


@dataclass
class Report:
    """What ``verify()`` found: entries checked, checkpoints checked, and every problem."""

    entries: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def _read(name: str) -> tuple[dict | None, str]:
    try:
        with _storage().open(name, "rb") as handle:
            body = json.loads(handle.read())
        payload = body["payload"]
        signature = base64.b64decode(body["signature"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, f"checkpoint {name} is unreadable"
    if not signing.data_signature_holds(_canonical(payload), signature):
        return None, f"checkpoint {name} is not signed by this installation (altered or forged)"
    return payload, ""


def verify() -> Report:
    """Check the chain, then the trail against every checkpoint."""
    report = Report()
    report.entries, broken = audit.verify()
    if broken is not None:
        report.problems.append(f"the chain is broken after {report.entries} good entries: {broken}")
    newest = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    total = AuditEntry.objects.count()
    for name in _names():
        payload, problem = _read(name)
        report.checkpoints += 1
        if problem:
            report.problems.append(problem)
            continue
        seq, at = payload["seq"], payload["at"]
        recorded = AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()
        if recorded is None:
            if total == 0:
                report.problems.append(
                    f"the audit table is empty, but the checkpoint of {at} counted "
                    f"{payload['count']} entries (the table was truncated)"
                )
            else:
                report.problems.append(
                    f"entry {seq}, recorded by the checkpoint of {at}, is missing: the newest "
                    f"entry is now {newest} (entries were deleted from the end of the trail)"
                )
            continue
        if recorded != payload["hash"]:
            report.problems.append(
                f"entry {seq} differs from the one the checkpoint of {at} recorded (rewritten)"
            )
        up_to = AuditEntry.objects.filter(seq__lte=seq).count()
        if up_to != payload["count"]:
            report.problems.append(
                f"the checkpoint of {at} counted {payload['count']} entries up to entry {seq}; "
                f"there are {up_to} (entries were deleted)"
            )
    return report


def alert_administrators(report: Report) -> int:
    """Tell every active administrator that the audit check failed; returns how many."""
    administrators = User.objects.filter(
        Q(role=Role.ADMINISTRATOR) | Q(is_superuser=True), is_active=True
    )
    problems = "\n".join(f"- {p}" for p in report.problems)
    sent = 0
    for person in administrators:
        notify(
            recipient=person,
            title=_("The audit trail failed its check"),
            body=Deferred(
                gettext_noop(
                    "The daily check of the audit trail found problems:\n%(problems)s\n"
                    "Entries from the first problem on cannot be trusted; compare them with a "
                    "backup and find out who had write access to the database."
                ),
                problems=problems,
            ),
            url="/admin/partnerships/auditentry/",
        )
        sent += 1
    logger.error("Audit trail check failed: %s", "; ".join(report.problems))
    return sent
