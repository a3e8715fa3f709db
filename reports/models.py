"""Documents Alianza issues: agreements, progress and closure reports, as signed PDFs.

A ``Document`` row is a request first (status ``queued``), written in the same transaction as
the change that causes it; the Celery task ``render_document`` claims it (``rendering``),
renders, signs and stores the PDF (``ready``) or records why it could not (``failed``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from actors.links import absolute_url
from actors.models import TimeStampedModel
from partnerships.exports.text import attachment_name
from partnerships.models import Decision, GateRequest, Language, Partnership

# No 0/O, 1/I/L: a code people can read aloud and type from paper.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


def normalise_code(text: str) -> str:
    """What a person typed, in the stored form: upper case, grouped by four with dashes."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    if len(raw) != 12:
        return ""
    return f"{raw[0:4]}-{raw[4:8]}-{raw[8:12]}"


class DocumentKind(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    AGREEMENT_DRAFT = "agreement_draft", _("Agreement (draft)")
    PROGRESS = "progress", _("Progress report")
    CLOSURE = "closure", _("Closure report")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RENDERING = "rendering", _("Being generated")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


PENDING_STATUSES = (DocumentStatus.QUEUED, DocumentStatus.RENDERING)


class DocumentQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(status=DocumentStatus.READY)

    def pending(self):
        return self.filter(status__in=PENDING_STATUSES)


def document_upload_to(instance, filename):
    return f"documents/{instance.partnership_id}/{filename}"


class Document(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(
        _("agreement version"),
        null=True,
        blank=True,
        help_text=_("The agreement version it records; frozen once the agreement is signed."),
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period until"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DocumentStatus.choices,
        default=DocumentStatus.QUEUED,
        db_index=True,
    )
    failure_reason = models.TextField(_("why it failed"), blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True, max_length=300)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    verification_code = models.CharField(
        _("verification code"), max_length=14, unique=True, default=new_verification_code
    )
    fingerprint = models.CharField(_("content fingerprint"), max_length=64, blank=True)
    content = models.JSONField(
        _("frozen content"),
        default=dict,
        blank=True,
        help_text=_("For agreements: the agreed content the document shows, as approved."),
    )
    gate_request = models.ForeignKey(
        GateRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("sign-off"),
    )
    dedupe_key = models.CharField(max_length=100, null=True, blank=True, unique=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("generation started"), null=True, blank=True)
    rendered_at = models.DateTimeField(_("issued"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(
                fields=["gate_request", "kind"],
                condition=Q(gate_request__isnull=False),
                name="one_document_of_a_kind_per_gate_request",
            ),
            models.UniqueConstraint(
                fields=["partnership", "version"],
                condition=Q(kind="agreement"),
                name="one_final_agreement_per_version",
            ),
            models.UniqueConstraint(
                fields=["partnership", "period_start", "period_end", "language"],
                condition=Q(kind="progress", status__in=["queued", "rendering"]),
                name="one_pending_progress_report_per_period",
            ),
            models.CheckConstraint(
                condition=~Q(kind="progress")
                | (
                    Q(period_start__isnull=False)
                    & Q(period_end__isnull=False)
                    & Q(period_end__gte=models.F("period_start"))
                ),
                name="progress_report_has_a_period",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | ~Q(sha256=""),
                name="ready_document_has_a_hash",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "queued_at"], name="document_sweep"),
            models.Index(fields=["partnership", "-created_at"], name="document_by_partnership"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.partnership} ({self.verification_code})"

    def get_absolute_url(self):
        return reverse("reports:download", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING_STATUSES

    @property
    def is_agreement(self) -> bool:
        return self.kind in (DocumentKind.AGREEMENT, DocumentKind.AGREEMENT_DRAFT)

    @cached_property
    def superseded_by(self):
        """The current version of the agreement when this is an earlier one, else None: a
        superseded version stays authentic, and whoever reads or checks it must learn that it
        no longer stands."""
        if self.kind != DocumentKind.AGREEMENT or not self.version:
            return None
        return (
            Document.objects.filter(
                partnership_id=self.partnership_id,
                kind=DocumentKind.AGREEMENT,
                status=DocumentStatus.READY,
                version__gt=self.version,
            )
            .order_by("-version")
            .first()
        )

    @cached_property
    def signer_names(self) -> str:
        """Who signed this agreement version (its sign-off's approvals), for lists; empty for
        other documents."""
        if self.kind != DocumentKind.AGREEMENT or self.gate_request_id is None:
            return ""
        approvals = (
            self.gate_request.approvals.filter(decision=Decision.APPROVED)
            .select_related("approver")
            .order_by("decided_at", "pk")
        )
        return ", ".join(a.approver.full_name or a.approver.email for a in approvals)

    def verification_path(self) -> str:
        return f"{reverse('reports:verify')}?code={self.verification_code}"

    def verification_url(self) -> str:
        return absolute_url(self.verification_path())

    def download_name(self) -> str:
        parts = [self.partnership.reference, self.kind.replace("_", "-")]
        if self.version:
            parts.append(f"v{self.version}")
        if self.period_start and self.period_end:
            parts.append(f"{self.period_start:%Y%m%d}-{self.period_end:%Y%m%d}")
        # Safe for the Content-Disposition header whatever the reference holds.
        return attachment_name("_".join(parts) + ".pdf")
