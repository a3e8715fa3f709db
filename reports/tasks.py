"""Celery tasks of the reports app: thin, taking ids; the work is in ``services``."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def render_document(document_id: int) -> None:
    """Render, sign and store a requested document; a second run finds it claimed or done."""
    services.document_render(document_id=document_id)


@shared_task(ignore_result=True)
def requeue_stale_documents() -> int:
    """The sweep (Celery beat, see ALIANZA_PERIODIC_TASKS): hand lost requests to Celery again."""
    return services.documents_requeue_stale()
