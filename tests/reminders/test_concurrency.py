"""Two sweeps at once, on real PostgreSQL: each reminder is recorded and sent once."""

import datetime
import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from actors.models import Notification
from reminders import services
from reminders.models import Reminder, Status

from .conftest import in_operation, representatives

D = datetime.date


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_send_each_reminder_once():
    for start in (D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 3)):
        representatives(in_operation(start))
    today = D(2026, 6, 19)  # lead-14 for all three (due 1, 2 and 3 July)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait(timeout=10)
            for _ in range(2):
                for pk in services.reminders_sweep(today=today):
                    services.reminder_send(reminder_id=pk, today=today)
        except Exception as exc:  # surfaced below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    rows = Reminder.objects.all()
    assert rows.count() == 3 * 5  # facilitator, 2 signatories, 2 more representatives
    assert set(rows.values_list("status", flat=True)) == {Status.SENT}
    assert set(rows.values_list("attempts", flat=True)) == {1}
    sent = Counter((m.to[0], m.subject) for m in mail.outbox)
    assert len(mail.outbox) == rows.count()
    assert max(sent.values()) == 1
    assert Notification.objects.count() == rows.count()
