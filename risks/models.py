"""The risk register: risks of a partnership, their owners, ratings and the history of reviews.

Categories follow the design note: the distribution of risks in a public-private partnership,
and the qualitative risks that dominate development partnerships. A risk's ``score`` is likelihood x impact, computed by the
database (a generated column) so that pages and reminder sweeps can filter, sort and index on it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.models import TimeStampedModel
from partnerships.models import Member, Partnership, Phase
from partnerships.models.agreed import AgreedContent
from partnerships.models.tallies import Tallied

RATING_MIN, RATING_MAX = 1, 5
# A risk scoring this much or more must have an owner and a mitigation before operation starts.
HIGH_SCORE = 15


class Family(models.TextChoices):
    CONTRACTUAL = "contractual", _("Contractual")
    TECHNICAL = "technical", _("Technical")
    OPERATING = "operating", _("Operating")
    ENVIRONMENTAL_SOCIAL = "environmental_social", _("Environmental and social")
    FINANCIAL = "financial", _("Financial")
    BUSINESS = "business", _("Business")
    QUALITATIVE = "qualitative", _("Qualitative (development partnerships)")


class Category(models.TextChoices):
    # The distribution of risks in a traditional public-private partnership.
    REGULATORY = "regulatory", _("Regulatory")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    INSURANCE = "insurance", _("Insurance")
    GUARANTEES = "guarantees", _("Guarantees and obligations")
    DESIGN = "design", _("Design")
    CONSTRUCTION = "construction", _("Construction")
    TECHNOLOGY = "technology", _("Technology")
    COMPLETION = "completion", _("Completion")
    OPERATING = "operating", _("Operating")
    ENVIRONMENTAL_SOCIAL = "environmental_social", _("Environmental and social")
    FINANCIAL = "financial", _("Financial")
    DEMAND = "demand", _("Demand")
    COMPETITION = "competition", _("Competition")
    # The qualitative risks of partnerships for development.
    REPUTATION = "reputation", _("Reputation of the institutions")
    POLITICAL = "political", _("Political change and staff turnover")
    ENVIRONMENTAL_CONFLICT = "environmental_conflict", _("Environmental conflicts")
    COMMUNITY_PARTICIPATION = "community_participation", _("Community participation")
    COMMUNICATION = "communication", _("Communication")
    COMMITMENTS = "commitments", _("Fulfilment of agreements and commitments")
    DISTRUST = "distrust", _("Distrust")
    CREDIBILITY = "credibility", _("Credibility")

    @property
    def family(self) -> "Family":
        return FAMILY_OF[self]


FAMILY_OF = {
    Category.REGULATORY: Family.CONTRACTUAL,
    Category.FORCE_MAJEURE: Family.CONTRACTUAL,
    Category.INSURANCE: Family.CONTRACTUAL,
    Category.GUARANTEES: Family.CONTRACTUAL,
    Category.DESIGN: Family.TECHNICAL,
    Category.CONSTRUCTION: Family.TECHNICAL,
    Category.TECHNOLOGY: Family.TECHNICAL,
    Category.COMPLETION: Family.TECHNICAL,
    Category.OPERATING: Family.OPERATING,
    Category.ENVIRONMENTAL_SOCIAL: Family.ENVIRONMENTAL_SOCIAL,
    Category.FINANCIAL: Family.FINANCIAL,
    Category.DEMAND: Family.BUSINESS,
    Category.COMPETITION: Family.BUSINESS,
    Category.REPUTATION: Family.QUALITATIVE,
    Category.POLITICAL: Family.QUALITATIVE,
    Category.ENVIRONMENTAL_CONFLICT: Family.QUALITATIVE,
    Category.COMMUNITY_PARTICIPATION: Family.QUALITATIVE,
    Category.COMMUNICATION: Family.QUALITATIVE,
    Category.COMMITMENTS: Family.QUALITATIVE,
    Category.DISTRUST: Family.QUALITATIVE,
    Category.CREDIBILITY: Family.QUALITATIVE,
}


def grouped_category_choices() -> list:
    """Categories grouped by family, for a ``<select>`` with ``<optgroup>``s."""
    groups = []
    for family in Family:
        options = [(c.value, c.label) for c in Category if FAMILY_OF[c] == family]
        if len(options) == 1:
            groups.append(options[0])
        else:
            groups.append((family.label, options))
    return groups


class Status(models.TextChoices):
    OPEN = "open", _("Open")
    MITIGATED = "mitigated", _("Mitigated")
    OCCURRED = "occurred", _("Occurred")
    CLOSED = "closed", _("Closed")


# Statuses in which a risk still needs watching (and reviewing).
ACTIVE_STATUSES = (Status.OPEN, Status.MITIGATED, Status.OCCURRED)

RATING_VALIDATORS = [MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]


LIKELIHOOD_CHOICES = [
    (1, _("1 – rare")),
    (2, _("2 – unlikely")),
    (3, _("3 – possible")),
    (4, _("4 – likely")),
    (5, _("5 – almost certain")),
]
IMPACT_CHOICES = [
    (1, _("1 – negligible")),
    (2, _("2 – minor")),
    (3, _("3 – moderate")),
    (4, _("4 – major")),
    (5, _("5 – severe")),
]


def _rating_field(label, choices):
    return models.PositiveSmallIntegerField(label, validators=RATING_VALIDATORS, choices=choices)


def _ratings_in_range(prefix: str) -> list[models.CheckConstraint]:
    return [
        models.CheckConstraint(
            condition=Q(**{f"{name}__gte": RATING_MIN, f"{name}__lte": RATING_MAX}),
            name=f"{prefix}_{name}_1_to_5",
        )
        for name in ("likelihood", "impact")
    ]


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(partnership__in=Partnership.objects.visible_to(user))

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)

    def overdue(self, today=None):
        """Active risks whose next review date has passed."""
        today = today or timezone.localdate()
        return self.active().filter(next_review_on__lt=today)

    def high(self):
        return self.filter(score__gte=HIGH_SCORE)

    def lacking_owner_or_mitigation(self):
        return self.filter(Q(owner__isnull=True) | Q(mitigation__regex=r"^\s*$"))


class Risk(AgreedContent, Tallied, TimeStampedModel):
    # The administrator's risk portfolio draws its heat map from this tally.
    tallies = {"risk.cell": ("likelihood", "impact", "status")}
    # An amendment's working copy holds copies of risks: not risks of their own.
    tally_scope = Q(partnership__is_working_copy=False)
    # A risk with an owner is part of the agreement (``checks.agreed_risks``): once signed, its
    # rating, owner and mitigation change only by amendment; reviews that keep them, and risks
    # raised without an owner, stay operational records.
    AGREED_FIELDS = ("title", "category", "likelihood", "impact", "owner", "mitigation")

    def stored_is_agreed(self, stored: dict) -> bool:
        return stored["owner_id"] is not None and stored["status"] != Status.CLOSED

    def is_counted(self) -> bool:
        cached = self._state.fields_cache.get("partnership")
        if cached is not None and cached.pk == self.partnership_id:
            return not cached.is_working_copy  # no query when the partnership is loaded
        return not Partnership._base_manager.filter(
            pk=self.partnership_id, is_working_copy=True
        ).exists()

    def is_agreed(self) -> bool:
        return self.owner_id is not None and self.status != Status.CLOSED

    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        related_name="risks",
        verbose_name=_("partnership"),
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    phase_identified = models.CharField(
        _("phase identified"), max_length=20, choices=Phase.choices, default=Phase.INTEREST
    )
    likelihood = _rating_field(_("likelihood"), LIKELIHOOD_CHOICES)
    impact = _rating_field(_("impact"), IMPACT_CHOICES)
    score = models.GeneratedField(
        expression=F("likelihood") * F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("score"),
    )
    owner = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
        verbose_name=_("owner"),
        help_text=_("The member most able to mitigate it."),
    )
    mitigation = models.TextField(_("mitigation"), blank=True)
    contingency = models.TextField(_("contingency"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    next_review_on = models.DateField(
        _("next review"), null=True, blank=True, validators=[validate_sensible_date]
    )

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "title", "pk"]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        constraints = _ratings_in_range("risk")
        indexes = [
            models.Index(fields=["partnership", "-score"], name="risk_partnership_score"),
            models.Index(fields=["partnership", "likelihood", "impact"], name="risk_cell"),
            models.Index(fields=["status", "next_review_on"], name="risk_review_due"),
            models.Index(fields=["-score", "title", "id"], name="risk_score"),
            models.Index(fields=["category"], name="risk_category"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("risks:detail", args=[self.partnership_id, self.pk])

    @property
    def family(self):
        return FAMILY_OF[Category(self.category)]

    @property
    def rating(self) -> int:
        """The score from the ratings in memory (``score`` is only known once saved)."""
        return (self.likelihood or 0) * (self.impact or 0)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_high(self) -> bool:
        return self.rating >= HIGH_SCORE

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_active and self.next_review_on is not None and self.next_review_on < today

    def gate_problems(self) -> list[str]:
        """What a high risk lacks before operation may start (empty when nothing)."""
        if not self.is_active or not self.is_high:
            return []
        problems = []
        if self.owner_id is None:
            problems.append(str(_("no owner")))
        if not self.mitigation.strip():
            problems.append(str(_("no mitigation")))
        return problems


class ReviewKind(models.TextChoices):
    IDENTIFIED = "identified", _("Identified")
    REVIEW = "review", _("Review")
    EDIT = "edit", _("Ratings corrected")
    CLOSURE = "closure", _("Closed")


class RiskReview(models.Model):
    """One rating of a risk at a date: the rows make the history of its score."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(
        _("kind"), max_length=12, choices=ReviewKind.choices, default=ReviewKind.REVIEW
    )
    reviewed_on = models.DateField(
        _("reviewed on"), default=timezone.localdate, validators=[validate_sensible_date]
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="risk_reviews",
        verbose_name=_("reviewer"),
    )
    likelihood = _rating_field(_("likelihood"), LIKELIHOOD_CHOICES)
    impact = _rating_field(_("impact"), IMPACT_CHOICES)
    score = models.GeneratedField(
        expression=F("likelihood") * F("impact"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("score"),
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status after"), max_length=10, choices=Status.choices)
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("risk review")
        verbose_name_plural = _("risk reviews")
        constraints = _ratings_in_range("risk_review")
        indexes = [models.Index(fields=["risk", "reviewed_on"], name="risk_review_history")]

    def __str__(self):
        return f"{self.risk}: {self.likelihood}×{self.impact} ({self.reviewed_on})"
