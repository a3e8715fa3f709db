"""The work plan (activities), meetings and who attended them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.models import (
    TimeStampedModel,
)

from ..choices import (
    ActivityStatus,
)
from .partnership import Partnership
from .results import Indicator

ACTIVITY_OPEN = Q(status__in=["planned", "in_progress"])


class ActivityQuerySet(models.QuerySet):
    def late(self, today):
        """Activities past their end date (before ``today``) and neither done nor cancelled."""
        return self.filter(ACTIVITY_OPEN, ends_on__lt=today)


class Activity(TimeStampedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts"), validators=[validate_sensible_date])
    ends_on = models.DateField(_("ends"), validators=[validate_sensible_date])
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("responsible person"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("indicator"),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_it_starts",
            )
        ]
        indexes = [
            models.Index(fields=["ends_on", "status"], name="activity_due"),
            # late activities (sweep, dashboard): only the ones not done or cancelled
            models.Index(
                fields=["ends_on", "id"],
                condition=ACTIVITY_OPEN,
                name="activity_open_by_end",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if (
            self.responsible_id
            and self.partnership_id
            and not self.partnership.people().filter(pk=self.responsible_id).exists()
        ):
            raise ValidationError({"responsible": RESPONSIBLE_PERSON_MESSAGE})


#: The rule of ``Activity.clean``, also the API's answer to an id that names nobody (so an id
#: that exists and one that does not answer alike).
RESPONSIBLE_PERSON_MESSAGE = _(
    "The responsible person must be the facilitator or a person of a member organisation."
)


class Meeting(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=250)
    held_at = models.DateTimeField(_("date and time"), validators=[validate_sensible_date])
    place = models.CharField(_("place"), max_length=250, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Attendance",
        related_name="meetings",
        verbose_name=_("attendees"),
    )

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A person at a meeting, and when they confirmed its minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    minutes_confirmed_at = models.DateTimeField(_("minutes confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attend_a_meeting_once")
        ]

    def __str__(self):
        return f"{self.person} @ {self.meeting}"
