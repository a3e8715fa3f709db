"""Celery tasks of the partnerships app: thin; the work is in ``tallies``."""

from celery import shared_task

from .models import tallies


@shared_task(ignore_result=True)
def fold_tallies() -> int:
    """Every minute (ALIANZA_PERIODIC_TASKS): move counted changes into the tallies' totals."""
    return tallies.fold()


@shared_task(ignore_result=True)
def rebuild_tallies() -> None:
    """Nightly: recount the tallies from their rows (repairs any change that bypassed them)."""
    tallies.rebuild()
