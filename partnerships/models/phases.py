"""The records of each phase's work: the problem tree and matrix, agreement versions,
conflicts, health checks, closure notes and attachments."""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.models import Organisation, Sector, TimeStampedModel

from ..choices import (
    Attribute,
    ConflictStatus,
    NodeKind,
)
from .lifecycle import Assessment
from .members import Member
from .partnership import Partnership
from .results import Measurement
from .work import Meeting


class ProblemNode(models.Model):
    """One box of the problem tree: the central problem, a cause or an effect.

    Causes hang under the problem or under another cause (a deeper cause); effects likewise.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="problem_nodes"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NodeKind.choices)
    text = models.CharField(_("text"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("problem tree node")
        verbose_name_plural = _("problem tree nodes")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="problem") & Q(parent__isnull=True))
                | (~Q(kind="problem") & Q(parent__isnull=False)),
                name="problem_node_only_the_problem_is_a_root",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class MatrixRow(models.Model):
    """A row of the opportunity matrix: a cause, the opportunities around it and the capacities
    to use."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="matrix_rows"
    )
    actor = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    cause = models.TextField(_("cause"))
    opportunity = models.TextField(_("opportunities"), blank=True)
    capacity = models.TextField(_("capacities"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("causes, opportunities and capacities row")
        verbose_name_plural = _("causes, opportunities and capacities matrix")

    def __str__(self):
        return self.cause[:60]


class AgreementVersion(models.Model):
    """One version of the agreed content. The working version follows the partnership while it
    is designed; approving the design gate freezes it, and renegotiation opens the next one."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreement_versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("agreed content"), default=dict)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    frozen = models.BooleanField(_("frozen"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["partnership", "number"]
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "number"], name="agreement_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(frozen=False),
                name="one_working_agreement_version",
            ),
            models.CheckConstraint(
                condition=Q(frozen=False) | Q(signed_at__isnull=False),
                name="frozen_agreement_version_is_signed",
            ),
        ]

    def __str__(self):
        return f"{self.partnership} v{self.number}"


class Conflict(TimeStampedModel):
    """A conflict between parties and how it was handled."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="conflicts")
    title = models.CharField(_("title"), max_length=250)
    what_happened = models.TextField(_("what happened"))
    parties = models.ManyToManyField(
        Member, related_name="conflicts", blank=True, verbose_name=_("parties")
    )
    handling = models.TextField(_("how it was handled"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN
    )
    raised_on = models.DateField(
        _("raised on"), default=timezone.localdate, validators=[validate_sensible_date]
    )
    resolved_on = models.DateField(
        _("resolved on"), null=True, blank=True, validators=[validate_sensible_date]
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_on", "-pk"]
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("raised_on")),
                name="conflict_resolved_after_raised",
            )
        ]

    def __str__(self):
        return self.title


class HealthCheck(models.Model):
    """A short questionnaire sent, for one assessment, to every member's representatives."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="health_check"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="health_checks_received", blank=True
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("partnership health check")
        verbose_name_plural = _("partnership health checks")

    def __str__(self):
        return f"{_('Health check')} · {self.assessment}"


def _score_field(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class HealthCheckResponse(models.Model):
    health_check = models.ForeignKey(
        HealthCheck, on_delete=models.CASCADE, related_name="responses"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_check_responses"
    )
    # The respondent's organisation and its sector when answering: later moves do not rewrite it.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, blank=True)
    horizontality = _score_field(Attribute.HORIZONTALITY.label)
    mutual_benefit = _score_field(Attribute.MUTUAL_BENEFIT.label)
    recipient_leadership = _score_field(Attribute.RECIPIENT_LEADERSHIP.label)
    effectiveness = _score_field(Attribute.EFFECTIVENESS.label)
    accountability = _score_field(Attribute.ACCOUNTABILITY.label)
    trust = _score_field(Attribute.TRUST.label)
    communication = _score_field(Attribute.COMMUNICATION.label)
    comments = models.TextField(_("comments"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("health check response")
        verbose_name_plural = _("health check responses")
        constraints = [
            models.UniqueConstraint(
                fields=["health_check", "respondent"], name="one_health_check_response_per_person"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{a}__gte": 1, f"{a}__lte": 5}),
                    name=f"health_check_{a}_1_to_5",
                )
                for a in Attribute.values
            ],
        ]

    def __str__(self):
        return f"{self.respondent} · {self.health_check}"


class ClosureNote(TimeStampedModel):
    """What the partners learned and report when the partnership ends."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="closure_note"
    )
    final_summary = models.TextField(_("final summary"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("closure note")
        verbose_name_plural = _("closure notes")

    def __str__(self):
        return f"{self.partnership}: {_('closure')}"


def private_root() -> Path:
    return Path(
        getattr(settings, "ALIANZA_PRIVATE_MEDIA_ROOT", None)
        or Path(settings.MEDIA_ROOT).parent / "private"
    )


class PrivateStorage(FileSystemStorage):
    """Attachments live outside MEDIA_ROOT and have no public URL: a view serves them.

    The location is read from the settings on every use, so tests can move it."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(private_root())

    @property
    def location(self):
        return os.path.abspath(self.base_location)


def private_storage():
    return PrivateStorage()


def attachment_path(instance, filename):
    # The stored name is random; the original name is kept only in the database.
    ext = os.path.splitext(filename)[1].lower()[:10]
    return f"attachments/{instance.partnership_id}/{uuid.uuid4().hex}{ext}"


class Attachment(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="attachments"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    measurement = models.ForeignKey(
        Measurement, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("type"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) | Q(measurement__isnull=True),
                name="attachment_belongs_to_one_record",
            )
        ]

    def __str__(self):
        return self.original_name
