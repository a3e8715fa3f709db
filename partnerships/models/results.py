"""Objectives, their indicators and the measurements recorded against them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.models import (
    TimeStampedModel,
)

from ..choices import (
    IndicatorMeasure,
    ObjectiveKind,
)
from .agreed import AgreedContent
from .partnership import Partnership


class Objective(AgreedContent):
    AGREED_FIELDS = ("kind", "description")

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="objectives"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ObjectiveKind.choices, default=ObjectiveKind.SPECIFIC
    )
    description = models.TextField(_("description"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.description[:80]


class Indicator(AgreedContent):
    AGREED_FIELDS = ("name", "unit", "baseline", "target", "means_of_verification")

    def agreement_partnership_id(self):
        return self.objective.partnership_id if self.objective_id else None

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    measure = models.CharField(
        _("measure"), max_length=12, choices=IndicatorMeasure.choices, default=IndicatorMeasure.UNIT
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    means_of_verification = models.TextField(_("means of verification"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


class Measurement(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"), validators=[validate_sensible_date])
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # The last correction (each one is in the audit trail, with the values before and after).
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "measured_on"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["indicator", "measured_on"])]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.measured_on})"
