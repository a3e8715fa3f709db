"""Redis stops while 50 design gates are approved, and comes back a little later: every agreement
is produced exactly once (the approvals are saved; the requests wait in the database and the
reports sweep hands them to Celery when the broker is back).

A private redis-server on a spare port plays the broker (the shared Redis is never stopped).
Each gate requests two documents, a draft when it opens and the agreement when it passes, so
100 PDFs are rendered after the outage, by two worker processes. FAULT_GATES overrides the
number of gates.

While the broker refuses connections, every request to send a task sleeps 0.6 s in Celery's
publish retry (0.2 s then 0.4 s) before the failure is logged: 100 requests one after another
would sleep a minute. The approvals run 8 at a time instead, as 8 people at their desks would;
each partnership is still approved by its own people, one sign-off after another."""

import datetime
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.utils import timezone

from actors.models import Role
from partnerships import gates, services
from partnerships.models import Phase
from reports import services as reports
from reports.models import Document, DocumentKind, DocumentStatus
from tests.factories import PartnershipFactory, UserFactory, complete_agreement, make_designable

from .conftest import wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

GATES = int(os.environ.get("FAULT_GATES", "50"))
AT_ONCE = 8  # approvals in flight together (Celery's producer pool holds 10 connections)
# Two workers render the 100 PDFs in 15 to 20 s on a quiet 2-core machine, 25 to 40 s next to
# another test process; the bound leaves room for a much busier machine.
RENDER_TIMEOUT = 240


def designed_partnership(n: int):
    p = make_designable(PartnershipFactory(title=f"Agua segura {n}"))
    services.partnership_transition(name="start_design", partnership=p, by=p.facilitator)
    p.refresh_from_db()
    complete_agreement(p)
    public = p.members.get(organisation__sector="public").organisation
    UserFactory(role=Role.OFFICIAL, organisation=public)
    return p


def pass_design_gate(p) -> None:
    """The facilitator asks for the sign-off and every assigned person approves (in a thread of
    its own, with its own database connection)."""
    try:
        gate = gates.gate_request_create(
            partnership=p, transition="start_operation", by=p.facilitator
        )
        for approval in gate.approvals.select_related("approver"):
            gates.signoff_approve(by=approval.approver, gate_request=gate, comment="De acuerdo")
    finally:
        connection.close()


def test_gates_approved_while_redis_is_down_give_one_agreement_each(workers, private_redis, broker):
    broker(private_redis.url)
    partnerships = [designed_partnership(n) for n in range(GATES)]

    private_redis.stop()  # the broker goes away
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        list(pool.map(pass_design_gate, partnerships))  # re-raises any thread's error
    # Every approval counted, every partnership moved on, every document waits as a request.
    for p in partnerships:
        p.refresh_from_db()
        assert p.phase == Phase.OPERATION
    agreements = Document.objects.filter(kind=DocumentKind.AGREEMENT, partnership__in=partnerships)
    assert agreements.count() == GATES
    assert set(agreements.values_list("status", flat=True)) == {DocumentStatus.QUEUED}
    assert Document.objects.count() == 2 * GATES  # a draft and an agreement each, nothing else

    private_redis.start()  # ... and comes back, empty (nothing was published)
    workers(private_redis.url, "after-outage-1")
    workers(private_redis.url, "after-outage-2")
    later = timezone.now() + reports.REQUEUE_AFTER + datetime.timedelta(seconds=1)
    assert reports.documents_requeue_stale(now=later) == 2 * GATES  # drafts and agreements
    wait_for(
        lambda: agreements.filter(status=DocumentStatus.READY).count() == GATES,
        RENDER_TIMEOUT,
        "every agreement to be rendered",
    )
    # Exactly once: one agreement per partnership, one file each, and a second sweep finds
    # nothing left to send.
    for p in partnerships:
        (agreement,) = Document.objects.filter(partnership=p, kind=DocumentKind.AGREEMENT)
        assert agreement.file and agreement.file.storage.exists(agreement.file.name)
        assert agreement.attempts == 1
    assert reports.documents_requeue_stale(now=later) == 0
