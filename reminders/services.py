"""Reminders: plan (what is due today, to whom), record (the ledger, before sending), send
(claim one row, deliver, mark it), and the daily digest.

Exactly once: ``reminders_record`` inserts the ledger rows with ON CONFLICT DO NOTHING, so a
rerun, a second beat or a concurrent sweep adds nothing. ``reminder_send`` claims one pending row
with SELECT ... FOR UPDATE SKIP LOCKED and, in the same transaction, creates the in-app notice,
sends the email and marks the row sent; if anything fails the transaction rolls back and the row
is marked failed with the error, to be retried by the task and by the next sweep.
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors import numbers
from actors.links import absolute_url
from actors.models import EmailPreference, Notification, User
from actors.notify import build_email, notify
from partnerships.gates import transition_label

from . import sweeps
from .models import SENDABLE, CalendarFeed, Kind, Reminder, Status

logger = logging.getLogger(__name__)

REMINDER_TEMPLATE = "reminders/email/reminder"
DIGEST_TEMPLATE = "reminders/email/digest"


# ----- plan and record ---------------------------------------------------------------------------


@dataclass
class Planned:
    reminder: Reminder
    due: sweeps.Due
    already_recorded: bool = False


def reminders_plan(*, today: datetime.date | None = None) -> list[Planned]:
    """Every reminder due ``today`` (unsaved), marking those the ledger already holds.

    Reads only; ``send_reminders --dry-run`` prints this.
    """
    today = today or timezone.localdate()
    types: dict[type, ContentType] = {}
    planned = []
    for due in sweeps.due_on(today):
        model = type(due.subject)
        ctype = types.setdefault(model, ContentType.objects.get_for_model(model))
        for recipient in due.recipients:
            planned.append(
                Planned(
                    reminder=Reminder(
                        kind=due.kind,
                        content_type=ctype,
                        object_id=due.subject.pk,
                        partnership=due.partnership,
                        recipient=recipient,
                        due_on=due.due_on,
                        occasion=due.occasion,
                    ),
                    due=due,
                )
            )
    _mark_recorded(planned)
    return planned


def _key(r: Reminder):
    return (r.kind, r.content_type_id, r.object_id, r.recipient_id, r.due_on, r.occasion)


def _mark_recorded(planned: list[Planned]) -> None:
    if not planned:
        return
    condition = Q()
    for kind in {p.reminder.kind for p in planned}:
        condition |= Q(
            kind=kind,
            object_id__in={p.reminder.object_id for p in planned if p.reminder.kind == kind},
        )
    existing = {
        tuple(row)
        for row in Reminder.objects.filter(condition).values_list(
            "kind", "content_type_id", "object_id", "recipient_id", "due_on", "occasion"
        )
    }
    for p in planned:
        p.already_recorded = _key(p.reminder) in existing


@transaction.atomic
def reminders_record(*, today: datetime.date | None = None) -> int:
    """Write today's reminders into the ledger (INSERT ... ON CONFLICT DO NOTHING).

    Safe to run any number of times, concurrently: the unique constraint lets each in once.
    Returns how many rows were planned (recorded now or before).
    """
    planned = reminders_plan(today=today)
    Reminder.objects.bulk_create(
        [p.reminder for p in planned if not p.already_recorded],
        ignore_conflicts=True,
        batch_size=500,
    )
    return len(planned)


def reminders_to_send() -> list[int]:
    """Ids of ledger rows still to deliver (new, or failed and not yet given up)."""
    return list(
        Reminder.objects.sendable().order_by("created_at", "pk").values_list("pk", flat=True)
    )


def reminders_sweep(*, today: datetime.date | None = None) -> list[int]:
    """Record what is due today and return every row still to send (including earlier
    failures): the caller queues one send per id."""
    reminders_record(today=today)
    return reminders_to_send()


# ----- the words -------------------------------------------------------------------------------


def describe(reminder: Reminder, *, today: datetime.date | None = None) -> tuple[str, str, str]:
    """Title, body and link of a reminder in the active language (callers override it with the
    reader's)."""
    today = today or timezone.localdate()
    subject = reminder.subject
    partnership = reminder.partnership
    days = (reminder.due_on - today).days
    when = reminder.due_on.isoformat()
    url = partnership.get_absolute_url()
    if reminder.kind == Kind.ASSESSMENT_DUE:
        if days > 0:
            title = _("Assessment of “%(p)s” due in %(n)s days") % {"p": partnership, "n": days}
        elif days == 0:
            title = _("Assessment of “%(p)s” is due today") % {"p": partnership}
        else:
            title = _("Assessment of “%(p)s” is overdue") % {"p": partnership}
        body = _(
            "The agreement schedules an assessment of this partnership on %(date)s. "
            "Record it, or start the assessment phase, in Alianza."
        ) % {"date": when}
    elif reminder.kind == Kind.GATE_WAITING:
        title = _("Your sign-off is awaited: “%(p)s”") % {"p": partnership}
        body = _(
            "The request “%(transition)s” was opened on %(date)s and is still waiting for your "
            "decision."
        ) % {
            "transition": transition_label(subject.transition),
            "date": timezone.localtime(subject.requested_at).date().isoformat(),
        }
    elif reminder.kind == Kind.ACTIVITY_LATE:
        title = _("Activity past its end date: “%(a)s”") % {"a": subject.title}
        body = _(
            "The activity “%(a)s” of “%(p)s” was planned to end on %(date)s and is not marked "
            "done. Update its status or its dates."
        ) % {"a": subject.title, "p": partnership, "date": when}
    elif reminder.kind == Kind.CONTRIBUTION_SHORT:
        title = _("Contribution not fully delivered: %(m)s") % {"m": subject.member.organisation}
        body = _(
            "The period of “%(c)s” ended on %(date)s with %(delivered)s of %(planned)s %(cur)s "
            "delivered, in “%(p)s”."
        ) % {
            "c": subject.description,
            "date": when,
            "delivered": numbers.figure(subject.delivered_amount, subject.currency),
            "planned": numbers.figure(subject.planned_amount, subject.currency),
            "cur": subject.currency,
            "p": partnership,
        }
    elif reminder.kind == Kind.RISK_REVIEW:
        if days >= 0:
            title = _("Risk review due on %(date)s: “%(r)s”") % {"date": when, "r": subject.title}
        else:
            title = _("Risk review overdue: “%(r)s”") % {"r": subject.title}
        body = _(
            "The risk “%(r)s” of “%(p)s” (score %(score)s) was to be reviewed on %(date)s. "
            "Record a review with its current likelihood and impact."
        ) % {"r": subject.title, "p": partnership, "score": subject.score, "date": when}
        url = subject.get_absolute_url() if hasattr(subject, "get_absolute_url") else url
    else:
        title = _("Reminder: %(kind)s") % {"kind": reminder.get_kind_display()}
        body = _("Due on %(date)s, in “%(p)s”.") % {"date": when, "p": partnership}
    return title, body, url


# ----- send ------------------------------------------------------------------------------------


SENT, FAILED, SKIPPED, CANCELLED = "sent", "failed", "skipped", "cancelled"


def reminder_send(*, reminder_id: int, today: datetime.date | None = None) -> str:
    """Deliver one ledger row if nobody else has: in-app notice, and email for people who chose
    immediate emails (the digest carries it for the others).

    Takes a row lock with SKIP LOCKED: a row another sender holds, or one already sent, is
    skipped. Returns ``sent``, ``failed``, ``skipped`` or ``cancelled``; never raises for a
    delivery error (it is recorded on the row).
    """
    try:
        with transaction.atomic():
            reminder = (
                Reminder.objects.sendable()
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient", "partnership", "content_type")
                .filter(pk=reminder_id)
                .first()
            )
            if reminder is None:
                return SKIPPED
            now = timezone.now()
            if reminder.subject is None or not reminder.recipient.is_active:
                Reminder.objects.filter(pk=reminder.pk).update(
                    status=Status.CANCELLED, last_attempt_at=now
                )
                return CANCELLED
            with translation.override(reminder.recipient.language or settings.LANGUAGE_CODE):
                title, body, url = describe(reminder, today=today)
            notice = notify(
                recipient=reminder.recipient,
                title=title,
                body=body,
                url=url,
                template=REMINDER_TEMPLATE,
                context={"reminder": reminder},
                email_now=True,
            )
            Reminder.objects.filter(pk=reminder.pk).update(
                status=Status.SENT,
                attempts=F("attempts") + 1,
                last_attempt_at=now,
                sent_at=now,
                last_error="",
                notification=notice,
            )
            return SENT
    except Exception as exc:
        logger.warning("Reminder %s could not be sent: %s", reminder_id, exc, exc_info=True)
        Reminder.objects.filter(pk=reminder_id, status__in=SENDABLE).update(
            status=Status.FAILED,
            attempts=F("attempts") + 1,
            last_attempt_at=timezone.now(),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        return FAILED


@transaction.atomic
def reminder_retry(*, reminder_ids) -> int:
    """An administrator asks for another try: failed rows become pending with a fresh count."""
    return Reminder.objects.filter(pk__in=reminder_ids, status=Status.FAILED).update(
        status=Status.PENDING, attempts=0
    )


# ----- digest ----------------------------------------------------------------------------------


def digest_recipients() -> list[int]:
    """People who chose the daily digest and have notices no email has carried yet."""
    return list(
        User.objects.filter(
            is_active=True,
            email_preference=EmailPreference.DIGEST,
            notifications__emailed_at__isnull=True,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def digest_send(*, user_id: int) -> int:
    """Email one person the unread notices no email has carried yet, once.

    Locks those notices (SKIP LOCKED) so two digest runs cannot both send them; a mail error
    rolls back and propagates (the task retries). Returns how many notices went out.
    """
    with transaction.atomic():
        user = User.objects.get(pk=user_id)
        notices = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(recipient=user, emailed_at__isnull=True)
            .order_by("created_at", "pk")
        )
        if not notices:
            return 0
        unread = [n for n in notices if n.read_at is None]
        if unread:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                subject = ngettext(
                    "Your daily summary: %(n)d notice",
                    "Your daily summary: %(n)d notices",
                    len(unread),
                ) % {"n": len(unread)}
            items = [{"notice": n, "link": absolute_url(n.url)} for n in unread]
            build_email(
                recipient=user, subject=subject, template=DIGEST_TEMPLATE, context={"items": items}
            ).send(fail_silently=False)
        Notification.objects.filter(pk__in=[n.pk for n in notices]).update(
            emailed_at=timezone.now()
        )
        return len(unread)


# ----- notices and calendar --------------------------------------------------------------------


@transaction.atomic
def notification_mark_read(*, user, notification_id: int | None = None) -> int:
    """Mark one of the user's notices (or all of them) as read."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_id is not None:
        qs = qs.filter(pk=notification_id)
    return qs.update(read_at=timezone.now())


@transaction.atomic
def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working."""
    CalendarFeed.objects.filter(user=user).delete()
    return CalendarFeed.objects.create(user=user)


@transaction.atomic
def calendar_feed_revoke(*, user) -> None:
    CalendarFeed.objects.filter(user=user).delete()
