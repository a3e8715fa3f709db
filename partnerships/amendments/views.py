"""Pages of amendments: open one, follow it (its changes, who signs), submit it, withdraw it.

Every view fetches through ``permissions``; every change is a POST calling a service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..agreement import diff
from ..gates.approvers import GateError
from ..models import AmendmentStatus
from ..permissions import AMEND, VIEW, can_amend, get_partnership_for
from . import kinds, services
from .forms import AmendmentForm, SubmitForm, WithdrawForm


def _amendment_for(request, pk, amendment_pk, action=VIEW):
    partnership = get_partnership_for(request.user, pk, action)
    amendment = get_object_or_404(
        partnership.amendments.select_related("working_copy", "sign_off", "created_by"),
        pk=amendment_pk,
    )
    amendment.partnership = partnership
    return partnership, amendment


@login_required
def amendment_new(request, pk):
    partnership = get_partnership_for(request.user, pk, AMEND)
    form = AmendmentForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.amendment_open(
                partnership=partnership, by=request.user, **form.cleaned_data
            )
        except GateError as error:
            for reason in error.reasons:
                form.add_error(None, reason)
        else:
            messages.success(
                request,
                _("The amendment is open. Change its working copy, then submit it for signature."),
            )
            return redirect(amendment.get_absolute_url())
    return render(
        request,
        "partnerships/amendments/amendment_form.html",
        {"partnership": partnership, "form": form, "kinds": kinds.KINDS.values()},
    )


def _detail(request, partnership, amendment, *, submit_form=None, withdraw_form=None, errors=()):
    withdrawn = amendment.status == AmendmentStatus.WITHDRAWN
    changes = [] if withdrawn else services.amendment_diff(amendment)
    blockers = (
        services.submission_blockers(amendment) if amendment.status == AmendmentStatus.DRAFT else []
    )
    return render(
        request,
        "partnerships/amendments/amendment_detail.html",
        {
            "partnership": partnership,
            "amendment": amendment,
            "kind": kinds.kind(amendment.kind),
            "changes": changes,
            "summary": diff.summarise(changes),
            "blockers": blockers,
            "errors": errors,
            "can_amend": can_amend(request.user, partnership),
            "submit_form": submit_form or SubmitForm(),
            "withdraw_form": withdraw_form or WithdrawForm(),
        },
    )


@login_required
def amendment_detail(request, pk, amendment_pk):
    partnership, amendment = _amendment_for(request, pk, amendment_pk)
    return _detail(request, partnership, amendment)


@login_required
@require_POST
def amendment_submit(request, pk, amendment_pk):
    partnership, amendment = _amendment_for(request, pk, amendment_pk, AMEND)
    form = SubmitForm(request.POST)
    if form.is_valid():
        try:
            amendment = services.amendment_submit(
                amendment=amendment, by=request.user, comment=form.cleaned_data["comment"]
            )
        except GateError as error:
            return _detail(request, partnership, amendment, submit_form=form, errors=error.reasons)
        messages.success(request, _("Submitted: the signers have been asked to sign."))
        return redirect(amendment.sign_off.get_absolute_url())
    return _detail(request, partnership, amendment, submit_form=form)


@login_required
@require_POST
def amendment_withdraw(request, pk, amendment_pk):
    partnership, amendment = _amendment_for(request, pk, amendment_pk, AMEND)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.amendment_withdraw(
                amendment=amendment, by=request.user, reason=form.cleaned_data["reason"]
            )
        except GateError as error:
            return _detail(
                request, partnership, amendment, withdraw_form=form, errors=error.reasons
            )
        messages.success(request, _("The amendment is withdrawn."))
        return redirect(partnership.get_absolute_url() + "#amendments")
    return _detail(request, partnership, amendment, withdraw_form=form)


@login_required
def amendment_kinds(request):
    """The table of who signs each kind of amendment (public: it is how the product works)."""
    return render(request, "partnerships/amendments/kinds.html", {"kinds": kinds.KINDS.values()})
