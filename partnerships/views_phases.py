"""Workspace pages of each phase. Thin: permissions from ``permissions``, writes in
``phase_services``. Small POST endpoints answer htmx with a partial and plain browsers with a
redirect, so every page also works without JavaScript."""

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from . import phase_services, transitions
from .agreement import diff as agreement_diff
from .models import (
    Activity,
    Assessment,
    Attachment,
    Attendance,
    Conflict,
    HealthCheck,
    MatrixRow,
    Measurement,
    Meeting,
    NodeKind,
    Phase,
    ProblemNode,
)
from .permissions import (
    CONTRIBUTE,
    EDIT,
    can_contribute,
    can_edit,
    get_partnership_for,
    measurement_changer,
)
from .phase_forms import (
    DESIGN_SECTIONS,
    SECTION_FIELDS,
    AssessmentForm,
    AttachmentForm,
    ClosureNoteForm,
    ConflictForm,
    HealthCheckResponseForm,
    InterestStatementForm,
    LessonFilterForm,
    MatrixRowForm,
    MinutesForm,
    NodeForm,
    NodeTextForm,
    design_section_form,
)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def transition_url(partnership, name: str) -> str:
    """Where to ask for ``name``: the sign-off request page for gated transitions (a link, so a
    GET; the transition endpoint itself only accepts POST)."""
    if transitions.is_gated(name):
        url = reverse("partnerships:gate_request", args=[partnership.pk])
        return f"{url}?transition={name}"
    return reverse("partnerships:transition", args=[partnership.pk, name])


def _base_context(request, partnership, active: str) -> dict:
    return {
        "partnership": partnership,
        "object": partnership,
        "can_edit": can_edit(request.user, partnership),
        "can_contribute": can_contribute(request.user, partnership),
        "active_tab": active,
    }


# ----- interest --------------------------------------------------------------------------------


def _tree_context(partnership, *, editing=None, error=None, error_parent=None):
    return {
        "partnership": partnership,
        "tree": phase_services.problem_tree(partnership),
        "editing": editing,
        "tree_error": error,
        "error_parent": error_parent,
        "has_problem": partnership.problem_nodes.filter(kind=NodeKind.PROBLEM).exists(),
    }


def _interest_page(request, partnership, *, status=200, **extra):
    context = _base_context(request, partnership, "interest")
    editing_row = request.GET.get("row")
    rows = list(partnership.matrix_rows.select_related("actor"))
    context.update(
        {
            "statement_form": InterestStatementForm(instance=partnership),
            "matrix_rows": rows,
            "matrix_form": MatrixRowForm(partnership=partnership),
            "editing_row": int(editing_row) if (editing_row or "").isdigit() else None,
            "members": partnership.members.select_related("organisation", "signatory"),
            "candidates_url": reverse("partnerships:candidates", args=[partnership.pk]),
            "checklist": partnership.checklist("start_design"),
            "transition_url": transition_url(partnership, "start_design"),
        }
    )
    if context["editing_row"]:
        row = next((r for r in rows if r.pk == context["editing_row"]), None)
        context["row_form"] = MatrixRowForm(instance=row, partnership=partnership) if row else None
    editing = request.GET.get("edit")
    context.update(
        _tree_context(partnership, editing=int(editing) if (editing or "").isdigit() else None)
    )
    context.update(extra)
    return render(request, "partnerships/phase/interest.html", context, status=status)


@login_required
def interest(request, pk):
    partnership = get_partnership_for(request.user, pk)
    if request.method == "POST":
        partnership = get_partnership_for(request.user, pk, EDIT)
        form = InterestStatementForm(request.POST, instance=partnership)
        if form.is_valid():
            phase_services.partnership_update_fields(
                partnership=partnership, form=form, by=request.user
            )
            messages.success(request, _("The common interest was saved."))
            return redirect(reverse("partnerships:phase_interest", args=[pk]) + "#statement")
        partnership.refresh_from_db()
        return _interest_page(request, partnership, status=400, statement_form=form)
    if _is_htmx(request):
        return render(
            request,
            "partnerships/phase/_problem_tree.html",
            {**_tree_context(partnership), "can_edit": can_edit(request.user, partnership)},
        )
    return _interest_page(request, partnership)


def _tree_response(request, partnership, *, status=200, **kwargs):
    if _is_htmx(request):
        # htmx swaps only 2xx answers; the error is in the partial.
        return render(
            request,
            "partnerships/phase/_problem_tree.html",
            {**_tree_context(partnership, **kwargs), "can_edit": True},
        )
    if kwargs.get("error"):
        tree = _tree_context(partnership, **kwargs)
        del tree["partnership"]
        return _interest_page(request, partnership, status=400, **tree)
    return redirect(reverse("partnerships:phase_interest", args=[partnership.pk]) + "#problem-tree")


def _node_of(partnership, node_pk):
    return get_object_or_404(ProblemNode, pk=node_pk, partnership=partnership)


@login_required
@require_POST
def node_add(request, pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    form = NodeForm(request.POST)
    parent_pk = request.POST.get("parent") or None
    if not form.is_valid():
        errors = [str(e) for errs in form.errors.values() for e in errs]
        return _tree_response(request, partnership, error=errors, error_parent=parent_pk)
    parent = None
    if form.cleaned_data["parent"]:
        parent = ProblemNode.objects.filter(
            pk=form.cleaned_data["parent"], partnership=partnership
        ).first()
    try:
        phase_services.problem_node_add(
            partnership=partnership,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            parent=parent,
        )
    except ValidationError as e:
        return _tree_response(request, partnership, error=_messages_of(e), error_parent=parent_pk)
    return _tree_response(request, partnership)


@login_required
def node_edit(request, pk, node_pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    node = _node_of(partnership, node_pk)
    if request.method != "POST":
        if _is_htmx(request):
            return render(
                request,
                "partnerships/phase/_problem_tree.html",
                {**_tree_context(partnership, editing=node.pk), "can_edit": True},
            )
        url = reverse("partnerships:phase_interest", args=[pk])
        return redirect(f"{url}?edit={node.pk}#node-{node.pk}")
    form = NodeTextForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
        phase_services.problem_node_update(node=node, text=form.cleaned_data["text"])
    except ValidationError as e:
        return _tree_response(
            request, partnership, editing=node.pk, error=_messages_of(e), error_parent=node.pk
        )
    return _tree_response(request, partnership)


@login_required
@require_POST
def node_delete(request, pk, node_pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    phase_services.problem_node_delete(node=_node_of(partnership, node_pk))
    return _tree_response(request, partnership)


@login_required
@require_POST
def matrix_save(request, pk, row_pk=None):
    partnership = get_partnership_for(request.user, pk, EDIT)
    row = (
        get_object_or_404(MatrixRow, pk=row_pk, partnership=partnership)
        if row_pk
        else MatrixRow(partnership=partnership)
    )
    form = MatrixRowForm(request.POST, instance=row, partnership=partnership)
    if form.is_valid():
        phase_services.matrix_row_save(row=form.save(commit=False))
        return redirect(reverse("partnerships:phase_interest", args=[pk]) + "#matrix")
    if row_pk:
        return _interest_page(request, partnership, status=400, editing_row=row.pk, row_form=form)
    return _interest_page(request, partnership, status=400, matrix_form=form)


@login_required
@require_POST
def matrix_delete(request, pk, row_pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    phase_services.matrix_row_delete(
        row=get_object_or_404(MatrixRow, pk=row_pk, partnership=partnership)
    )
    return redirect(reverse("partnerships:phase_interest", args=[pk]) + "#matrix")


# ----- design: the agreement builder -----------------------------------------------------------


def _design_sections(partnership, bound=None):
    sections = []
    for slug, title, fields in DESIGN_SECTIONS:
        form = None
        if fields:
            form = bound if (bound is not None and bound.prefix == slug) else None
            form = form or design_section_form(slug, instance=partnership)
        sections.append({"slug": slug, "title": title, "form": form})
    return sections


def _checklist_context(partnership):
    items = partnership.checklist("start_operation")
    return {
        "partnership": partnership,
        "items": items,
        "missing": [i for i in items if not i.done and i.required],
    }


def _design_context(request, partnership, bound=None):
    context = _base_context(request, partnership, "design")
    context.update(_checklist_context(partnership))
    context.update(
        {
            "sections": _design_sections(partnership, bound),
            "objectives": partnership.objectives.prefetch_related("indicators"),
            "members": partnership.members.select_related("organisation", "signatory"),
            "contributions": partnership.contributions.select_related("member__organisation"),
            "versions": partnership.agreement_versions.order_by("-number"),
            "working": phase_services.working_version(partnership),
            "transition_url": transition_url(partnership, "start_operation"),
            "in_design": partnership.phase == Phase.DESIGN,
        }
    )
    return context


@login_required
def design(request, pk):
    partnership = get_partnership_for(request.user, pk)
    return render(request, "partnerships/phase/design.html", _design_context(request, partnership))


@login_required
@require_POST
def design_section(request, pk, section):
    partnership = get_partnership_for(request.user, pk, EDIT)
    if section not in SECTION_FIELDS or not SECTION_FIELDS[section]:
        raise Http404("No such section.")
    form = design_section_form(section, request.POST, instance=partnership)
    saved = form.is_valid()
    if saved:
        phase_services.partnership_update_fields(
            partnership=partnership, form=form, by=request.user
        )
    else:
        partnership.refresh_from_db()
    if _is_htmx(request):
        html = render_to_string(
            "partnerships/phase/_design_section.html",
            {
                "section": {
                    "slug": section,
                    "title": {s: t for s, t, _f in DESIGN_SECTIONS}[section],
                    "form": form
                    if not saved
                    else design_section_form(section, instance=partnership),
                },
                "partnership": partnership,
                "can_edit": True,
                "saved": saved,
            },
            request=request,
        )
        response = HttpResponse(html)
        response["HX-Trigger"] = "checklist-changed"
        return response
    if saved:
        messages.success(request, _("Saved."))
        return redirect(reverse("partnerships:phase_design", args=[pk]) + f"#section-{section}")
    return render(
        request,
        "partnerships/phase/design.html",
        _design_context(request, partnership, bound=form),
        status=400,
    )


@login_required
@require_GET
def design_checklist(request, pk):
    partnership = get_partnership_for(request.user, pk)
    return render(
        request, "partnerships/phase/_design_checklist.html", _checklist_context(partnership)
    )


@login_required
def agreement_changes(request, pk):
    """What changed since the last signed version (or between two chosen versions)."""
    partnership = get_partnership_for(request.user, pk)
    versions = list(partnership.agreement_versions.order_by("number"))
    by_number = {v.number: v for v in versions}
    signed = [v for v in versions if v.frozen]

    def pick(param):
        value = request.GET.get(param, "")
        return by_number.get(int(value)) if value.isdigit() else None

    old_version = pick("from") or (signed[-1] if signed else None)
    new_version = pick("to")
    old = old_version.content if old_version else {}
    if new_version is not None:
        new, new_label = new_version.content, _("version %(n)s") % {"n": new_version.number}
    else:
        new, new_label = partnership.agreed_content(), _("the current draft")
    changes = agreement_diff.diff_agreements(old, new) if old_version else []
    rows = [
        {
            "kind": c.kind,
            "where": c.where,
            "old": agreement_diff.describe(c.old),
            "new": agreement_diff.describe(c.new),
        }
        for c in changes
    ]
    context = _base_context(request, partnership, "design")
    context.update(
        {
            "versions": versions,
            "old_version": old_version,
            "new_version": new_version,
            "new_label": new_label,
            "changes": rows,
            "summary": agreement_diff.summarise(changes),
        }
    )
    return render(request, "partnerships/phase/agreement_changes.html", context)


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
    per_member = (
        partnership.contributions.values("member__organisation__name", "currency")
        .annotate(planned=Sum("planned_amount"), delivered=Sum("delivered_amount"))
        .order_by("member__organisation__name")
    )
    for row in per_member:
        row["ratio"] = (
            (row["delivered"] / row["planned"] * 100).quantize(Decimal("1"))
            if row["planned"]
            else None
        )
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


# ----- assessment ------------------------------------------------------------------------------


@login_required
def assessment(request, pk):
    partnership = get_partnership_for(request.user, pk)
    assessments = list(partnership.assessments.order_by("-created_at", "-pk"))
    chosen = None
    if request.GET.get("a", "").isdigit():
        chosen = next((a for a in assessments if a.pk == int(request.GET["a"])), None)
    chosen = chosen or (assessments[0] if assessments else None)
    check = HealthCheck.objects.filter(assessment=chosen).first() if chosen else None
    context = _base_context(request, partnership, "assessment")
    context.update(
        {
            "assessments": assessments,
            "chosen": chosen,
            "results": phase_services.results_against_objectives(
                partnership, until=chosen.period_end if chosen else None
            ),
            "health_check": check,
            "health": phase_services.health_check_results(check),
            "my_response": check.responses.filter(respondent=request.user).first()
            if check
            else None,
            "can_respond": bool(check and phase_services.can_respond(check, request.user)),
            "transitions": [
                (name, label, transition_url(partnership, name))
                for name, label in (
                    ("continue_operation", _("Continue")),
                    ("renegotiate", _("Renegotiate")),
                    ("close", _("Close")),
                )
            ],
        }
    )
    return render(request, "partnerships/phase/assessment.html", context)


@login_required
def assessment_edit(request, pk, assessment_pk=None):
    partnership = get_partnership_for(request.user, pk, EDIT)
    record = (
        get_object_or_404(Assessment, pk=assessment_pk, partnership=partnership)
        if assessment_pk
        else Assessment(partnership=partnership)
    )
    form = AssessmentForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        saved = phase_services.assessment_save(assessment=form.save(commit=False), by=request.user)
        messages.success(request, _("The assessment was saved."))
        return redirect(reverse("partnerships:phase_assessment", args=[pk]) + f"?a={saved.pk}")
    context = _base_context(request, partnership, "assessment")
    context.update(
        {
            "form": form,
            "record": record,
            "results": phase_services.results_against_objectives(
                partnership, until=record.period_end
            ),
        }
    )
    return render(
        request,
        "partnerships/phase/assessment_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def health_send(request, pk, assessment_pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    record = get_object_or_404(Assessment, pk=assessment_pk, partnership=partnership)
    try:
        check = phase_services.health_check_send(assessment=record, by=request.user)
    except ValidationError as e:
        for m in _messages_of(e):
            messages.error(request, m)
    else:
        messages.success(
            request,
            _("The health check was sent to %(n)s representatives.")
            % {"n": check.recipients.count()},
        )
    url = reverse("partnerships:phase_assessment", args=[pk])
    return redirect(f"{url}?a={record.pk}#health-check")


@login_required
def health_respond(request, pk, check_pk):
    partnership = get_partnership_for(request.user, pk)
    check = get_object_or_404(HealthCheck, pk=check_pk, assessment__partnership=partnership)
    if not check.recipients.filter(pk=request.user.pk).exists():
        raise PermissionDenied
    existing = check.responses.filter(respondent=request.user).first()
    form = HealthCheckResponseForm(request.POST or None)
    status = 200
    if request.method == "POST" and existing is None:
        if form.is_valid():
            try:
                phase_services.health_check_respond(
                    check=check,
                    person=request.user,
                    scores=form.scores(),
                    comments=form.cleaned_data["comments"],
                )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("Thank you: your answers were recorded."))
                url = reverse("partnerships:phase_assessment", args=[pk])
                return redirect(f"{url}?a={check.assessment_id}#health-check")
        status = 400
    context = _base_context(request, partnership, "assessment")
    context.update({"form": form, "check": check, "existing": existing})
    return render(request, "partnerships/phase/health_respond.html", context, status=status)


# ----- closure ---------------------------------------------------------------------------------


@login_required
def closure(request, pk):
    partnership = get_partnership_for(request.user, pk)
    note = getattr(partnership, "closure_note", None)
    initial = (
        {"final_summary": note.final_summary, "lessons_learned": note.lessons_learned}
        if note
        else None
    )
    form = ClosureNoteForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        partnership = get_partnership_for(request.user, pk, EDIT)
        if form.is_valid():
            phase_services.closure_note_save(
                partnership=partnership,
                final_summary=form.cleaned_data["final_summary"],
                lessons=form.cleaned_data["lessons_learned"],
                by=request.user,
            )
            messages.success(request, _("The closure note was saved."))
            return redirect("partnerships:phase_closure", pk=pk)
        status = 400
    context = _base_context(request, partnership, "closure")
    successor = getattr(partnership, "successor", None)
    context.update(
        {
            "form": form,
            "note": note,
            "latest": partnership.latest_assessment(),
            "close_url": transition_url(partnership, "close"),
            "successor": successor,
        }
    )
    return render(request, "partnerships/phase/closure.html", context, status=status)


# ----- lessons library -------------------------------------------------------------------------


@login_required
def lessons(request):
    form = LessonFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = phase_services.lessons_search(
        request.user,
        text=filters.get("q", ""),
        dac_sector=filters.get("dac_sector", ""),
        actor_sector=filters.get("actor_sector", ""),
        country=filters.get("country", ""),
        modality=filters.get("modality", ""),
        outcome=filters.get("outcome", ""),
    )
    return render(
        request,
        "partnerships/phase/lessons.html",
        {"form": form, "lessons": found[:200], "total": len(found)},
    )


# ----- attachments -----------------------------------------------------------------------------


def _safe_back(request, pk) -> str:
    """The ``next`` page if it is on this site (no ``//host`` nor ``/\\host`` tricks), else
    the operation page."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("partnerships:phase_operation", args=[pk])


@login_required
@require_POST
def attachment_upload(request, pk):
    partnership = get_partnership_for(request.user, pk, CONTRIBUTE)
    form = AttachmentForm(request.POST, request.FILES)
    back = _safe_back(request, pk)
    if not form.is_valid():
        for errs in form.errors.values():
            for e in errs:
                messages.error(request, e)
        return redirect(back)
    meeting_obj = measurement_obj = None
    if form.cleaned_data["meeting"]:
        meeting_obj = Meeting.objects.filter(
            pk=form.cleaned_data["meeting"], partnership=partnership
        ).first()
    if form.cleaned_data["measurement"]:
        measurement_obj = Measurement.objects.filter(
            pk=form.cleaned_data["measurement"], indicator__objective__partnership=partnership
        ).first()
    if (form.cleaned_data["meeting"] and not meeting_obj) or (
        form.cleaned_data["measurement"] and not measurement_obj
    ):
        raise Http404("No such record.")
    try:
        attachment = phase_services.attachment_upload(
            partnership=partnership,
            upload=form.cleaned_data["file"],
            by=request.user,
            meeting=meeting_obj,
            measurement=measurement_obj,
            description=form.cleaned_data["description"],
        )
    except ValidationError as e:
        for m in _messages_of(e):
            messages.error(request, m)
    else:
        messages.success(
            request, _("“%(name)s” was attached.") % {"name": attachment.original_name}
        )
    return redirect(back)


@login_required
@require_GET
def attachment_download(request, pk, attachment_pk):
    partnership = get_partnership_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, partnership=partnership)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    partnership = get_partnership_for(request.user, pk, EDIT)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, partnership=partnership)
    phase_services.attachment_delete(attachment=attachment)
    messages.success(request, _("The attachment was removed."))
    back = _safe_back(request, pk)
    return redirect(back)
