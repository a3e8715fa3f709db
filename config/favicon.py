"""``/favicon.ico``: browsers and crawlers ask for it at the site root whatever a page links.
The icon is the brand mark of the header (``static/favicon.svg``, drawn for Alianza; the .ico
holds it at 16, 32 and 48 px); pages link both by their static URLs."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

ICON = Path(settings.BASE_DIR) / "static" / "favicon.ico"


@require_safe
@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request):
    return FileResponse(ICON.open("rb"), content_type="image/x-icon")
