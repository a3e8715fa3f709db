import datetime
import socket

import pytest
import time_machine
from django.core import mail

from actors.models import Notification, Role
from reminders import services
from reminders.models import Reminder, Status
from reminders.tasks import sweep as sweep_task
from tests.factories import UserFactory

from .conftest import noon

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def refusing_mail_server(settings):
    """A real SMTP connection to a port nobody listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return settings


def test_a_failed_send_is_recorded_visible_to_administrators_and_retried(
    operating, refusing_mail_server, client
):
    with time_machine.travel(noon(D(2026, 6, 17)), tick=False):
        sweep_task.delay()
    row = Reminder.objects.get(recipient=operating.facilitator)
    assert row.status == Status.FAILED
    assert row.attempts == 1
    assert "ConnectionRefused" in row.last_error
    assert row.sent_at is None
    # the transaction rolled back: no half-delivered notice
    assert not Notification.objects.filter(recipient=operating.facilitator).exists()

    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    page = client.get("/admin/reminders/reminder/?status__exact=failed")
    assert page.status_code == 200
    assert operating.facilitator.full_name in page.text
    assert "ConnectionRefused" in page.text

    # the next day's sweep retries it, and it goes out once the mail server answers
    refusing_mail_server.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(noon(D(2026, 6, 18)), tick=False):
        sweep_task.delay()
        sweep_task.delay()
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.attempts == 2
    assert row.last_error == ""
    assert len([m for m in mail.outbox if m.to == [operating.facilitator.email]]) == 1
    assert Notification.objects.filter(recipient=operating.facilitator).count() == 1


def test_administrators_can_queue_failed_reminders_again(operating, refusing_mail_server, client):
    refusing_mail_server.ALIANZA_REMINDER_MAX_ATTEMPTS = 1
    with time_machine.travel(noon(D(2026, 6, 17)), tick=False):
        sweep_task.delay()
    row = Reminder.objects.get(recipient=operating.facilitator)
    assert row.status == Status.FAILED
    assert row.pk not in services.reminders_to_send()  # given up after the maximum

    refusing_mail_server.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post(
        "/admin/reminders/reminder/",
        {"action": "retry", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_a_reminder_for_a_deactivated_person_is_cancelled_not_sent(operating):
    with time_machine.travel(noon(D(2026, 6, 17)), tick=False):
        services.reminders_record(today=D(2026, 6, 17))
        operating.facilitator.is_active = False
        operating.facilitator.save()
        row = Reminder.objects.get(recipient=operating.facilitator)
        assert services.reminder_send(reminder_id=row.pk) == services.CANCELLED
    row.refresh_from_db()
    assert row.status == Status.CANCELLED
    assert not [m for m in mail.outbox if m.to == [operating.facilitator.email]]
