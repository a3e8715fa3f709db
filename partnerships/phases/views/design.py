"""Design: the agreement builder, its checklist, and what changed between agreement versions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ...agreement import diff as agreement_diff
from ...models import (
    Phase,
)
from ...permissions import EDIT_AGREEMENT, can_edit_agreement, get_partnership_for
from .. import services as phase_services
from ..forms import (
    DESIGN_SECTIONS,
    SECTION_FIELDS,
    design_section_form,
)
from .common import (
    _base_context,
    _is_htmx,
    transition_url,
)

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
            # Signed content is read-only: the sections show, without their forms' buttons.
            "can_edit": can_edit_agreement(request.user, partnership),
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
    partnership = get_partnership_for(request.user, pk, EDIT_AGREEMENT)
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
