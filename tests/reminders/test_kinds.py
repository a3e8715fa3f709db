import datetime
import io

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from actors.models import EmailPreference, Notification, Role, User
from partnerships.models import (
    Activity,
    ActivityStatus,
    Decision,
    GateApproval,
    GateRequest,
    GateStatus,
)
from partnerships.models.agreed import amending
from reminders import services
from reminders.models import Kind, Reminder, Status
from tests.factories import UserFactory

from .conftest import noon, representatives

pytestmark = pytest.mark.django_db

D = datetime.date


def sweep(day):
    """What the beat's daily sweep does, on ``day``."""
    with time_machine.travel(noon(day), tick=False):
        for pk in services.reminders_sweep(today=day):
            services.reminder_send(reminder_id=pk, today=day)


def expected_assessment_recipients(partnership):
    reps = User.objects.filter(
        role=Role.PARTNER, organisation__memberships__partnership=partnership
    )
    return {partnership.facilitator.pk, *reps.values_list("pk", flat=True)}


def test_assessment_reminders_go_14_and_3_days_before_on_the_day_then_weekly(operating):
    representatives(operating)
    facilitator = operating.facilitator
    day = D(2026, 6, 10)
    while day <= D(2026, 7, 25):
        sweep(day)
        day += datetime.timedelta(days=1)
    sent = list(
        Reminder.objects.filter(recipient=facilitator, kind=Kind.ASSESSMENT_DUE)
        .order_by("sent_at")
        .values_list("occasion", "sent_at__date", "status")
    )
    assert [(o, s) for o, _, s in sent] == [
        ("lead-14", "sent"),
        ("lead-3", "sent"),
        ("lead-0", "sent"),
        ("overdue-week-1", "sent"),
        ("overdue-week-2", "sent"),
        ("overdue-week-3", "sent"),
    ]
    recipients = set(
        Reminder.objects.filter(occasion="lead-14").values_list("recipient_id", flat=True)
    )
    assert recipients == expected_assessment_recipients(operating)
    officials = User.objects.filter(role=Role.OFFICIAL)
    assert not Reminder.objects.filter(recipient__in=officials).exists()
    # 6 occasions x every recipient, one email each
    assert len(mail.outbox) == 6 * len(recipients)


def test_a_day_without_a_sweep_is_caught_up_the_next_day(operating):
    sweep(D(2026, 6, 28))  # lead-3
    sweep(D(2026, 7, 2))  # lead-0 was missed on 1 July
    occasions = set(
        Reminder.objects.filter(recipient=operating.facilitator).values_list("occasion", flat=True)
    )
    assert occasions == {"lead-3", "lead-0"}


def test_the_email_has_text_and_html_parts_in_the_recipients_language(operating):
    operating.facilitator.language = "es"
    operating.facilitator.save()
    sweep(D(2026, 6, 17))
    message = next(m for m in mail.outbox if m.to == [operating.facilitator.email])
    assert "La evaluación de" in message.subject  # Spanish, the recipient's language
    assert operating.title in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="es">' in html
    assert operating.get_absolute_url() in html
    notice = Notification.objects.get(recipient=operating.facilitator)
    assert notice.read_at is None and notice.emailed_at is not None


def test_gate_requests_waiting_remind_only_the_awaited_approvers(operating):
    waiting, approved = UserFactory(role=Role.OFFICIAL), UserFactory(role=Role.OFFICIAL)
    with time_machine.travel(noon(D(2026, 3, 2)), tick=False):
        gate = GateRequest.objects.create(
            partnership=operating,
            transition="start_assessment",
            fingerprint="x" * 64,
            requested_by=operating.facilitator,
        )
    GateApproval.objects.create(request=gate, approver=waiting, capacity="official")
    GateApproval.objects.create(
        request=gate, approver=approved, capacity="official", decision=Decision.APPROVED
    )
    sweep(D(2026, 3, 4))  # two days: not yet (N = 3)
    assert not Reminder.objects.filter(kind=Kind.GATE_WAITING).exists()
    for day in range(5, 19):  # 5 March is day 3; 12 March a week later
        sweep(D(2026, 3, day))
    rows = Reminder.objects.filter(kind=Kind.GATE_WAITING)
    assert set(rows.values_list("recipient_id", "occasion")) == {
        (waiting.pk, "lead-0"),
        (waiting.pk, "overdue-week-1"),
    }
    assert all(r.due_on == D(2026, 3, 5) for r in rows)
    gate.status = GateStatus.APPROVED
    gate.save()
    sweep(D(2026, 3, 30))
    assert rows.count() == 2


def test_late_activities_remind_the_responsible_person_and_the_facilitator(operating):
    responsible = UserFactory()
    late = Activity.objects.create(
        partnership=operating,
        title="Train health promoters",
        starts_on=D(2026, 2, 1),
        ends_on=D(2026, 3, 10),
        responsible=responsible,
        status=ActivityStatus.IN_PROGRESS,
    )
    Activity.objects.create(
        partnership=operating,
        title="Baseline survey",
        starts_on=D(2026, 2, 1),
        ends_on=D(2026, 3, 10),
        responsible=responsible,
        status=ActivityStatus.DONE,
    )
    sweep(D(2026, 3, 10))  # its last day: not late yet
    assert not Reminder.objects.filter(kind=Kind.ACTIVITY_LATE).exists()
    sweep(D(2026, 3, 11))
    rows = Reminder.objects.filter(kind=Kind.ACTIVITY_LATE)
    assert set(rows.values_list("recipient_id", "occasion", "object_id")) == {
        (responsible.pk, "overdue", late.pk),
        (operating.facilitator.pk, "overdue", late.pk),
    }
    assert Notification.objects.filter(
        recipient=responsible, title__contains="Train health promoters"
    ).exists()


def test_short_contributions_remind_that_members_representatives_and_the_facilitator(operating):
    contribution = operating.contributions.select_related("member__organisation").get()
    other_member = operating.members.exclude(pk=contribution.member_id).get()
    reps = representatives(operating)
    own_reps = {u.pk for u in reps if u.organisation_id == contribution.member.organisation_id}
    own_reps |= set(
        User.objects.filter(
            role=Role.PARTNER, organisation=contribution.member.organisation
        ).values_list("pk", flat=True)
    )
    sweep(D(2026, 12, 31))  # the period's last day
    assert not Reminder.objects.filter(kind=Kind.CONTRIBUTION_SHORT).exists()
    sweep(D(2027, 1, 1))
    recipients = set(
        Reminder.objects.filter(kind=Kind.CONTRIBUTION_SHORT).values_list("recipient_id", flat=True)
    )
    assert recipients == own_reps | {operating.facilitator.pk}
    assert not recipients & set(
        User.objects.filter(organisation=other_member.organisation).values_list("pk", flat=True)
    )


def test_a_fully_delivered_contribution_is_not_reminded(operating):
    operating.contributions.update(delivered_amount=10000)
    sweep(D(2027, 1, 5))
    assert not Reminder.objects.filter(kind=Kind.CONTRIBUTION_SHORT).exists()


def test_risk_reviews_remind_the_owners_representatives_and_the_facilitator(operating):
    from risks.models import Risk

    owner = operating.members.first()
    owner_rep = UserFactory(organisation=owner.organisation, role=Role.PARTNER)
    other_member = operating.members.exclude(pk=owner.pk).first()
    bystander = UserFactory(organisation=other_member.organisation, role=Role.PARTNER)
    # The owned risk was agreed with the rest (a risks amendment, say).
    with time_machine.travel(noon(D(2026, 2, 1)), tick=False), amending():
        risk = Risk.objects.create(
            partnership=operating,
            title="Rotation of officials",
            category="political_change",
            phase_identified="operation",
            likelihood=4,
            impact=4,
            owner=owner,
            mitigation="Brief incoming authorities",
            next_review_on=D(2026, 3, 1),
        )
        closed = Risk.objects.create(
            partnership=operating,
            title="Closed one",
            category="reputation",
            phase_identified="operation",
            likelihood=2,
            impact=2,
            status="closed",
            next_review_on=D(2026, 3, 1),
        )
    for day in (D(2026, 2, 10), D(2026, 2, 15), D(2026, 2, 26), D(2026, 3, 1), D(2026, 3, 8)):
        sweep(day)
    rows = Reminder.objects.filter(kind=Kind.RISK_REVIEW)
    assert {str(pk) for pk in rows.values_list("object_id", flat=True)} == {str(risk.pk)}
    assert not rows.filter(object_id=closed.pk).exists()
    recipients = set(rows.values_list("recipient_id", flat=True))
    owner_reps = set(
        User.objects.filter(role=Role.PARTNER, organisation=owner.organisation).values_list(
            "pk", flat=True
        )
    )
    assert owner_rep.pk in owner_reps
    assert recipients == owner_reps | {operating.facilitator.pk}
    assert bystander.pk not in recipients
    occasions = sorted(
        rows.filter(recipient=owner_rep).values_list("occasion", flat=True).distinct()
    )
    assert occasions == ["lead-0", "lead-14", "lead-3", "overdue-week-1"]
    assert rows.filter(status=Status.SENT).count() == rows.count()
    assert Notification.objects.filter(
        recipient=owner_rep, title__contains="Rotation of officials"
    ).exists()


def test_running_the_sweep_twice_sends_each_reminder_once(operating):
    sweep(D(2026, 6, 17))
    first = len(mail.outbox)
    sweep(D(2026, 6, 17))
    call_command("send_reminders", "--date", "2026-06-17", stdout=io.StringIO())
    assert first > 0
    assert len(mail.outbox) == first
    assert Reminder.objects.filter(status=Status.SENT).count() == first
    assert Notification.objects.count() == first


def test_people_who_chose_the_digest_get_one_summary_a_day(operating):
    facilitator = operating.facilitator
    facilitator.email_preference = EmailPreference.DIGEST
    facilitator.save()
    sweep(D(2026, 6, 17))
    sweep(D(2026, 6, 28))
    assert not [m for m in mail.outbox if m.to == [facilitator.email]]
    assert Notification.objects.filter(recipient=facilitator).count() == 2
    assert Reminder.objects.filter(recipient=facilitator, status=Status.SENT).count() == 2

    from reminders.tasks import send_digests

    with time_machine.travel(noon(D(2026, 6, 28)), tick=False):
        send_digests.delay()
        send_digests.delay()
    digests = [m for m in mail.outbox if m.to == [facilitator.email]]
    assert len(digests) == 1
    assert "2 notices" in digests[0].subject
    assert digests[0].body.count(operating.title) == 2
    assert digests[0].alternatives[0][1] == "text/html"
    assert not Notification.objects.filter(recipient=facilitator, emailed_at=None).exists()


def test_dry_run_lists_what_would_go_out_and_to_whom_and_writes_nothing(operating, capsys):
    out = io.StringIO()
    call_command("send_reminders", "--dry-run", "--date", "2026-06-17", stdout=out)
    text = out.getvalue()
    assert "assessment_due" in text and "lead-14" in text
    assert operating.facilitator.email in text
    assert not Reminder.objects.exists()
    assert not mail.outbox
