"""People whose role needs a second factor (``accounts.policy``) are asked to enrol one before
anything else: every page but the ones to enrol, log out or change language sends them to the
Security page. Checked until they have one, then remembered for the session."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .policy import lacks_required_second_factor

SESSION_KEY = "alianza_second_factor_ok"
NEXT_KEY = "alianza_after_enrolment"
# What a person without their second factor may still reach.
ALLOWED_NAMESPACES = {"accounts"}
ALLOWED_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "account_email",
    "account_change_password",
    "set_language",
    "health",
}
ALLOWED_PREFIXES = ("mfa_",)
# The API authenticates by token inside the view: /api/token/ asks for the second factor itself.
SKIPPED_PATH_PREFIXES = ("/api/", "/static/", "/media/")


class SecondFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.ALIANZA_MFA_REQUIRED_ROLES:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.session.get(SESSION_KEY):
            return None
        if request.path.startswith(SKIPPED_PATH_PREFIXES):
            return None
        match = request.resolver_match
        name = match.url_name or "" if match else ""
        if (match and match.namespace in ALLOWED_NAMESPACES) or name in ALLOWED_NAMES:
            return None
        if name.startswith(ALLOWED_PREFIXES):
            return None
        if not lacks_required_second_factor(user):
            request.session[SESSION_KEY] = True
            return None
        if request.method == "GET":
            request.session[NEXT_KEY] = request.get_full_path()
        messages.warning(
            request,
            _(
                "Your role needs a second factor: set up an authenticator app or a passkey "
                "before you go on."
            ),
        )
        return redirect("accounts:security")
