"""Keep ``AssessmentDue`` rows in step with each partnership's assessment schedule.

Called when a partnership enters operation (the schedule is part of the agreed content, so it can
only change through renegotiation, which re-enters operation) and by the demo loader.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from partnerships.lifecycle.schedule import add_months

from .models import AssessmentDue

# Without an end date, rows are written this far ahead of the start of operation.
HORIZON_MONTHS = 120


def planned_dates(partnership) -> list[datetime.date]:
    """Every date the agreement schedules: explicit dates, or every N months from the start."""
    if partnership.assessment_dates:
        return sorted({datetime.date.fromisoformat(str(d)) for d in partnership.assessment_dates})
    start, every = partnership.operation_started_on, partnership.assessment_every_months
    if not (start and every):
        return []
    until = partnership.end_date or add_months(start, HORIZON_MONTHS)
    dates, k = [], 1
    while (d := add_months(start, every * k)) <= until:
        dates.append(d)
        k += 1
    return dates


@transaction.atomic
def assessment_schedule_sync(*, partnership, after_assessment: bool = False) -> int:
    """Write the schedule's dates; drop pending dates the schedule no longer has.

    Dates already covered by a recorded assessment (or, when operation continues after an
    assessment, every date up to today) are marked done. Returns how many dates are pending.
    """
    wanted = set(planned_dates(partnership))
    existing = {row.due_on: row for row in AssessmentDue.objects.filter(partnership=partnership)}
    AssessmentDue.objects.filter(
        partnership=partnership,
        done=False,
        due_on__in=[d for d in existing if d not in wanted],
    ).delete()
    AssessmentDue.objects.bulk_create(
        [AssessmentDue(partnership=partnership, due_on=d) for d in wanted if d not in existing],
        ignore_conflicts=True,
    )
    covered_until = None
    if after_assessment:
        covered_until = timezone.localdate()
    elif partnership.pk and (latest := partnership.latest_assessment()):
        covered_until = timezone.localtime(latest.created_at).date()
    if covered_until:
        AssessmentDue.objects.filter(
            partnership=partnership, done=False, due_on__lte=covered_until
        ).update(done=True, done_at=timezone.now())
    return AssessmentDue.objects.filter(partnership=partnership, done=False).count()


def assessment_schedule_cover(*, partnership) -> int:
    """An assessment starts: it covers every overdue date and any due within the longest lead."""
    lead = max(settings.ALIANZA_REMINDER_LEAD_DAYS or [0])
    until = timezone.localdate() + datetime.timedelta(days=lead)
    return AssessmentDue.objects.filter(
        partnership=partnership, done=False, due_on__lte=until
    ).update(done=True, done_at=timezone.now())
