"""What is due on a given day: one function per kind, each reading the due rows' ids from an index
(then loading those rows by id, with their partnership), plus at most one batched query for the
recipients, so a sweep costs what is due, not how many partnerships exist.

Occasions: before a due date, the reminder for the smallest configured lead time that has been
reached (``lead-14``, ``lead-3``, ``lead-0``); after it, ``overdue`` then ``overdue-week-N``
every seven days. A day the sweep did not run is caught up on the next run: the occasion is the
latest one reached, and the ledger's unique constraint keeps it to one.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from actors.models import Role, User
from partnerships.models import (
    DUE_PHASES,
    Activity,
    Contribution,
    Decision,
    GateApproval,
    GateStatus,
    Member,
)

from .models import AssessmentDue, Kind


@dataclass
class Due:
    """Something due, and who should hear about it on this occasion."""

    kind: str
    subject: object
    partnership: object
    due_on: datetime.date
    occasion: str
    recipients: list = field(default_factory=list)


def occasion_for(due_on: datetime.date, today: datetime.date, leads) -> str | None:
    days = (due_on - today).days
    if days >= 0:
        reached = [lead for lead in leads if lead >= days]
        return f"lead-{min(reached)}" if reached else None
    week = -days // 7
    if week == 0:
        return "lead-0" if 0 in leads else "overdue"
    return f"overdue-week-{week}"


def _unique(users):
    seen, result = set(), []
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result


def _representatives_by_partnership(partnership_ids) -> dict[int, list[User]]:
    """Partner representatives of every member organisation, per partnership (two queries)."""
    result = defaultdict(list)
    if not partnership_ids:
        return result
    pairs = list(
        Member.objects.filter(partnership_id__in=partnership_ids).values_list(
            "partnership_id", "organisation_id"
        )
    )
    by_org = _representatives_by_organisation({org for _, org in pairs})
    for partnership_id, org in pairs:
        result[partnership_id].extend(by_org[org])
    return result


def _representatives_by_organisation(organisation_ids) -> dict[int, list[User]]:
    result = defaultdict(list)
    if not organisation_ids:
        return result
    for user in User.objects.filter(
        is_active=True, role=Role.PARTNER, organisation_id__in=organisation_ids
    ).order_by("pk"):
        result[user.organisation_id].append(user)
    return result


def _due_ids(queryset) -> list[int]:
    """The ids of the due rows, read from a partial or range index alone. The due rows are
    loaded in a second query by these ids: joined with partnerships in one query, the planner
    (which cannot know that, say, a short contribution is almost always a current one)
    expects thousands of rows and scans every partnership, so a sweep would cost the table
    size instead of what is due."""
    return list(queryset.order_by().values_list("pk", flat=True))


def assessments_due(today: datetime.date) -> list[Due]:
    leads = settings.ALIANZA_REMINDER_LEAD_DAYS
    horizon = today + datetime.timedelta(days=max(leads or [0]))
    rows = list(
        AssessmentDue.objects.filter(
            done=False, due_on__lte=horizon, partnership__phase__in=DUE_PHASES["assessments"]
        ).select_related("partnership__facilitator")
    )
    rows = [(row, occasion_for(row.due_on, today, leads)) for row in rows]
    rows = [(row, occ) for row, occ in rows if occ]
    reps = _representatives_by_partnership({row.partnership_id for row, _ in rows})
    return [
        Due(
            kind=Kind.ASSESSMENT_DUE,
            subject=row,
            partnership=row.partnership,
            due_on=row.due_on,
            occasion=occ,
            recipients=_unique([row.partnership.facilitator, *reps[row.partnership_id]]),
        )
        for row, occ in rows
    ]


def gate_requests_waiting(today: datetime.date) -> list[Due]:
    """Sign-offs pending for N days or more: each awaited approver, on day N then weekly."""
    after = datetime.timedelta(days=settings.ALIANZA_GATE_REMINDER_AFTER_DAYS)
    # requested on or before (today - N), in local time
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - after + datetime.timedelta(days=1), datetime.time.min)
    )
    approvals = GateApproval.objects.filter(
        decision=Decision.PENDING,
        request__status=GateStatus.OPEN,
        request__requested_at__lt=cutoff,
    ).select_related("request__partnership", "approver")
    result = []
    for approval in approvals:
        gate = approval.request
        due_on = timezone.localtime(gate.requested_at).date() + after
        occ = occasion_for(due_on, today, [0])
        if occ and approval.approver.is_active:
            result.append(
                Due(
                    kind=Kind.GATE_WAITING,
                    subject=gate,
                    partnership=gate.partnership,
                    due_on=due_on,
                    occasion=occ,
                    recipients=[approval.approver],
                )
            )
    return result


def activities_late(today: datetime.date) -> list[Due]:
    """Activities past their end date and not done: the responsible person and the facilitator."""
    late = Activity.objects.late(today)
    activities = (
        Activity.objects.filter(
            pk__in=_due_ids(late), partnership__phase__in=DUE_PHASES["activities"]
        )
        .select_related("partnership__facilitator", "responsible")
        .order_by("ends_on", "pk")
    )
    return [
        Due(
            kind=Kind.ACTIVITY_LATE,
            subject=activity,
            partnership=activity.partnership,
            due_on=activity.ends_on,
            occasion=occasion_for(activity.ends_on, today, []),
            recipients=_unique([activity.responsible, activity.partnership.facilitator]),
        )
        for activity in activities
    ]


def contributions_short(today: datetime.date) -> list[Due]:
    """Contributions whose period ended with less delivered than planned: that member's
    representatives and the facilitator."""
    short = Contribution.objects.short(today)  # index contribution_short
    contributions = list(
        Contribution.objects.filter(
            pk__in=_due_ids(short), partnership__phase__in=DUE_PHASES["contributions"]
        )
        .select_related("partnership__facilitator", "member__organisation")
        .order_by("period_end", "pk")
    )
    reps = _representatives_by_organisation({c.member.organisation_id for c in contributions})
    return [
        Due(
            kind=Kind.CONTRIBUTION_SHORT,
            subject=c,
            partnership=c.partnership,
            due_on=c.period_end,
            occasion=occasion_for(c.period_end, today, []),
            recipients=_unique([*reps[c.member.organisation_id], c.partnership.facilitator]),
        )
        for c in contributions
    ]


def risk_reviews_due(today: datetime.date) -> list[Due]:
    """Risk reviews due (lead times, then weekly while overdue): the owner member's
    representatives and the facilitator, for partnerships that are running."""
    from risks.models import Risk, Status

    leads = settings.ALIANZA_REMINDER_LEAD_DAYS
    horizon = today + datetime.timedelta(days=max(leads or [0]))
    due = Risk.objects.filter(
        status__in=[Status.OPEN, Status.OCCURRED], next_review_on__lte=horizon
    )  # index risk_review_due
    risks = list(
        Risk.objects.filter(
            pk__in=_due_ids(due),
            partnership__phase__in=DUE_PHASES["risks"],
            partnership__is_working_copy=False,  # an amendment's draft owes no review
        )
        .select_related("partnership__facilitator", "owner__organisation")
        .order_by("next_review_on", "pk")
    )
    rows = [(risk, occasion_for(risk.next_review_on, today, leads)) for risk in risks]
    rows = [(risk, occ) for risk, occ in rows if occ]
    reps = _representatives_by_organisation(
        {risk.owner.organisation_id for risk, _ in rows if risk.owner_id}
    )
    return [
        Due(
            kind=Kind.RISK_REVIEW,
            subject=risk,
            partnership=risk.partnership,
            due_on=risk.next_review_on,
            occasion=occ,
            recipients=_unique(
                [
                    *(reps[risk.owner.organisation_id] if risk.owner_id else []),
                    risk.partnership.facilitator,
                ]
            ),
        )
        for risk, occ in rows
    ]


SWEEPS = {
    Kind.ASSESSMENT_DUE: assessments_due,
    Kind.GATE_WAITING: gate_requests_waiting,
    Kind.ACTIVITY_LATE: activities_late,
    Kind.CONTRIBUTION_SHORT: contributions_short,
    Kind.RISK_REVIEW: risk_reviews_due,
}


def due_on(today: datetime.date) -> list[Due]:
    return [item for sweep in SWEEPS.values() for item in sweep(today)]
