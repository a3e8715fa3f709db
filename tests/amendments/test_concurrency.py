"""Amendments at the same moment, on real PostgreSQL: row locks and the constraint serialise
them. One amendment waits for signatures at a time; racing approvals merge it once."""

import threading

import pytest
from django.db import connection

from actors.models import Role
from partnerships import audit, gates
from partnerships.amendments import services
from partnerships.models import (
    Amendment,
    AmendmentStatus,
    AuditEntry,
    Decision,
    GateStatus,
    MemberRole,
)
from reports.models import Document, DocumentKind
from tests.factories import UserFactory

from .conftest import open_amendment, raise_first_target

OFFICIALS = 8
DUPLICATES = 3


def _together(calls):
    """Run each call in its own thread, released at once; returns their outcomes."""
    barrier = threading.Barrier(len(calls))
    results, lock = [], threading.Lock()

    def run(index, call):
        try:
            barrier.wait(timeout=30)
            call()
            outcome = "ok"
        except gates.GateError as error:
            outcome = f"refused: {error}"
        except Exception as error:  # noqa: BLE001 - reported below, the test fails on it
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            results.append((index, outcome))

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    return sorted(results)


@pytest.mark.postgres
def test_amendments_submitted_at_once_leave_one_waiting_for_signatures(transactional_db, signed):
    drafts = [open_amendment(signed) for _ in range(4)]
    for n, draft in enumerate(drafts):
        raise_first_target(draft, to=str(70 + n))
    by = signed.facilitator

    results = _together([lambda d=d: services.amendment_submit(amendment=d, by=by) for d in drafts])

    assert not [r for r in results if r[1].startswith("error")], results
    assert [o for _i, o in results].count("ok") == 1
    refused = [o for _i, o in results if o.startswith("refused")]
    assert len(refused) == 3 and all("one is signed at a time" in r for r in refused), refused
    assert Amendment.objects.filter(status=AmendmentStatus.SUBMITTED).count() == 1
    assert Amendment.objects.filter(status=AmendmentStatus.DRAFT).count() == 3
    # The refused ones opened no sign-off.
    assert Amendment.objects.exclude(sign_off=None).count() == 1


@pytest.mark.postgres
def test_racing_approvals_merge_the_amendment_once(transactional_db, signed):
    ministry = signed.members.get(role=MemberRole.PUBLIC_ENTITY).organisation
    for _ in range(OFFICIALS):
        UserFactory(organisation=ministry, role=Role.OFFICIAL)
    amendment = open_amendment(signed)
    raise_first_target(amendment, to="88")
    amendment = services.amendment_submit(amendment=amendment, by=signed.facilitator)
    gate = amendment.sign_off
    people = [a.approver for a in gate.approvals.filter(decision=Decision.PENDING)]
    assert len(people) > OFFICIALS
    pressing = people + people[:DUPLICATES]

    results = _together(
        [
            lambda p=p: gates.signoff_approve(gate_request=gate.pk, by=p, comment="ok")
            for p in pressing
        ]
    )

    assert not [r for r in results if r[1].startswith("error")], results
    assert [o for _i, o in results].count("ok") == len(people)
    gate.refresh_from_db()
    amendment.refresh_from_db()
    assert gate.status == GateStatus.APPROVED
    assert amendment.status == AmendmentStatus.SIGNED and amendment.number == 1
    assert gate.approvals.filter(decision=Decision.APPROVED).count() == len(people)
    entries = AuditEntry.objects.for_object(gate)
    assert entries.filter(action=audit.Action.GATE_APPROVED).count() == len(people)
    assert entries.filter(action=audit.Action.GATE_PASSED).count() == 1
    signed_entries = AuditEntry.objects.filter(action=audit.Action.AMENDMENT_SIGNED)
    assert signed_entries.count() == 1
    assert Document.objects.filter(partnership=signed, kind=DocumentKind.AGREEMENT).count() == 2
    assert signed.agreed_content()["objectives"][0]["indicators"][0]["target"] == "88.00"
