"""Account pages that allauth does not have: Security (second factors, API tokens, sessions),
invitations (send, list, resend, accept), a person leaving (hand over, deactivate), and the
"too many attempts" page. Thin: each calls one service."""

from allauth.account.decorators import reauthentication_required
from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actors import ratelimits
from actors.credentials import second_factors
from actors.models import Role, User
from partnerships.models import Member

from . import services
from .forms import AcceptInvitationForm, HandoverForm, InvitationForm, TokenForm
from .handovers import person_handovers
from .middleware import NEXT_KEY
from .models import ApiToken, Invitation
from .permissions import can_deactivate, can_invite, can_manage_invitation, facilitated_members
from .policy import requires_second_factor
from .tokens import api_token_create, api_token_revoke

# ----- the "too many attempts" page ----------------------------------------------------------

# allauth's views that answer 429, and the limit each one hit.
_ACTIONS_429 = {
    "account_login": "login",
    "account_reset_password": "reset_password",
    "account_reset_password_from_key": "reset_password_from_key",
    "account_reauthenticate": "reauthenticate",
    "mfa_reauthenticate": "reauthenticate",
    "mfa_reauthenticate_webauthn": "reauthenticate",
    "account_change_password": "change_password",
    "account_email": "manage_email",
    "accounts:invitation_accept": "invitation_accept",
}


def too_many_requests(request, exception=None):
    """429 with how long to wait (and a Retry-After header)."""
    match = request.resolver_match
    action = _ACTIONS_429.get(match.view_name if match else "", "")
    wait = 60
    if action:
        key = (request.POST.get("email") or "").lower() or None
        user = request.user if request.user.is_authenticated else None
        wait = ratelimits.retry_after(request, action, key=key, user=user) or 60
    response = render(
        request, "429.html", {"message": ratelimits.too_many_message(wait)}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


# ----- Security ------------------------------------------------------------------------------


@login_required
def security(request):
    user = request.user
    authenticators = list(Authenticator.objects.filter(user=user).order_by("created_at"))
    factors = second_factors(user)
    recovery = next(
        (a for a in authenticators if a.type == Authenticator.Type.RECOVERY_CODES), None
    )
    context = {
        "factors": factors,
        "passkeys": [a for a in authenticators if a.type == Authenticator.Type.WEBAUTHN],
        "totp": next((a for a in authenticators if a.type == Authenticator.Type.TOTP), None),
        "recovery_unused": len(recovery.wrap().get_unused_codes()) if recovery else 0,
        "required": requires_second_factor(user),
        "continue_to": request.session.get(NEXT_KEY) if factors.any else None,
        "tokens": ApiToken.objects.filter(user=user)[:50],
        "token_form": TokenForm(),
        "new_token": request.session.pop("alianza_new_token", None),
        "sessions": UserSession.objects.purge_and_list(user),
        "current_session_key": request.session.session_key,
    }
    if factors.any:
        request.session.pop(NEXT_KEY, None)
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
@reauthentication_required
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("name", []):
            messages.error(request, error)
        return redirect("accounts:security")
    token, key = api_token_create(user=request.user, name=form.cleaned_data["name"])
    # Shown once, on the next page, then gone.
    request.session["alianza_new_token"] = {"name": token.name, "key": key}
    messages.success(request, _("Token made. Copy it now: it is not shown again."))
    return redirect("accounts:security")


@login_required
@require_POST
def token_revoke(request, token_pk):
    token = get_object_or_404(ApiToken, pk=token_pk, user=request.user)
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:security")


# ----- invitations ---------------------------------------------------------------------------


@login_required
def invitation_list(request):
    user = request.user
    if not (user.is_administrator or user.role == Role.FACILITATOR):
        raise PermissionDenied
    invitations = Invitation.objects.select_related(
        "user", "organisation", "invited_by", "member__partnership"
    )
    if not user.is_administrator:
        invitations = invitations.filter(invited_by=user)
    return render(request, "accounts/invitation_list.html", {"invitations": invitations[:200]})


def _member_from_request(request):
    raw = request.GET.get("member") or request.POST.get("member")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404
    member = Member.objects.select_related("partnership", "organisation").filter(pk=raw).first()
    if member is None:
        raise Http404
    return member


@login_required
def invitation_new(request):
    user = request.user
    member = _member_from_request(request)
    if member is not None and not can_invite(user, member=member):
        raise PermissionDenied
    if member is None and not user.is_administrator:
        if user.role != Role.FACILITATOR:
            raise PermissionDenied
        # A facilitator invites to one member: from its page (or this list).
        return render(
            request,
            "accounts/invitation_choose_member.html",
            {"members": facilitated_members(user).select_related("partnership", "organisation")},
        )
    initial = {"signatory": request.GET.get("signatory") == "1", "language": request.LANGUAGE_CODE}
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        user=user,
        member=member,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.invitation_create(
                by=user,
                email=data["email"],
                full_name=data["full_name"],
                position=data.get("position", ""),
                organisation=data.get("organisation"),
                role=data.get("role") or "partner",
                member=member,
                signatory=bool(data.get("signatory")),
                language=data["language"],
            )
        except services.InvitationError as error:
            for reason in error.reasons:
                form.add_error("email", reason)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link works for %(days)s days.")
                % {"email": invitation.email, "days": invitation_days()},
            )
            if member is not None:
                return redirect(member.partnership.get_absolute_url() + "#members")
            return redirect("accounts:invitations")
    return render(
        request,
        "accounts/invitation_form.html",
        {"form": form, "member": member, "days": invitation_days()},
    )


def invitation_days() -> int:
    from django.conf import settings

    return settings.ALIANZA_INVITATION_DAYS


@login_required
@require_POST
def invitation_resend(request, invitation_pk):
    invitation = get_object_or_404(Invitation, pk=invitation_pk)
    if not can_manage_invitation(request.user, invitation):
        raise PermissionDenied
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except services.InvitationError as error:
        for reason in error.reasons:
            messages.error(request, reason)
    else:
        messages.success(
            request,
            _("A new link went to %(email)s; the previous one no longer works.")
            % {"email": invitation.email},
        )
    return redirect("accounts:invitations")


def invitation_accept(request, key):
    """The emailed link: the invitee chooses a password and is logged in, then goes to their
    sign-offs (by way of enrolling a second factor where their role needs one)."""
    try:
        ratelimits.hit(request, "invitation_accept")
    except ratelimits.RateLimited:
        return too_many_requests(request)
    try:
        invitation = services.invitation_for_key(key)
    except services.InvitationError as error:
        return render(
            request, "accounts/invitation_invalid.html", {"reasons": error.reasons}, status=404
        )
    if request.user.is_authenticated and request.user.pk != invitation.user_id:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reasons": [_("Log out first: this invitation is for someone else.")]},
            status=403,
        )
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, user=invitation.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            person = services.invitation_accept(key=key, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            return render(
                request, "accounts/invitation_invalid.html", {"reasons": error.reasons}, status=404
            )
        messages.success(request, _("Welcome to Alianza, %(name)s.") % {"name": person.full_name})
        # allauth's login (its session record, its stages), then to what awaits them. They
        # have just typed their new password: recorded as a re-authentication too, so enrolling
        # the second factor their role may need does not ask for it again at once.
        record_authentication(
            request, person, method="password", email=person.email, reauthenticated=True
        )
        return perform_login(request, person, redirect_url=reverse("partnerships:my_signoffs"))
    return render(
        request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation}
    )


# ----- leaving -------------------------------------------------------------------------------


@login_required
def person_deactivate(request, person_pk):
    person = get_object_or_404(User, pk=person_pk)
    handovers = person_handovers(person) if person.is_active else []
    if not can_deactivate(request.user, person, handovers=handovers):
        raise PermissionDenied
    form = HandoverForm(request.POST if request.method == "POST" else None, handovers=handovers)
    reasons = []
    if request.method == "POST" and form.is_valid():
        try:
            services.person_deactivate(person=person, by=request.user, takeovers=form.takeovers())
        except services.HandoverError as error:
            for key, message in error.errors.items():
                form.add_error(key, message)
            reasons = error.reasons
        else:
            messages.success(
                request,
                _("%(name)s can no longer log in; what they held is handed over.")
                % {"name": person.full_name},
            )
            back = request.POST.get("next") or ""
            return redirect(
                back if back.startswith("/") and not back.startswith("//") else reverse("dashboard")
            )
    return render(
        request,
        "accounts/person_deactivate.html",
        {
            "person": person,
            "form": form,
            "handovers": handovers,
            "reasons": reasons,
            "pending": not person.has_usable_password(),
            "next": request.GET.get("next") or request.POST.get("next") or "",
        },
    )
