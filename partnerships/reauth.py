"""Re-authentication ("sudo mode", as GitHub calls it) before a sign-off.

The person re-enters their password; the session remembers when, and actions decorated with
``reauth_required`` are allowed for ``settings.ALIANZA_REAUTH_SECONDS`` after that. Logging in
again starts a fresh session, so the timestamp never outlives the login.
"""

import time
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SESSION_KEY = "alianza_reauth_at"


def is_recent(request) -> bool:
    at = request.session.get(SESSION_KEY)
    if not isinstance(at, int | float):
        return False
    return 0 <= time.time() - at <= settings.ALIANZA_REAUTH_SECONDS


def seconds_left(request) -> int:
    at = request.session.get(SESSION_KEY)
    if not isinstance(at, int | float):
        return 0
    return max(0, int(settings.ALIANZA_REAUTH_SECONDS - (time.time() - at)))


def reauth_url(next_url: str) -> str:
    return f"{reverse('partnerships:reauth')}?{urlencode({'next': next_url})}"


def _safe_next(request, fallback: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback


def require(request, *, back: str):
    """None if the password was re-entered recently, else the redirect to the password page
    (coming back to ``back``)."""
    if is_recent(request):
        return None
    messages.info(request, _("Confirm your password to continue."))
    return redirect(reauth_url(back))


def reauth_required(view):
    """Let the view run only if the password was re-entered recently; otherwise send the person
    to the password page and back (to the referring page for a POST: its form must be sent
    again, on purpose)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_recent(request):
            return view(request, *args, **kwargs)
        messages.info(request, _("Confirm your password to continue."))
        back = request.get_full_path() if request.method == "GET" else _safe_next(request, "")
        if not back:
            referer = request.META.get("HTTP_REFERER", "")
            back = (
                referer
                if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()})
                else reverse("partnerships:my_signoffs")
            )
        return redirect(reauth_url(back))

    return wrapped


class ReauthRequiredMixin:
    """Class-based version of ``reauth_required``."""

    @classmethod
    def as_view(cls, **initkwargs):
        return reauth_required(super().as_view(**initkwargs))


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password


@login_required
def reauth_view(request):
    """Ask for the password again; on success remember the time and go back to ``next``."""
    next_url = _safe_next(request, reverse("partnerships:my_signoffs"))
    form = PasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        request.session[SESSION_KEY] = time.time()
        messages.success(
            request,
            _("Password confirmed. You can sign off for the next %(minutes)s minutes.")
            % {"minutes": max(1, settings.ALIANZA_REAUTH_SECONDS // 60)},
        )
        return redirect(next_url)
    return render(
        request, "partnerships/gate_reauth.html", {"form": form, "next": next_url}, status=200
    )
