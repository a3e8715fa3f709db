"""Assessment schedule: explicit dates, or every N months from the start of operation."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def scheduled_dates(partnership, *, until: datetime.date) -> list[datetime.date]:
    """Every scheduled assessment date up to ``until`` (inclusive)."""
    if partnership.assessment_dates:
        dates = sorted(datetime.date.fromisoformat(d) for d in partnership.assessment_dates)
        return [d for d in dates if d <= until]
    start, every = partnership.operation_started_on, partnership.assessment_every_months
    if not (start and every):
        return []
    dates, k = [], 1
    while (d := add_months(start, every * k)) <= until:
        dates.append(d)
        k += 1
    return dates


def next_assessment_due(partnership) -> datetime.date | None:
    """The first scheduled date not yet covered by a recorded assessment."""
    latest = partnership.latest_assessment()
    done_until = latest.created_at.date() if latest else None
    if partnership.assessment_dates:
        candidates = sorted(datetime.date.fromisoformat(d) for d in partnership.assessment_dates)
    elif partnership.operation_started_on and partnership.assessment_every_months:
        horizon = add_months(
            max(partnership.operation_started_on, done_until or partnership.operation_started_on),
            partnership.assessment_every_months,
        )
        candidates = scheduled_dates(partnership, until=horizon)
    else:
        return None
    for d in candidates:
        if done_until is None or d > done_until:
            return d
    return None
