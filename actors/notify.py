"""Tell a person something: an in-app notice, and an email in their language.

People who chose the daily digest get only the notice now; the digest collects it later.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation

from .models import EmailPreference, Notification, User


def notify(*, recipient: User, title: str, body: str = "", url: str = "") -> Notification:
    """Create the notice now; send the email after the surrounding transaction commits.

    ``title`` and ``body`` may be lazy translations: they are rendered in the recipient's
    language.
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        title, body = str(title), str(body)
    notice = Notification.objects.create(recipient=recipient, title=title, body=body, url=url)
    if recipient.email_preference == EmailPreference.IMMEDIATE and recipient.is_active:
        link = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
        text = f"{body}\n\n{link}".strip()
        transaction.on_commit(
            lambda: send_mail(
                subject=f"[Alianza] {title}",
                message=text,
                from_email=None,
                recipient_list=[recipient.email],
                fail_silently=False,
            )
        )
    return notice
