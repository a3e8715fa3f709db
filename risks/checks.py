"""What the risk register adds to the partnership's gates, to its agreed content and to a
member's removal.

Registered with ``partnerships.lifecycle.checklists`` and ``partnerships.services`` from
``RisksConfig.ready()``.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.lifecycle.checklists import Item
from partnerships.services import RemovalEffect

from .models import HIGH_SCORE, Category, Risk, Status


def high_risks_owned(partnership) -> list[Item]:
    """Leaving design: every active risk scoring 15 or more has an owner and a mitigation."""
    high = (
        Risk.objects.filter(partnership=partnership)
        .exclude(status=Status.CLOSED)
        .high()
        .lacking_owner_or_mitigation()
        .order_by("-score", "title", "pk")
    )
    failing = [f"“{risk.title}” ({', '.join(risk.gate_problems())})" for risk in high]
    url = reverse("risks:list", args=[partnership.pk]) + f"?min_score={HIGH_SCORE}"
    if failing:
        reason = _(
            "These risks score %(score)s or more and lack an owner or a mitigation: %(risks)s."
        ) % {"score": HIGH_SCORE, "risks": "; ".join(failing)}
    else:
        reason = _("Every risk scoring %(score)s or more needs an owner and a mitigation.") % {
            "score": HIGH_SCORE
        }
    return [
        Item(
            "high_risks_owned",
            _("Every risk scoring %(score)s or more has an owner and a mitigation")
            % {"score": HIGH_SCORE},
            not failing,
            reason,
            url,
        )
    ]


# How the agreed risks read on the sign-off page (the agreement's "Risks and who mitigates them").
AGREED_LAYOUT = {
    "risks": (
        gettext_lazy("Risks and who mitigates them"),
        {
            "title": (gettext_lazy("Risk"), None),
            "category": (gettext_lazy("Category"), Category),
            "likelihood": (gettext_lazy("Likelihood"), None),
            "impact": (gettext_lazy("Impact"), None),
            "owner": (gettext_lazy("Owner"), None),
            "mitigation": (gettext_lazy("Mitigation"), None),
        },
    )
}


def agreed_risks(partnership) -> dict:
    """Risks with an owner are part of what the partners agree to (and sign)."""
    risks = (
        Risk.objects.filter(partnership=partnership, owner__isnull=False)
        .exclude(status=Status.CLOSED)
        .select_related("owner__organisation")
        .order_by("pk")
    )
    return {
        "risks": [
            {
                "title": r.title,
                "category": r.category,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "score": r.score,
                "owner": r.owner.organisation.name,
                "mitigation": r.mitigation,
            }
            for r in risks
        ]
    }


class OwnedRisks:
    """A member leaving: the risks it owns pass to the member chosen, or have no owner until
    one is chosen on the register (a high one then blocks the start of operation again)."""

    @staticmethod
    def _owned(member):
        return Risk.objects.filter(owner=member).order_by("-score", "title", "pk")

    @classmethod
    def describe(cls, member):
        risks = list(cls._owned(member))
        if not risks:
            return None
        return RemovalEffect(
            heading=_("The risks it owns"),
            items=tuple(
                _("%(title)s (score %(score)s, %(status)s)")
                % {"title": r.title, "score": r.score, "status": r.get_status_display().lower()}
                for r in risks
            ),
            outcome=_(
                "They pass to the member you choose below; otherwise they have no owner until "
                "one is chosen on the risk register."
            ),
            asks_successor=True,
        )

    @classmethod
    def hand_over(cls, member, *, successor, by) -> dict:
        risks = list(cls._owned(member))
        # The owner is not one of the tallied fields (tallies count ratings and status).
        Risk.objects.filter(pk__in=[r.pk for r in risks]).update(owner=successor)
        to = successor.organisation.name if successor is not None else None
        return {"risks": [{"title": r.title, "to": to} for r in risks]}
