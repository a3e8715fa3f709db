"""What each member contributes, and the deliveries recorded against it."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.models import (
    TimeStampedModel,
)

from ..choices import (
    ContributionKind,
)
from ..reference.codes import CURRENCIES
from .agreed import AgreedContent
from .members import Member
from .partnership import Partnership

# What "short" and "late" mean, written once: the querysets below, the partial indexes that
# serve them, the dashboard and the reminder sweeps all use these.
CONTRIBUTION_BELOW_PLAN = Q(delivered_amount__lt=models.F("planned_amount"))


class ContributionQuerySet(models.QuerySet):
    def short(self, today):
        """Contributions whose period ended before ``today`` with less delivered than planned."""
        return self.filter(CONTRIBUTION_BELOW_PLAN, period_end__lt=today)

    def totals_by_member(self) -> list[dict]:
        """Planned and delivered per member and currency, with the share delivered in whole
        percent (``ratio``, None when nothing is planned): the partnership page and the
        operation workspace show these rows."""
        rows = list(
            self.order_by("member__organisation__name", "currency")
            .values("member_id", "member__organisation__name", "currency")
            .annotate(planned=Sum("planned_amount"), delivered=Sum("delivered_amount"))
        )
        for row in rows:
            row["ratio"] = (
                round(100 * row["delivered"] / row["planned"]) if row["planned"] else None
            )
        return rows


class Contribution(AgreedContent, TimeStampedModel):
    """What a member promised to bring, valued in money, and how much of it has arrived."""

    AGREED_FIELDS = (
        "member",
        "kind",
        "description",
        "planned_amount",
        "currency",
        "period_start",
        "period_end",
        "closed_out_on",
    )

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="contributions"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ContributionKind.choices)
    description = models.CharField(_("description"), max_length=300)
    planned_amount = models.DecimalField(
        _("planned amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    delivered_amount = models.DecimalField(
        _("delivered amount"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    period_start = models.DateField(
        _("from"), null=True, blank=True, validators=[validate_sensible_date]
    )
    period_end = models.DateField(
        _("until"), null=True, blank=True, validators=[validate_sensible_date]
    )

    # A commitment an amendment ended before it was delivered in full (its member left, say):
    # kept on record and shown as not delivered, no longer part of what stands.
    closed_out_on = models.DateField(_("closed out on"), null=True, blank=True, editable=False)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["member__organisation__name", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0) & Q(delivered_amount__gte=0),
                name="contribution_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="contribution_period_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["period_end"], name="contribution_period_end"),
            # contributions short (sweep, dashboard): only those delivered below plan
            models.Index(
                fields=["period_end", "id"],
                condition=CONTRIBUTION_BELOW_PLAN,
                name="contribution_short",
            ),
        ]

    def __str__(self):
        return f"{self.member.organisation}: {self.description}"

    @property
    def delivered_ratio(self) -> Decimal:
        if not self.planned_amount:
            return Decimal(0)
        return self.delivered_amount / self.planned_amount


class Delivery(TimeStampedModel):
    """One delivery against a contribution; the contribution keeps the running total."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered_on = models.DateField(_("date"), validators=[validate_sensible_date])
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["delivered_on", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.amount} ({self.delivered_on})"
