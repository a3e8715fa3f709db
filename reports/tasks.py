"""Celery tasks of the reports app: thin, taking ids; the work is in ``services``."""

from celery import shared_task

from . import checkpoints, services


@shared_task(acks_late=True, ignore_result=True)
def render_document(document_id: int) -> None:
    """Render, sign and store a requested document; a second run finds it claimed or done."""
    services.document_render(document_id=document_id)


@shared_task(ignore_result=True)
def requeue_stale_documents() -> int:
    """The sweep (Celery beat, see ALIANZA_PERIODIC_TASKS): hand lost requests to Celery again."""
    return services.documents_requeue_stale()


@shared_task(ignore_result=True)
def verify_audit_trail() -> bool:
    """Daily (Celery beat): check the audit trail; tell the administrators when it fails, and
    record a new signed checkpoint of its head when it holds."""
    report = checkpoints.verify()
    if not report.intact:
        checkpoints.alert_administrators(report)
        return False
    checkpoints.write(reason="daily check")
    return True
