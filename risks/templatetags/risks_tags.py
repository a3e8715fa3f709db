from django import template
from django.urls import reverse
from django.utils import timezone

from partnerships.permissions import can_edit

from ..heatmap import band
from ..models import Risk

register = template.Library()


@register.filter
def score_band(score) -> str:
    """The score's band (low, medium, high, severe), for a CSS class."""
    try:
        return band(int(score))
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def risk_summary(context, partnership=None, top: int = 5) -> dict:
    """What ``risks/_partnership_risks.html`` shows: the heat map and the top open risks.

    ``partnership`` defaults to the context's ``partnership`` or ``object``; the caller has
    already checked that the user may see it.
    """
    partnership = partnership or context.get("partnership") or context.get("object")
    from ..views import partnership_heat_map

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    active = Risk.objects.filter(partnership=partnership).active()
    top_risks = list(active.select_related("owner__organisation").order_by("-score", "title")[:top])
    for risk in top_risks:
        risk.band = band(risk.score)
    heat_map = partnership_heat_map(partnership)
    return {
        "heat_map": heat_map,
        "top_risks": top_risks,
        "total": heat_map.total,
        "overdue": active.overdue().count(),
        "today": timezone.localdate(),
        "list_url": reverse("risks:list", args=[partnership.pk]),
        "add_url": reverse("risks:add", args=[partnership.pk]),
        "can_edit": bool(user and user.is_authenticated and can_edit(user, partnership)),
    }
