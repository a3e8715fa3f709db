"""The lifecycle on the partnership page: its transitions with their checklists, and the
POST-only actions that move it (gated transitions redirect to the sign-off)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..models import Phase
from ..permissions import (
    TRANSITION,
    can_edit,
    get_partnership_for,
)
from . import services, transitions
from .forms import TransitionForm


def lifecycle_context(partnership, user) -> dict:
    """The current phase's possible transitions, each with its reasons, checklist and form."""
    options = []
    if not partnership.is_read_only:
        for name, items, reasons in services.transition_options(partnership):
            # A reason that comes from a checklist item links to where it is fixed.
            where = {item.reason: item.url for item in items if not item.done}
            options.append(
                {
                    "name": name,
                    "label": transitions.label(name),
                    "reasons": [{"text": r, "url": where.get(r, "")} for r in reasons],
                    "items": items,
                    "done_count": sum(1 for item in items if item.done),
                    "form": TransitionForm(name=name, auto_id=f"id_{name}_%s"),
                    "gated": transitions.is_gated(name),
                }
            )
    main = [Phase.INTEREST, Phase.DESIGN, Phase.OPERATION, Phase.ASSESSMENT, Phase.CLOSURE]
    # Suspension sits on operation; withdrawal ends before operation.
    at = {Phase.SUSPENDED: Phase.OPERATION}.get(partnership.phase, partnership.phase)
    index = main.index(at) if at in main else -1
    steps = [
        {
            "label": phase.label,
            "state": "current" if i == index else ("done" if i < index else ""),
        }
        for i, phase in enumerate(main)
    ]
    return {
        "transitions": options,
        "phase_steps": steps,
        "can_transition": can_edit(user, partnership),
    }


@login_required
@require_POST
def partnership_transition(request, pk: int, name: str):
    """Perform one lifecycle transition; a refusal shows its reasons and changes nothing."""
    partnership = get_partnership_for(request.user, pk, TRANSITION)
    if name not in transitions.names():
        raise Http404("No such transition.")
    if transitions.is_gated(name):
        # Phase gates are passed only through a sign-off, never directly.
        return redirect(f"{reverse('partnerships:gate_request', args=[pk])}?transition={name}")
    label = transitions.label(name)
    form = TransitionForm(request.POST, name=name)
    back = f"{partnership.get_absolute_url()}#lifecycle"
    if not form.is_valid():
        for field, errors in form.errors.items():
            field_label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {field_label}: {error}".replace(": : ", ": "))
        return redirect(back)
    try:
        services.partnership_transition(
            partnership=partnership, name=name, by=request.user, **form.service_kwargs()
        )
    except services.TransitionRefused as refused:
        messages.error(request, _("%(action)s was refused:") % {"action": label})
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("%(action)s: done.") % {"action": label})
    return redirect(back)


@login_required
@require_POST
def partnership_request_assessment(request, pk: int):
    """Ask for an assessment now, before the schedule says one is due."""
    partnership = get_partnership_for(request.user, pk, TRANSITION)
    try:
        services.partnership_request_assessment(partnership=partnership, by=request.user)
    except services.TransitionRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        messages.success(
            request,
            _("An assessment was requested. You can now ask for sign-off to start it."),
        )
    return redirect(f"{partnership.get_absolute_url()}#lifecycle")
