"""What is due and what was said about it.

``AssessmentDue`` turns each partnership's assessment schedule into rows, so the daily sweep asks
the database one indexed question ("what is due soon or overdue?") whose answer grows with what
is due, not with the number of partnerships.

``Reminder`` is the ledger that makes every reminder go out exactly once: a row per kind, object,
recipient, due date and occasion under a unique constraint, inserted (ON CONFLICT DO NOTHING)
before anything is sent. Sending claims a pending row under a row lock (SKIP LOCKED), so reruns,
two beat processes or a retried task find nothing left to send.
"""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership


class AssessmentDueQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(done=False)


class AssessmentDue(models.Model):
    """One scheduled assessment date of a partnership."""

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="assessments_due",
        verbose_name=_("partnership"),
    )
    due_on = models.DateField(_("due on"))
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    objects = AssessmentDueQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("scheduled assessment")
        verbose_name_plural = _("scheduled assessments")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "due_on"], name="one_assessment_due_per_date"
            )
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(done=False), name="assessment_due_pending")
        ]

    def __str__(self):
        return f"{self.partnership}: {self.due_on}"

    def get_absolute_url(self):
        return self.partnership.get_absolute_url()


class Kind(models.TextChoices):
    ASSESSMENT_DUE = "assessment_due", _("Assessment due")
    GATE_WAITING = "gate_waiting", _("Sign-off waiting")
    ACTIVITY_LATE = "activity_late", _("Activity past its end date")
    CONTRIBUTION_SHORT = "contribution_short", _("Contribution not fully delivered")
    RISK_REVIEW = "risk_review", _("Risk review due")


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed (will be retried)")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses a sender may claim.
SENDABLE = (Status.PENDING, Status.FAILED)


class ReminderQuerySet(models.QuerySet):
    def sendable(self):
        return self.filter(status__in=SENDABLE, attempts__lt=settings.ALIANZA_REMINDER_MAX_ATTEMPTS)


class Reminder(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    subject = GenericForeignKey("content_type", "object_id")
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("partnership"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("recipient"),
    )
    due_on = models.DateField(_("due on"))
    occasion = models.CharField(
        _("occasion"), max_length=30, help_text=_("For example lead-14, lead-0, overdue-week-2.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    notification = models.ForeignKey(
        "actors.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("notification"),
    )

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient", "due_on", "occasion"],
                name="one_reminder_per_occasion",
            )
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status__in=["pending", "failed"]),
                name="reminder_to_send",
            ),
            models.Index(fields=["status", "kind"], name="reminder_status_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.recipient} · {self.occasion}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A private iCalendar address for one person; revoking deletes it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("secret"), max_length=64, default=new_token)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("reminders:calendar", args=[self.pk, self.token])
