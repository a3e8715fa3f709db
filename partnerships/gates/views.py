"""Pages of the sign-off: request a gate, look at one request and decide, my sign-offs.

Every view fetches through ``permissions`` (404 when the partnership is not visible, 403 when
the person may see it but not do this); every change is a POST calling a ``gates`` service.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors import credentials

from .. import audit, gates
from ..agreement import readable as agreed_content
from ..amendments import services as amendment_services
from ..lifecycle import services
from ..models import Amendment, AmendmentStatus, AuditEntry, Decision, GateRequest, GateStatus
from ..permissions import (
    TRANSITION,
    can_request_gate,
    get_gate_request_for,
    get_partnership_for,
    pending_approval_for,
)
from . import reauth
from .forms import DecisionForm, GateRequestForm, RefusalForm


@login_required
def gate_request(request, pk):
    partnership = get_partnership_for(request.user, pk, TRANSITION)
    initial = {"transition": request.GET.get("transition", "")}
    form = GateRequestForm(request.POST or None, partnership=partnership, initial=initial)
    open_request = GateRequest.objects.filter(
        partnership=partnership, status=GateStatus.OPEN
    ).first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            gate = gates.gate_request_create(
                partnership=partnership,
                transition=data["transition"],
                by=request.user,
                comment=data["comment"],
                officials=list(data["officials"]),
                outcome=data.get("outcome"),
                transferred_to=data.get("transferred_to"),
                handover_note=data.get("handover_note"),
            )
        except gates.GateError as error:
            for reason in error.reasons:
                form.add_error(None, reason)
        else:
            messages.success(request, _("Sign-off requested. The approvers have been told."))
            return redirect(gate.get_absolute_url())
    checklists = [
        (name, gates.transition_label(name), items)
        for name, items, _reasons in services.transition_options(partnership)
        if gates.is_gated(name)
    ]
    return render(
        request,
        "partnerships/gate_request.html",
        {
            "partnership": partnership,
            "form": form,
            "open_request": open_request,
            "checklists": checklists,
        },
    )


def _detail_context(request, gate, *, approve_form=None, refuse_form=None):
    partnership = gate.partnership
    approvals = list(gate.current_approvals().order_by("capacity", "approver__full_name"))
    mine = pending_approval_for(request.user, gate)
    changed_since = gate.is_open and partnership.agreed_fingerprint() != gate.fingerprint
    context = {
        "gate": gate,
        "partnership": partnership,
        "transition_label": gates.transition_label(gate.transition),
        "approved": [a for a in approvals if a.decision == Decision.APPROVED],
        "awaited": [a for a in approvals if a.decision == Decision.PENDING],
        "refused": [a for a in approvals if a.decision == Decision.REFUSED],
        "history": [
            audit.describe(e)
            for e in AuditEntry.objects.for_object(gate).select_related("actor").order_by("seq")
        ],
        "agreed": agreed_content.readable(gate.content),
        "changed_since": changed_since,
        "my_approval": mine,
        "can_cancel": gate.is_open and can_request_gate(request.user, partnership),
        "blockers": gates.approver_blockers(gate),
        "approve_form": approve_form or DecisionForm(user=request.user),
        "refuse_form": refuse_form or RefusalForm(user=request.user),
        # A passkey assertion is made on this page: its challenge is begun now (in the session).
        "webauthn_data": credentials.webauthn_begin(request.user) if mine else None,
    }
    amendment = Amendment.objects.filter(sign_off=gate).select_related("partnership").first()
    if amendment is not None:
        # What the signers sign is a change: they read it against the agreement in force.
        changes = (
            []
            if amendment.status == AmendmentStatus.WITHDRAWN
            else amendment_services.amendment_diff(amendment)
        )
        context |= {"amendment": amendment, "changes": changes}
    context["decision_forms"] = [
        (context["approve_form"], "approve", _("Approve")),
        (context["refuse_form"], "refuse", _("Refuse")),
    ]
    return context


@login_required
def gate_detail(request, gate_pk):
    gate = get_gate_request_for(request.user, gate_pk)
    return render(request, "partnerships/gate_detail.html", _detail_context(request, gate))


def _decision_view(request, gate_pk, *, approve: bool):
    gate = get_gate_request_for(request.user, gate_pk)
    if pending_approval_for(request.user, gate) is None:
        raise PermissionDenied
    form = (DecisionForm if approve else RefusalForm)(request.POST, user=request.user)

    def again(status):
        forms_ = {"approve_form": form} if approve else {"refuse_form": form}
        return render(
            request,
            "partnerships/gate_detail.html",
            _detail_context(request, gate, **forms_),
            status=status,
        )

    if not form.is_valid():
        return again(400)
    try:
        gate = reauth.signoff_decide(
            request,
            gate_request=gate,
            approve=approve,
            comment=form.cleaned_data["comment"],
            proof=form.proof(),
        )
    except reauth.RateLimited as limited:
        form.add_error(None, limited.message)
        response = again(429)
        response["Retry-After"] = str(limited.retry_after)
        return response
    except reauth.CredentialsRefused as refused:
        form.add_refusal(refused)
        return again(400)
    except gates.GateError as error:
        for reason in error.reasons:
            messages.error(request, reason)
        return redirect("partnerships:gate_detail", gate_pk=gate_pk)
    if not approve:
        messages.success(request, _("You refused. The facilitator has been told why."))
    elif gate.status == GateStatus.APPROVED:
        messages.success(request, _("Approved. The gate is passed: the partnership moved on."))
    elif gate.blockers:
        messages.warning(
            request,
            _("Approved. The gate cannot pass yet: %(reasons)s")
            % {"reasons": " ".join(gate.blockers)},
        )
    else:
        messages.success(request, _("Approved. Other sign-offs are still awaited."))
    return redirect("partnerships:gate_detail", gate_pk=gate_pk)


@login_required
@require_POST
def gate_approve(request, gate_pk):
    return _decision_view(request, gate_pk, approve=True)


@login_required
@require_POST
def gate_refuse(request, gate_pk):
    return _decision_view(request, gate_pk, approve=False)


@login_required
@require_POST
def gate_cancel(request, gate_pk):
    gate = get_gate_request_for(request.user, gate_pk)
    if not can_request_gate(request.user, gate.partnership):
        raise PermissionDenied
    try:
        gates.gate_request_cancel(
            gate_request=gate, by=request.user, comment=request.POST.get("comment", "")[:2000]
        )
    except gates.GateError as error:
        for reason in error.reasons:
            messages.error(request, reason)
    else:
        messages.success(request, _("The request is cancelled."))
    return redirect("partnerships:gate_detail", gate_pk=gate_pk)


@login_required
def my_signoffs(request):
    """Sign-offs waiting for me, and the ones I decided lately."""
    mine = request.user.gate_approvals.select_related(
        "request__partnership", "request__requested_by"
    )
    waiting = mine.filter(decision=Decision.PENDING, request__status=GateStatus.OPEN).order_by(
        "request__requested_at"
    )
    decided = mine.exclude(decided_at=None).order_by("-decided_at")[:20]
    rows = [(a, gates.transition_label(a.request.transition)) for a in waiting]
    done = [(a, gates.transition_label(a.request.transition)) for a in decided]
    return render(
        request,
        "partnerships/gate_my_signoffs.html",
        {"waiting": rows, "decided": done},
    )
