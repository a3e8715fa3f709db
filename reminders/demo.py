"""Demo data for reminders: assessment schedules for the demo partnerships in operation.

``load(stdout)`` is called by the demo loader for each app; it is idempotent and looks the
partnerships up rather than assuming which ones exist.
"""

from partnerships.models import Partnership, Phase

from .schedule import assessment_schedule_sync


def load(stdout) -> None:
    partnerships = Partnership.objects.filter(phase=Phase.OPERATION)
    count = 0
    for partnership in partnerships:
        if not (partnership.assessment_dates or partnership.assessment_every_months):
            continue
        if partnership.operation_started_on is None and not partnership.assessment_dates:
            continue
        pending = assessment_schedule_sync(partnership=partnership)
        count += 1
        stdout.write(
            f"  assessment schedule for {partnership.reference}: {pending} date(s) pending\n"
        )
    if not count:
        stdout.write("  reminders: no partnership in operation with an assessment schedule\n")
