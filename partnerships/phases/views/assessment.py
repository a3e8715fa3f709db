"""Assessment and closure: assessments, health checks, the closure note, the lessons library."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import (
    Assessment,
    HealthCheck,
)
from ...permissions import (
    EDIT,
    get_partnership_for,
)
from .. import lessons as lessons_library
from .. import services as phase_services
from ..forms import (
    AssessmentForm,
    ClosureNoteForm,
    HealthCheckResponseForm,
    LessonFilterForm,
)
from .common import (
    _base_context,
    _messages_of,
    transition_url,
)

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
    found = lessons_library.lessons_search(
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
