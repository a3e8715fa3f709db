"""A Celery worker killed with SIGKILL in the middle of a render: after a new worker starts,
the document is produced exactly once (late acknowledgement, the sweep, the idempotent claim)."""

import datetime
import time

import pytest
from django.utils import timezone

from reports import services
from reports.models import Document, DocumentKind, DocumentStatus
from tests.factories import PartnershipFactory

from .conftest import wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_a_worker_killed_mid_render_leaves_one_document_after_a_new_worker(
    workers, private_redis, broker
):
    broker(private_redis.url)
    partnership = PartnershipFactory()
    first = workers(private_redis.url, "doomed")
    document = services.document_request_progress(
        partnership=partnership,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        by=partnership.facilitator,
    )

    def state():
        document.refresh_from_db()
        return document.status

    # The worker claimed it (RENDERING): kill it before it stores anything.
    wait_for(lambda: state() != DocumentStatus.QUEUED, 20, "the worker to claim the document")
    assert document.status == DocumentStatus.RENDERING, "rendered before it could be killed"
    first.kill()
    time.sleep(0.5)
    assert state() == DocumentStatus.RENDERING and not document.file

    # A new worker; the sweep sees the claim gone stale and sends the request again (the
    # unacknowledged message itself comes back only after the broker's visibility timeout).
    workers(private_redis.url, "second")
    later = timezone.now() + services.STUCK_AFTER + datetime.timedelta(seconds=1)
    assert services.documents_requeue_stale(now=later) == 1
    wait_for(
        lambda: state() == DocumentStatus.READY, 30, "the second worker's render"
    )  # bounded: < 60 s in all
    assert document.attempts == 2
    assert document.file and document.file.storage.exists(document.file.name)
    rendered_at, name = document.rendered_at, document.file.name

    # The lost message or another sweep arriving now changes nothing: the claim refuses.
    from reports.tasks import render_document

    render_document.delay(document.pk)
    assert services.documents_requeue_stale(now=later) == 0
    time.sleep(2)
    document.refresh_from_db()
    assert (document.rendered_at, document.file.name) == (rendered_at, name)
    assert Document.objects.filter(partnership=partnership, kind=DocumentKind.PROGRESS).count() == 1
