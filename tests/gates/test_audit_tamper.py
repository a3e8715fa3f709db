"""Someone with write access to the database rewrites the audit trail; ``verify_audit`` finds it.

The chain's hashes are keyed with a secret the database does not hold, and signed checkpoints
of its head live outside the audit table: deleting the newest entries, editing one and
recomputing the hashes that follow (with the public algorithm, the only one such a person
has), and truncating the table are each found and named.
"""

import datetime
import hashlib
import json

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from actors.models import Notification, Role
from partnerships import audit, gates
from partnerships.models import AuditEntry
from reports import checkpoints
from reports.tasks import verify_audit_trail
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def trail(interest):
    """The entries of a sign-off requested and approved (after those of the partnership's
    creation), and a checkpoint."""
    partnership, official = interest
    before = AuditEntry.objects.count()
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    gates.signoff_approve(gate_request=gate, by=official, comment="Fine")
    assert AuditEntry.objects.count() >= before + 4
    assert checkpoints.write(reason="test") is not None
    return partnership


def _failure() -> str:
    with pytest.raises(CommandError) as failed:
        call_command("verify_audit")
    return str(failed.value)


def test_an_intact_trail_passes_against_its_checkpoint(trail, capsys):
    call_command("verify_audit", "--checkpoint")
    out = capsys.readouterr().out
    total = AuditEntry.objects.count()
    assert f"intact: {total} entries verified against 1 signed checkpoint(s)" in out
    assert "Checkpoint written" in out
    assert checkpoints.verify().checkpoints == 2


def test_the_hashes_are_keyed_with_the_secret_of_the_settings(trail, settings):
    entry = AuditEntry.objects.order_by("seq").first()
    assert entry.key_id == settings.ALIANZA_AUDIT_KEY_ID
    assert audit.compute_hash(entry) == entry.hash
    settings.ALIANZA_AUDIT_KEYS = {settings.ALIANZA_AUDIT_KEY_ID: "another secret entirely"}
    assert audit.compute_hash(entry) != entry.hash
    assert "does not match its hash" in _failure()


def test_a_deleted_newest_entry_is_found_by_the_checkpoint(trail):
    newest = AuditEntry.objects.order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [newest.pk])
    # The chain that is left is intact: only the checkpoint knows the entry existed.
    assert audit.verify()[1] is None
    message = _failure()
    assert f"entry {newest.seq}, recorded by the checkpoint of" in message
    assert "is missing" in message
    assert f"the newest entry is now {newest.seq - 1}" in message


def test_an_edited_entry_with_recomputed_hashes_is_found(trail):
    """The public SHA-256 recomputed over the edited entry and every one after it."""
    rows = list(AuditEntry.objects.order_by("seq"))
    edited = rows[1]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {TABLE} SET data = %s WHERE id = %s",
            [json.dumps({"comment": "Nothing to see"}), edited.pk],
        )
        previous = rows[0].hash
        for entry in AuditEntry.objects.filter(seq__gte=edited.seq).order_by("seq"):
            fields = {
                "seq": entry.seq,
                "at": entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
                "actor": entry.actor_id,
                "ip": entry.ip_address,
                "action": entry.action,
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "data": entry.data,
                "prev_hash": previous,
            }
            forged = hashlib.sha256(
                json.dumps(
                    fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")
                ).encode()
            ).hexdigest()
            cursor.execute(
                f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s",
                [previous, forged, entry.pk],
            )
            previous = forged
    message = _failure()
    assert f"audit entry id={edited.pk} (seq {edited.seq})" in message
    assert "does not match its hash (edited)" in message
    # The checkpoint's entry was rewritten too.
    assert f"entry {rows[-1].seq} differs from the one the checkpoint" in message


def test_a_forged_unkeyed_entry_after_keyed_ones_is_found(trail):
    newest = AuditEntry.objects.order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET key_id = '' WHERE id = %s", [newest.pk])
    assert "it is not keyed although the entries before it are" in _failure()


def test_a_truncated_table_is_found(trail):
    total = AuditEntry.objects.count()
    with connection.cursor() as cursor:
        # The test's transaction holds deferred foreign-key checks, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {TABLE}")
    assert AuditEntry.objects.count() == 0
    message = _failure()
    assert "the audit table is empty, but the checkpoint of" in message
    assert f"counted {total} entries (the table was truncated)" in message


def test_a_forged_checkpoint_is_a_finding(trail):
    storage = checkpoints._storage()
    name = checkpoints._names()[0]
    with storage.open(name, "rb") as handle:
        body = json.loads(handle.read())
    body["payload"]["count"] = 3
    storage.delete(name)
    storage.save(name, ContentFile(json.dumps(body).encode()))
    assert "is not signed by this installation (altered or forged)" in _failure()


def test_the_daily_check_tells_the_administrators_and_writes_no_checkpoint(trail):
    administrator = UserFactory(role=Role.ADMINISTRATOR, email="admin@example.org")
    before = len(checkpoints._names())
    assert verify_audit_trail.apply().get() is True
    assert len(checkpoints._names()) == before + 1
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE seq = (SELECT max(seq) FROM {TABLE})")
    mail.outbox.clear()
    assert verify_audit_trail.apply().get() is False
    notice = Notification.objects.get(recipient=administrator)
    assert "audit trail failed its check" in notice.title
    assert "is missing" in notice.body
    assert len(checkpoints._names()) == before + 1  # a broken trail is never checkpointed
