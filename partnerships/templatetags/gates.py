"""``{% gate_summary partnership as gs %}``: what ``partnerships/_gate_status.html`` shows."""

from django import template

from partnerships import gates
from partnerships.models import Decision, GateStatus
from partnerships.permissions import can_request_gate

register = template.Library()


@register.simple_tag(takes_context=True)
def gate_summary(context, partnership):
    request = context.get("request")
    user = getattr(request, "user", None)
    requests_ = list(
        partnership.gate_requests.select_related("requested_by").prefetch_related(
            "approvals__approver"
        )[:10]
    )
    open_request = next((g for g in requests_ if g.status == GateStatus.OPEN), None)
    approvals = (
        [a for a in open_request.approvals.all() if a.decision != Decision.VOID]
        if open_request
        else []
    )
    decisions = sorted(
        (a for g in requests_ for a in g.approvals.all() if a.decided_at),
        key=lambda a: a.decided_at,
        reverse=True,
    )
    return {
        "open": open_request,
        "open_label": gates.transition_label(open_request.transition) if open_request else "",
        "approved": [a for a in approvals if a.decision == Decision.APPROVED],
        "awaited": [a for a in approvals if a.decision == Decision.PENDING],
        "mine": next(
            (a for a in approvals if a.decision == Decision.PENDING and a.approver_id == user.pk),
            None,
        )
        if user is not None and user.is_authenticated
        else None,
        "requests": [(g, gates.transition_label(g.transition)) for g in requests_],
        "decisions": decisions,
        "can_request": user is not None
        and user.is_authenticated
        and open_request is None
        and can_request_gate(user, partnership),
    }


@register.filter
def transition_label(name):
    return gates.transition_label(name)
