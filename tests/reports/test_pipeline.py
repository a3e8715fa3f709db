"""Requests written with their cause, claimed once, re-queued by the sweep, rendered by Celery."""

import datetime
import time

import pytest
from django.db import transaction
from django.utils import timezone

from reports import services
from reports.models import Document, DocumentKind, DocumentStatus
from reports.services import rendering
from reports.tasks import render_document, requeue_stale_documents

from .conftest import approve_and_start, designed_partnership, open_design_gate

pytestmark = pytest.mark.django_db


def _progress(partnership, **kwargs):
    return services.document_request_progress(
        partnership=partnership,
        period_start=kwargs.get("start", datetime.date(2026, 1, 1)),
        period_end=kwargs.get("end", datetime.date(2026, 6, 30)),
        by=partnership.facilitator,
    )


def test_the_request_is_handed_to_celery_only_after_commit(django_capture_on_commit_callbacks):
    partnership = designed_partnership()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        request = open_design_gate(partnership)
        assert Document.objects.get(gate_request=request).status == DocumentStatus.QUEUED
    assert len(callbacks) == 1
    document = Document.objects.get(gate_request=request)
    assert document.status == DocumentStatus.READY  # tasks run in-process in tests
    assert document.attempts == 1


def test_a_rolled_back_transition_leaves_no_request():
    partnership = designed_partnership()
    request = open_design_gate(partnership)
    with pytest.raises(RuntimeError), transaction.atomic():
        approve_and_start(partnership, request)
        raise RuntimeError("the sign-off failed after the transition")
    assert not Document.objects.filter(kind=DocumentKind.AGREEMENT).exists()


def test_running_the_task_twice_yields_one_document():
    partnership = designed_partnership()
    document = _progress(partnership)
    render_document.delay(document.pk)
    document.refresh_from_db()
    first = (document.file.name, document.sha256, document.rendered_at)
    render_document.delay(document.pk)
    render_document(document.pk)
    document.refresh_from_db()
    assert (document.file.name, document.sha256, document.rendered_at) == first
    assert document.attempts == 1
    stored = document.file.storage.listdir(f"documents/{partnership.pk}")[1]
    assert stored == [document.file.name.rsplit("/", 1)[1]]


def test_a_run_that_lost_its_claim_discards_its_file():
    partnership = designed_partnership()
    document = _progress(partnership)
    claimed = rendering._claim(document.pk)
    # The sweep decided the worker was dead and another run took the request over.
    Document.objects.filter(pk=document.pk).update(attempts=claimed.attempts + 1)
    assert rendering._store(claimed, b"%PDF-1.7 late", claim=claimed.attempts) is None
    document.refresh_from_db()
    assert document.status == DocumentStatus.RENDERING and not document.file
    assert document.file.storage.listdir(f"documents/{partnership.pk}")[1] == []


def test_asking_twice_for_the_same_period_while_pending_returns_one_request():
    partnership = designed_partnership()
    assert _progress(partnership) == _progress(partnership)
    assert Document.objects.filter(kind=DocumentKind.PROGRESS).count() == 1


def test_the_design_gate_draft_and_final_agreement_are_requested_once():
    partnership = designed_partnership()
    request = open_design_gate(partnership)
    assert services.document_request_agreement_draft(gate_request=request).gate_request == request
    approve_and_start(partnership, request)
    assert services.document_request_agreement(partnership=partnership).version == 1
    kinds = sorted(Document.objects.values_list("kind", flat=True))
    assert kinds == [DocumentKind.AGREEMENT, DocumentKind.AGREEMENT_DRAFT]


def test_the_sweep_recovers_a_request_whose_task_was_lost():
    partnership = designed_partnership()
    # As if the broker was down at commit: the row exists, no task was ever sent.
    lost = Document.objects.create(
        partnership=partnership,
        kind=DocumentKind.CLOSURE,
        queued_at=timezone.now() - datetime.timedelta(minutes=30),
    )
    fresh = Document.objects.create(
        partnership=partnership,
        kind=DocumentKind.PROGRESS,
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        queued_at=timezone.now(),
    )
    stuck = Document.objects.create(
        partnership=partnership,
        kind=DocumentKind.PROGRESS,
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 6, 30),
        status=DocumentStatus.RENDERING,
        attempts=1,
        started_at=timezone.now() - datetime.timedelta(hours=2),
    )
    hopeless = Document.objects.create(
        partnership=partnership,
        kind=DocumentKind.PROGRESS,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 6, 30),
        status=DocumentStatus.RENDERING,
        attempts=services.MAX_ATTEMPTS,
        started_at=timezone.now() - datetime.timedelta(hours=2),
    )
    with pytest.MonkeyPatch.context() as mp:
        # Run the re-sent tasks right away, as a worker would after the sweep commits.
        mp.setattr(transaction, "on_commit", lambda fn, *a, **k: fn())
        assert requeue_stale_documents() == 2
    for document in (lost, fresh, stuck, hopeless):
        document.refresh_from_db()
    assert lost.status == DocumentStatus.READY and lost.sha256
    assert stuck.status == DocumentStatus.READY and stuck.attempts == 2
    assert fresh.status == DocumentStatus.QUEUED  # its task may still be on its way
    assert hopeless.status == DocumentStatus.FAILED
    assert "3 attempts" in hopeless.failure_reason


def test_a_failure_is_recorded_with_its_reason(monkeypatch):
    partnership = designed_partnership()
    document = _progress(partnership)

    def broken(html):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "html_to_pdf", broken)
    render_document(document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "disk full" in document.failure_reason


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_redis_renders_the_final_agreement(celery_worker):
    partnership = designed_partnership()
    request = open_design_gate(partnership)
    approve_and_start(partnership, request)
    final = Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        final.refresh_from_db()
        draft = Document.objects.get(gate_request=request, kind=DocumentKind.AGREEMENT_DRAFT)
        if final.status == draft.status == DocumentStatus.READY:
            break
        assert DocumentStatus.FAILED not in (final.status, draft.status), final.failure_reason
        time.sleep(0.3)
    else:
        pytest.fail(f"the worker did not render the documents: {final.status}, {draft.status}")
    with final.file.open("rb") as fh:
        data = fh.read()
    assert services.signing.sha256_hex(data) == final.sha256
    assert services.signing.check_signature(data).ok


def test_requests_left_for_the_sweep_stay_queued_until_the_sweep_sends_them(
    django_capture_on_commit_callbacks,
):
    """``load_demo --queue-documents``: PDFs requested, not rendered in the load; a worker's
    sweep renders them later, once each."""
    partnership = designed_partnership()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        services.documents_left_for_the_sweep(),
    ):
        request = open_design_gate(partnership)
    assert callbacks == []
    document = Document.objects.get(gate_request=request)
    assert (document.status, document.attempts) == (DocumentStatus.QUEUED, 0)

    later = timezone.now() + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.documents_requeue_stale(now=later) == 1
    document.refresh_from_db()
    assert (document.status, document.attempts) == (DocumentStatus.READY, 1)
