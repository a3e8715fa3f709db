"""Absolute addresses for what is read outside the browser (emails, PDFs and their QR codes,
calendar feeds): the installation's public address (``ALIANZA_PUBLIC_URL``) and a path.

No request is at hand where these are made (a Celery task renders the PDF, beat sends the
reminders), and the Host header of whoever triggered them is not the address others should
use, so every such link is built here from the one setting.
"""

from django.conf import settings


def absolute_url(url: str = "/") -> str:
    """``url`` (a path from ``reverse()`` or ``get_absolute_url()``) on the public address;
    a URL that already has a scheme is returned as it is."""
    if not url.startswith("/"):
        return url
    return settings.ALIANZA_PUBLIC_URL.rstrip("/") + url
