"""The chain: record() appends an entry inside the caller's transaction, so the entry exists
exactly when the change it describes does; appends are serialised (a PostgreSQL advisory lock
held until the transaction ends) so the chain never forks. verify() recomputes the chain
and returns the first broken link."""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from ..models import AuditEntry
from .context import current_ip

GENESIS = "0" * 64


# Any constant shared by every process writing the trail.
_ADVISORY_LOCK_KEY = 0x41_4C_5A_41  # "ALZA"


def _canonical(entry_fields: dict) -> bytes:
    return json.dumps(
        entry_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


class UnknownKey(Exception):
    """An entry names a key this installation does not have (``ALIANZA_AUDIT_KEYS``)."""


def _key(key_id: str) -> bytes:
    try:
        return settings.ALIANZA_AUDIT_KEYS[key_id].encode("utf-8")
    except KeyError:
        raise UnknownKey(key_id) from None


def compute_hash(entry: AuditEntry) -> str:
    """The entry's HMAC-SHA256 under the key it names (plain SHA-256 for the entries written
    before the trail was keyed, which name none)."""
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
    if not entry.key_id:
        return hashlib.sha256(_canonical(fields)).hexdigest()
    fields["key_id"] = entry.key_id
    return hmac.new(_key(entry.key_id), _canonical(fields), hashlib.sha256).hexdigest()


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
        ip = ip if ip is not None else current_ip()
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
            key_id=settings.ALIANZA_AUDIT_KEY_ID,
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
    previous_hash, expected_seq, checked, keyed = GENESIS, 1, 0, False
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if entry.seq != expected_seq:
            return checked, BrokenLink(
                entry.pk, entry.seq, f"sequence jumps from {expected_seq - 1} to {entry.seq}"
            )
        if entry.prev_hash != previous_hash:
            return checked, BrokenLink(
                entry.pk, entry.seq, "it does not point at the previous entry's hash"
            )
        if keyed and not entry.key_id:
            # Once the trail is keyed an unkeyed entry is one anybody could have computed.
            return checked, BrokenLink(
                entry.pk, entry.seq, "it is not keyed although the entries before it are"
            )
        try:
            expected = compute_hash(entry)
        except UnknownKey:
            return checked, BrokenLink(
                entry.pk, entry.seq, f"it names a key this installation lacks ({entry.key_id!r})"
            )
        if expected != entry.hash:
            return checked, BrokenLink(
                entry.pk, entry.seq, "its content does not match its hash (edited)"
            )
        keyed = keyed or bool(entry.key_id)
        previous_hash, expected_seq, checked = entry.hash, expected_seq + 1, checked + 1
    return checked, None
