"""Interest: the problem tree and the opportunities-capacities matrix."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...models import (
    MatrixRow,
    NodeKind,
    ProblemNode,
)
from ...permissions import (
    EDIT,
    can_edit,
    get_partnership_for,
)
from .. import services as phase_services
from ..forms import (
    InterestStatementForm,
    MatrixRowForm,
    NodeForm,
    NodeTextForm,
)
from .common import (
    _base_context,
    _is_htmx,
    _messages_of,
    transition_url,
)

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
