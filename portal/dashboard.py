"""The home page: one dashboard per role, each built from a fixed number of aggregate queries
(no query per partnership), over the partnerships the user may see.

The portal sits above every app (``pyproject.toml``'s layers), so it reads reminders, risks and
reports directly.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.views import redirect_to_login
from django.db.models import Count, Q, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actors.models import Role
from partnerships import gates
from partnerships.models import (
    DUE_PHASES,
    Activity,
    Contribution,
    Decision,
    GateRequest,
    GateStatus,
    Partnership,
    Phase,
    PhaseChange,
    tallies,
)
from partnerships.permissions import visible_ids
from reminders.models import AssessmentDue
from reports import charts
from reports.models import Document
from risks.models import Risk


@dataclass
class FundedTotal:
    """One funded partnership's contributions in one currency: a row of the donor's table and
    a bar of its chart (the share delivered of what was planned, so that portfolios in several
    currencies share one scale)."""

    label: str
    planned: Decimal
    delivered: Decimal
    currency: str

    @property
    def share(self) -> float:
        return float(self.delivered / self.planned) if self.planned else 0.0

    @property
    def percent(self) -> int:
        return round(self.share * 100)


LIMIT = 10
SOON = datetime.timedelta(days=30)


def in_view(visible) -> Q:
    """Related rows of visible partnerships by ``partnership_id`` (no join, no scan of
    partnerships: the ids come from the user's own rows); administrators: no filter."""
    ids = getattr(visible, "visible_ids", "unset")
    if ids == "unset":
        return Q(partnership__in=visible)
    return Q() if ids is None else Q(partnership_id__in=ids)


def _by_phase(visible) -> list[dict]:
    if in_view(visible) == Q():  # administrators: every partnership, from the phase tally
        counts = tallies.counts("partnership.phase")
    else:
        counts = dict(visible.order_by().values_list("phase").annotate(n=Count("pk")))
    return [
        {"phase": value, "label": label, "count": counts.get(value, 0)}
        for value, label in Phase.choices
        if counts.get(value)
    ]


def _due(visible, today) -> dict:
    due = {}

    due["assessments"] = list(
        AssessmentDue.objects.pending()
        .filter(
            in_view(visible),
            partnership__phase__in=DUE_PHASES["assessments"],
            due_on__lte=today + SOON,
        )
        .select_related("partnership")
        .order_by("due_on", "pk")[:LIMIT]
    )
    due["activities"] = list(
        Activity.objects.late(today)
        .filter(in_view(visible), partnership__phase__in=DUE_PHASES["activities"])
        .select_related("partnership")
        .order_by("ends_on", "pk")[:LIMIT]
    )
    due["risks"] = list(
        Risk.objects.filter(
            in_view(visible),
            partnership__phase__in=DUE_PHASES["risks"],
            partnership__is_working_copy=False,
        )
        .overdue(today)
        .select_related("partnership")
        .order_by("next_review_on", "pk")[:LIMIT]
    )
    due["contributions"] = list(
        Contribution.objects.short(today)
        .filter(in_view(visible), partnership__phase__in=DUE_PHASES["contributions"])
        .select_related("partnership", "member__organisation")
        .order_by("period_end", "pk")[:LIMIT]
    )
    due["count"] = sum(len(rows) for rows in due.values())
    return due


def _facilitator_context(user, visible, today) -> dict:
    open_gates = list(
        GateRequest.objects.filter(in_view(visible), status=GateStatus.OPEN)
        .select_related("partnership", "requested_by")
        .annotate(
            pending=Count("approvals", filter=Q(approvals__decision=Decision.PENDING)),
            approvals_total=Count("approvals"),
        )
        .order_by("requested_at", "pk")[:LIMIT]
    )
    for gate in open_gates:
        gate.label = gates.transition_label(gate.transition)
    recent = list(
        PhaseChange.objects.filter(in_view(visible))
        .select_related("partnership", "by")
        .order_by("-at", "-pk")[:LIMIT]
    )
    return {
        "by_phase": _by_phase(visible),
        "due": _due(visible, today),
        "open_gates": open_gates,
        "recent": recent,
    }


def _official_context(user) -> dict:
    mine = user.gate_approvals.select_related("request__partnership", "request__requested_by")
    waiting = list(
        mine.filter(decision=Decision.PENDING, request__status=GateStatus.OPEN).order_by(
            "request__requested_at", "pk"
        )
    )
    decided = list(mine.exclude(decided_at=None).order_by("-decided_at", "-pk")[:LIMIT])
    for approval in waiting + decided:
        approval.label = gates.transition_label(approval.request.transition)
    return {"waiting": waiting, "decided": decided}


def _donor_context(user, visible) -> dict:
    funded = list(visible.select_related("facilitator").order_by("title", "pk"))
    names = {p.pk: p.title for p in funded}
    totals = (
        Contribution.objects.filter(in_view(visible))
        .order_by()
        .values("partnership", "currency")
        .annotate(planned=Sum("planned_amount"), delivered=Sum("delivered_amount"))
        .order_by("partnership", "currency")
    )
    bars = [
        FundedTotal(
            label=names.get(row["partnership"], ""),
            planned=row["planned"] or 0,
            delivered=row["delivered"] or 0,
            currency=row["currency"],
        )
        for row in totals
    ]
    bars.sort(key=lambda b: (b.label, b.currency))
    documents = list(
        Document.objects.ready()
        .filter(in_view(visible))
        .exclude(kind="agreement_draft")
        .select_related("partnership")
        .order_by("-rendered_at", "-pk")[:LIMIT]
    )
    chart = charts.share_chart(
        [
            charts.ShareBar(
                b.label, b.share, charts.amount_caption(b.delivered, b.planned, b.currency)
            )
            for b in bars
        ],
        medium=charts.SCREEN,
        title=_("Contributions delivered against planned"),
        desc=_(
            "For each funded partnership and currency, the share of the planned contributions "
            "delivered so far. The same figures are in the table below."
        ),
        chart_id="delivered-chart",
    )
    return {"funded": funded, "bars": bars, "chart": chart, "documents": documents}


@require_GET
def dashboard(request):
    """What this person should look at first: depends on their role."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    today = timezone.localdate()
    visible = Partnership.objects.visible_to(user)
    visible.visible_ids = visible_ids(user)
    context = {"today": today}
    if user.is_administrator or user.role in (Role.FACILITATOR, Role.PARTNER):
        kind = "facilitator"
        context.update(_facilitator_context(user, visible, today))
    elif user.role == Role.OFFICIAL:
        kind = "official"
        context.update(_official_context(user))
    else:
        kind = "donor"
        context.update(_donor_context(user, visible))
    context["kind"] = kind
    return render(request, "partnerships/dashboard.html", context)
