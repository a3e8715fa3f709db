"""Operation: the work plan's timeline, conflicts, meetings and their minutes."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import (
    Activity,
    Attendance,
    Conflict,
    Measurement,
    Meeting,
)
from ...permissions import (
    EDIT,
    get_partnership_for,
    measurement_changer,
)
from .. import services as phase_services
from ..forms import (
    AttachmentForm,
    ConflictForm,
    MinutesForm,
)
from .common import (
    _base_context,
    _messages_of,
)

# ----- operation -------------------------------------------------------------------------------


def _month_start(d: datetime.date) -> datetime.date:
    return d.replace(day=1)


def _add_month(d: datetime.date) -> datetime.date:
    return (d.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def timeline(activities, *, max_months=36) -> dict:
    """Bars for a month-by-month timeline, as percentages of its width."""
    activities = list(activities)
    if not activities:
        return {"months": [], "bars": []}
    start = _month_start(min(a.starts_on for a in activities))
    end = max(a.ends_on for a in activities)
    months = [start]
    while _add_month(months[-1]) <= end and len(months) < max_months:
        months.append(_add_month(months[-1]))
    stop = _add_month(months[-1])
    total = (stop - start).days
    bars = []
    for a in activities:
        left = max((a.starts_on - start).days, 0)
        right = min((a.ends_on - start).days + 1, total)
        bars.append(
            {
                "activity": a,
                "left": round(100 * left / total, 2),
                "width": max(round(100 * max(right - left, 0) / total, 2), 0.8),
            }
        )
    return {
        "months": [
            {"date": m, "width": round(100 * ((_add_month(m) - m).days) / total, 3)} for m in months
        ],
        "bars": bars,
    }


@login_required
def operation(request, pk):
    partnership = get_partnership_for(request.user, pk)
    activities = list(
        Activity.objects.filter(partnership=partnership).select_related("responsible", "indicator")
    )
    measurements = (
        Measurement.objects.filter(indicator__objective__partnership=partnership)
        .select_related("indicator", "recorded_by", "corrected_by")
        .prefetch_related("attachments")
        .order_by("indicator_id", "-measured_on")
    )
    may_change = measurement_changer(request.user, partnership)
    by_indicator: dict = {}
    for m in measurements:
        m.may_change = may_change(m)
        by_indicator.setdefault(m.indicator_id, []).append(m)
    indicators = []
    for objective in partnership.objectives.prefetch_related("indicators"):
        for indicator in objective.indicators.all():
            history = by_indicator.get(indicator.pk, [])
            latest = history[0] if history else None
            indicators.append(
                {
                    "indicator": indicator,
                    "objective": objective,
                    "measurements": history,
                    "progress": phase_services.indicator_progress(
                        indicator.baseline, indicator.target, latest.value
                    )
                    if latest
                    else None,
                }
            )
    per_member = partnership.contributions.totals_by_member()
    meetings = partnership.meetings.annotate(
        attendee_count=Count("attendances", distinct=True),
        confirmed_count=Count(
            "attendances",
            filter=Q(attendances__minutes_confirmed_at__isnull=False),
            distinct=True,
        ),
    )
    context = _base_context(request, partnership, "operation")
    context.update(
        {
            "activities": activities,
            "timeline": timeline(activities),
            "indicators": indicators,
            "per_member": per_member,
            "meetings": meetings,
            "conflicts": partnership.conflicts.prefetch_related("parties__organisation"),
            "attachments": partnership.attachments.filter(
                meeting__isnull=True, measurement__isnull=True
            ),
            "attachment_form": AttachmentForm(),
            "today": datetime.date.today(),
        }
    )
    return render(request, "partnerships/phase/operation.html", context)


@login_required
def conflict_edit(request, pk, conflict_pk=None):
    partnership = get_partnership_for(request.user, pk, EDIT)
    conflict = (
        get_object_or_404(Conflict, pk=conflict_pk, partnership=partnership)
        if conflict_pk
        else Conflict(partnership=partnership)
    )
    form = ConflictForm(request.POST or None, instance=conflict, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            phase_services.conflict_save(
                conflict=form.save(commit=False),
                parties=form.cleaned_data["parties"],
                by=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, _("The conflict log was updated."))
            return redirect(reverse("partnerships:phase_operation", args=[pk]) + "#conflicts")
    context = _base_context(request, partnership, "operation")
    context.update({"form": form, "conflict": conflict})
    return render(
        request,
        "partnerships/phase/conflict_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


def _meeting_of(partnership, meeting_pk):
    return get_object_or_404(Meeting, pk=meeting_pk, partnership=partnership)


@login_required
def meeting(request, pk, meeting_pk, *, form=None, status=200):
    partnership = get_partnership_for(request.user, pk)
    mtg = _meeting_of(partnership, meeting_pk)
    attendances = list(mtg.attendances.select_related("person__organisation"))
    mine = next((a for a in attendances if a.person_id == request.user.pk), None)
    context = _base_context(request, partnership, "operation")
    context.update(
        {
            "meeting": mtg,
            "attendances": attendances,
            "my_attendance": mine,
            "confirmed": sum(1 for a in attendances if a.minutes_confirmed_at),
            "minutes_form": form
            or MinutesForm(initial={"agenda": mtg.agenda, "minutes": mtg.minutes}),
            "attachments": mtg.attachments.all(),
            "attachment_form": AttachmentForm(initial={"meeting": mtg.pk}),
        }
    )
    return render(request, "partnerships/phase/meeting.html", context, status=status)


@login_required
@require_POST
def meeting_minutes(request, pk, meeting_pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    mtg = _meeting_of(partnership, meeting_pk)
    form = MinutesForm(request.POST)
    if not form.is_valid():
        return meeting(request, pk, meeting_pk, form=form, status=400)
    cleared = phase_services.meeting_minutes_update(
        meeting=mtg, minutes=form.cleaned_data["minutes"], agenda=form.cleaned_data["agenda"]
    )
    if cleared:
        messages.warning(
            request,
            _("The minutes changed: %(n)s confirmations were cleared and must be given again.")
            % {"n": cleared},
        )
    else:
        messages.success(request, _("The minutes were saved."))
    return redirect("partnerships:phase_meeting", pk=pk, meeting_pk=meeting_pk)


@login_required
@require_POST
def meeting_confirm(request, pk, meeting_pk):
    partnership = get_partnership_for(request.user, pk)
    mtg = _meeting_of(partnership, meeting_pk)
    if not Attendance.objects.filter(meeting=mtg, person=request.user).exists():
        raise PermissionDenied
    try:
        phase_services.meeting_minutes_confirm(meeting=mtg, person=request.user)
    except ValidationError as e:
        for m in _messages_of(e):
            messages.error(request, m)
    else:
        messages.success(request, _("You confirmed the minutes."))
    return redirect("partnerships:phase_meeting", pk=pk, meeting_pk=meeting_pk)
