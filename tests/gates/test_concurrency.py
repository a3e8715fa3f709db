"""Simultaneous sign-offs on real PostgreSQL: row locks must serialise them."""

import threading

import pytest
from django.db import connection

from actors.models import Role
from partnerships import audit, gates
from partnerships.models import AuditEntry, Decision, GateStatus, Phase, PhaseChange
from tests.factories import PartnershipFactory, UserFactory, make_designable

from .conftest import public_member

OFFICIALS = 15
DUPLICATES = 5  # some officials press the button twice, from two threads
ROUNDS = 3


def _fire(gate, people):
    barrier = threading.Barrier(len(people))
    results, lock = [], threading.Lock()

    def approve(person):
        try:
            barrier.wait(timeout=30)
            gates.signoff_approve(gate_request=gate.pk, by=person, comment="ok")
            outcome = "approved"
        except gates.GateError as error:
            outcome = f"refused: {error}"
        except Exception as error:  # noqa: BLE001 - reported below, the test fails on it
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            results.append((person.pk, outcome))

    threads = [threading.Thread(target=approve, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


@pytest.mark.postgres
def test_simultaneous_approvals_make_exactly_one_transition(transactional_db):
    for _round in range(ROUNDS):
        partnership = make_designable(PartnershipFactory())
        ministry = public_member(partnership).organisation
        officials = [
            UserFactory(organisation=ministry, role=Role.OFFICIAL) for _ in range(OFFICIALS)
        ]
        gate = gates.gate_request_create(
            partnership=partnership, transition="start_design", by=partnership.facilitator
        )
        people = officials + officials[:DUPLICATES]

        results = _fire(gate, people)

        assert len(results) == len(people)
        errors = [r for r in results if r[1].startswith("error")]
        assert not errors, errors
        approved = [pk for pk, outcome in results if outcome == "approved"]
        assert sorted(approved) == sorted(o.pk for o in officials)
        refused = [outcome for _pk, outcome in results if outcome.startswith("refused")]
        assert len(refused) == DUPLICATES
        # A second press lands either before the last approval or after the gate closed.
        assert all("already decided" in r or "closed" in r for r in refused), refused

        gate.refresh_from_db()
        partnership.refresh_from_db()
        assert gate.status == GateStatus.APPROVED
        assert partnership.phase == Phase.DESIGN
        assert PhaseChange.objects.filter(partnership=partnership).count() == 1
        assert gate.approvals.filter(decision=Decision.APPROVED).count() == OFFICIALS
        assert gate.approvals.count() == OFFICIALS
        entries = AuditEntry.objects.for_object(gate)
        assert entries.filter(action=audit.Action.GATE_APPROVED).count() == OFFICIALS
        assert entries.filter(action=audit.Action.GATE_PASSED).count() == 1

    checked, broken = audit.verify()
    assert broken is None
    assert checked == AuditEntry.objects.count()
