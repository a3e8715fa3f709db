"""Redis stops while design gates are approved, and comes back a little later: every agreement
is produced exactly once (the approvals are saved; the requests wait in the database and the
reports sweep hands them to Celery when the broker is back).

A private redis-server on a spare port plays the broker (the shared Redis is never stopped).
FAULT_GATES (default 3) gates: each one renders a draft and a signed agreement, which takes a
few seconds a piece on a busy 2-core machine; the issue's 50 fit a quiet machine."""

import datetime
import os

import pytest
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

GATES = int(os.environ.get("FAULT_GATES", "3"))


def designed_partnership(n: int):
    p = make_designable(PartnershipFactory(title=f"Agua segura {n}"))
    services.partnership_start_design(partnership=p, by=p.facilitator)
    p.refresh_from_db()
    complete_agreement(p)
    public = p.members.get(organisation__sector="public").organisation
    UserFactory(role=Role.OFFICIAL, organisation=public)
    return p


def test_gates_approved_while_redis_is_down_give_one_agreement_each(workers, private_redis, broker):
    broker(private_redis.url)
    partnerships = [designed_partnership(n) for n in range(GATES)]

    private_redis.stop()  # the broker goes away
    for p in partnerships:
        gate = gates.gate_request_create(
            partnership=p, transition="start_operation", by=p.facilitator
        )
        for approval in gate.approvals.select_related("approver"):
            gates.signoff_approve(by=approval.approver, gate_request=gate, comment="De acuerdo")
    # Every approval counted, every partnership moved on, every document waits as a request.
    for p in partnerships:
        p.refresh_from_db()
        assert p.phase == Phase.OPERATION
    agreements = Document.objects.filter(kind=DocumentKind.AGREEMENT, partnership__in=partnerships)
    assert agreements.count() == GATES
    assert set(agreements.values_list("status", flat=True)) == {DocumentStatus.QUEUED}

    private_redis.start()  # ... and comes back, empty (nothing was published)
    workers(private_redis.url, "after-outage")
    later = timezone.now() + reports.REQUEUE_AFTER + datetime.timedelta(seconds=1)
    assert reports.documents_requeue_stale(now=later) == 2 * GATES  # drafts and agreements
    wait_for(
        lambda: agreements.filter(status=DocumentStatus.READY).count() == GATES,
        45,
        "every agreement to be rendered",
    )
    # Exactly once: one agreement per partnership, one file each, and a second sweep finds
    # nothing left to send.
    for p in partnerships:
        (agreement,) = Document.objects.filter(partnership=p, kind=DocumentKind.AGREEMENT)
        assert agreement.file and agreement.file.storage.exists(agreement.file.name)
        assert agreement.attempts == 1
    assert reports.documents_requeue_stale(now=later) == 0
