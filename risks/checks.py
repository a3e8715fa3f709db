"""What the risk register adds to the partnership's gates and to its agreed content.

Registered with ``partnerships.checklists`` from ``RisksConfig.ready()``.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.checklists import Item

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
