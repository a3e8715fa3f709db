"""Error pages: API clients get JSON (the API's error shape), people get the usual page."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        detail = _("Not found.")
        return JsonResponse({"detail": detail, "reasons": [detail]}, status=404)
    return page_not_found(request, exception)
