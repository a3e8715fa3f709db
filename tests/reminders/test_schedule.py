import datetime

import pytest
import time_machine

from partnerships import services as partnership_services
from partnerships.models import Assessment, Phase
from partnerships.models.agreed import amending
from reminders import services, sweeps
from reminders.models import AssessmentDue, Reminder
from reminders.schedule import assessment_schedule_sync

from .conftest import in_operation, noon

pytestmark = pytest.mark.django_db

D = datetime.date


def test_entering_operation_writes_the_schedule_every_n_months_until_the_end_date(operating):
    assert operating.phase == Phase.OPERATION
    assert list(operating.assessments_due.values_list("due_on", "done")) == [
        (D(2026, 7, 1), False),
        (D(2027, 1, 1), False),
        (D(2027, 7, 1), False),
    ]


def test_explicit_dates_replace_the_monthly_schedule_when_operation_restarts(operating):
    operating.assessment_dates = ["2026-05-15", "2026-11-15"]
    with amending():  # a timing amendment, signed
        operating.save()
    assessment_schedule_sync(partnership=operating)
    assert list(operating.assessments_due.values_list("due_on", flat=True)) == [
        D(2026, 5, 15),
        D(2026, 11, 15),
    ]


def test_starting_the_assessment_covers_the_due_date_and_continuing_keeps_later_ones(operating):
    by = operating.facilitator
    with time_machine.travel(noon(D(2026, 6, 25)), tick=False):
        partnership_services.contribution_record_delivery(
            contribution=operating.contributions.get(),
            amount=100,
            delivered_on=D(2026, 6, 1),
            by=by,
        )
        Assessment.objects.create(
            partnership=operating, results_summary="Half way", recommendation="continue"
        )
        partnership_services.partnership_request_assessment(partnership=operating, by=by)
        partnership_services.partnership_transition(
            name="start_assessment", partnership=operating, by=by
        )
    done = dict(operating.assessments_due.values_list("due_on", "done"))
    assert done == {D(2026, 7, 1): True, D(2027, 1, 1): False, D(2027, 7, 1): False}
    with time_machine.travel(noon(D(2026, 7, 10)), tick=False):
        partnership_services.partnership_transition(
            name="continue_operation", partnership=operating, by=by
        )
    assert operating.assessments_due.filter(done=False).count() == 2


def test_sync_is_idempotent(operating):
    assessment_schedule_sync(partnership=operating)
    assessment_schedule_sync(partnership=operating)
    assert AssessmentDue.objects.filter(partnership=operating).count() == 3


def test_the_sweep_costs_the_same_however_many_partnerships_are_not_due(
    django_assert_max_num_queries,
):
    first = in_operation(D(2026, 1, 1))
    today = D(2026, 6, 30)
    with django_assert_max_num_queries(12) as few:
        sweeps.due_on(today)
    for _ in range(8):
        in_operation(D(2026, 3, 1))  # due in September: nothing to say on 30 June
    with django_assert_max_num_queries(len(few.captured_queries)):
        due = sweeps.due_on(today)
    assert {d.partnership.pk for d in due} == {first.pk}


def test_dry_run_plans_without_writing(operating):
    planned = services.reminders_plan(today=D(2026, 6, 28))
    assert {p.reminder.occasion for p in planned} == {"lead-3"}
    assert not Reminder.objects.exists()
