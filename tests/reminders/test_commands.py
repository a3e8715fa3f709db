import io

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db


def test_setup_schedules_writes_the_periodic_tasks_once_and_keeps_admin_changes():
    call_command("setup_schedules", stdout=io.StringIO())
    tasks = {t.name: t for t in PeriodicTask.objects.all()}
    sweep = tasks["reminders: daily sweep"]
    assert sweep.task == "reminders.tasks.sweep"
    assert (sweep.crontab.hour, sweep.crontab.minute) == ("7", "0")
    assert tasks["reminders: daily digest"].task == "reminders.tasks.send_digests"
    requeue = tasks["reports: requeue stale documents"]
    assert requeue.task == "reports.tasks.requeue_stale_documents"
    assert (requeue.interval.every, requeue.interval.period) == (60, "seconds")

    PeriodicTask.objects.filter(pk=sweep.pk).update(enabled=False)
    out = io.StringIO()
    call_command("setup_schedules", stdout=out)
    assert "kept reminders: daily sweep" in out.getvalue()
    assert PeriodicTask.objects.get(pk=sweep.pk).enabled is False
    call_command("setup_schedules", "--reset", stdout=io.StringIO())
    assert PeriodicTask.objects.get(pk=sweep.pk).enabled is True
    assert PeriodicTask.objects.filter(name__startswith="reminders:").count() == 2
