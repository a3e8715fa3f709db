"""Error pages: API clients get JSON (the API's error shape), people get the usual page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        detail = _("Not found.")
        return JsonResponse({"detail": detail, "reasons": [detail]}, status=404)
    return page_not_found(request, exception)


def permission_denied(request, exception=None):
    """A refusal that says why (``says_why``, a signed agreement's lock) shows its reason; any
    other the general words, since a bare ``PermissionDenied`` may carry developers' text."""
    reason = str(exception) if getattr(exception, "says_why", False) else ""
    if request.path.startswith("/api/"):
        detail = reason or _("You do not have permission to perform this action.")
        return JsonResponse({"detail": detail, "reasons": [detail]}, status=403)
    return render(request, "403.html", {"reason": reason}, status=403)
