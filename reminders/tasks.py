"""Thin Celery tasks: take ids, call a service, own the retries."""

import datetime

from celery import shared_task

from . import services


# Seconds before retry n (1, 2, ...): 1 min, 2 min, 4 min ... capped at one hour.
def backoff(retries: int) -> int:
    return min(60 * 2**retries, 3600)


@shared_task(name="reminders.tasks.sweep", acks_late=True)
def sweep(date: str | None = None) -> int:
    """Record what is due (once) and queue a send per row still to deliver."""
    today = datetime.date.fromisoformat(date) if date else None
    ids = services.reminders_sweep(today=today)
    for pk in ids:
        send_reminder.delay(pk)
    return len(ids)


@shared_task(name="reminders.tasks.send_reminder", bind=True, acks_late=True, max_retries=6)
def send_reminder(self, reminder_id: int) -> str:
    outcome = services.reminder_send(reminder_id=reminder_id)
    if outcome == services.FAILED and not self.request.is_eager:
        raise self.retry(countdown=backoff(self.request.retries))
    return outcome


@shared_task(name="reminders.tasks.send_digests", acks_late=True)
def send_digests() -> int:
    ids = services.digest_recipients()
    for pk in ids:
        send_digest.delay(pk)
    return len(ids)


@shared_task(
    name="reminders.tasks.send_digest",
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
)
def send_digest(self, user_id: int) -> int:
    return services.digest_send(user_id=user_id)
