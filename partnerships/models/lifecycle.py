"""The lifecycle's records: phase changes and assessments."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.deferred import render
from actors.models import (
    TimeStampedModel,
)

from ..choices import (
    Phase,
    Recommendation,
)
from .partnership import Partnership


class Assessment(TimeStampedModel):
    """The assessment phase's record: results, lessons and the decision it recommends."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="assessments"
    )
    period_start = models.DateField(
        _("period from"), null=True, blank=True, validators=[validate_sensible_date]
    )
    period_end = models.DateField(
        _("period until"), null=True, blank=True, validators=[validate_sensible_date]
    )
    results_summary = models.TextField(_("results against objectives"), blank=True)
    wanted_results = models.TextField(_("wanted results"), blank=True)
    unwanted_results = models.TextField(_("unwanted results"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.partnership}: {self.created_at:%Y-%m-%d}"


class PhaseChange(models.Model):
    """Append-only history of the lifecycle: one row per transition, written with it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="phase_changes"
    )
    transition = models.CharField(_("transition"), max_length=40)
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    # What the system adds (who signed off), kept untranslated (actors.deferred) so that each
    # reader gets it in their language; ``comment`` holds the person's own words.
    note = models.JSONField(_("note"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        indexes = [
            models.Index(fields=["partnership", "-at"]),
            models.Index(fields=["-at", "-id"], name="phasechange_recent"),
        ]

    def __str__(self):
        return f"{self.from_phase} → {self.to_phase}"

    @property
    def note_text(self) -> str:
        return render(self.note)
