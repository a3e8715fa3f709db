"""Members of a partnership and candidate partners."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from actors.models import (
    Organisation,
    TimeStampedModel,
)

from ..choices import (
    MemberRole,
)
from .agreed import AgreedContent
from .partnership import Partnership


class Member(AgreedContent, TimeStampedModel):
    AGREED_FIELDS = ("organisation", "role", "signatory", "responsibilities", "left_on")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatory_for",
        verbose_name=_("authorised signatory"),
    )
    motivation = models.TextField(_("motivation"), blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    # The date a membership amendment took it out of the agreement: it stays on record (its
    # deliveries, its history) and no longer signs.
    left_on = models.DateField(_("left on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_membership_per_organisation"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "role"]),
            # visibility: the partnerships of an organisation, index-only
            models.Index(fields=["organisation", "partnership"], name="member_org_partnership"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class PartnerCandidate(TimeStampedModel):
    """An actor considered for a partnership, scored on five criteria."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="candidates"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="candidacies"
    )
    complementarity = models.PositiveSmallIntegerField(
        _("complementarity of capacities"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    resources = models.PositiveSmallIntegerField(
        _("human and economic resources available"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    leverage = models.PositiveSmallIntegerField(
        _("capacity to leverage others' resources"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    partnership_experience = models.PositiveSmallIntegerField(
        _("previous positive experience in partnerships"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    development_experience = models.PositiveSmallIntegerField(
        _("positive experience in development initiatives"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    notes = models.TextField(_("notes"), blank=True)

    CRITERIA = (
        "complementarity",
        "resources",
        "leverage",
        "partnership_experience",
        "development_experience",
    )

    class Meta:
        verbose_name = _("candidate partner")
        verbose_name_plural = _("candidate partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_candidacy_per_organisation"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{c}__gte": 1, f"{c}__lte": 5}), name=f"candidate_{c}_1_to_5"
                )
                for c in (
                    "complementarity",
                    "resources",
                    "leverage",
                    "partnership_experience",
                    "development_experience",
                )
            ],
        ]

    def __str__(self):
        return f"{self.organisation} → {self.partnership}"

    @property
    def score(self) -> int:
        return sum(getattr(self, c) for c in self.CRITERIA)

    @property
    def is_member(self) -> bool:
        return Member.objects.filter(
            partnership_id=self.partnership_id, organisation_id=self.organisation_id
        ).exists()


def ranked_candidates(partnership):
    """Candidates ordered by total score, best first (ties by complementarity, then name)."""
    total = sum((models.F(c) for c in PartnerCandidate.CRITERIA), models.Value(0))
    member_orgs = Member.objects.filter(
        partnership=partnership, organisation=OuterRef("organisation")
    )
    return (
        partnership.candidates.select_related("organisation")
        .annotate(total_score=total, already_member=Exists(member_orgs))
        .order_by("-total_score", "-complementarity", "organisation__name")
    )
