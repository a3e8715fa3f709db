"""A real Celery beat (django_celery_beat's database scheduler) and worker on Redis."""

import os
import subprocess
import sys
import time

import pytest
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from reminders.models import AssessmentDue, Reminder, Status
from tests.conftest import ROOT

from .conftest import in_operation


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
def test_beat_and_a_worker_send_a_due_reminder_end_to_end(celery_worker):
    today = timezone.localdate()
    partnership = in_operation(today.replace(day=1))
    AssessmentDue.objects.filter(partnership=partnership).delete()
    AssessmentDue.objects.create(partnership=partnership, due_on=today)
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period="seconds")
    PeriodicTask.objects.create(
        name="reminders: sweep (test)", task="reminders.tasks.sweep", interval=every_second
    )

    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ALIANZA_CELERY_EAGER": "0",
    }
    log_path = ROOT / "var" / f"celery-beat-{os.getpid()}.log"
    with open(log_path, "w") as log:
        beat = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "beat",
                "-l",
                "info",
                "--scheduler",
                "django_celery_beat.schedulers:DatabaseScheduler",
                "--max-interval",
                "1",
                "--pidfile=",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 45
            rows = Reminder.objects.filter(partnership=partnership)
            while time.monotonic() < deadline:
                if rows.exists() and not rows.exclude(status=Status.SENT).exists():
                    break
                time.sleep(0.5)
            time.sleep(2)  # a few more beats: nothing may be sent twice
        finally:
            beat.terminate()
            try:
                beat.wait(10)
            except subprocess.TimeoutExpired:
                beat.kill()
    rows = list(Reminder.objects.filter(partnership=partnership))
    assert rows, log_path.read_text()[-2000:]
    assert {r.status for r in rows} == {Status.SENT}, log_path.read_text()[-2000:]
    assert {r.occasion for r in rows} == {"lead-0"}
    assert {r.attempts for r in rows} == {1}
    assert partnership.facilitator_id in {r.recipient_id for r in rows}
    assert "reminders.tasks.sweep" in log_path.read_text()
