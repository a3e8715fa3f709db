"""Tell a person something: an in-app notice, and an email in their language.

People who chose the daily digest get only the notice now; the digest collects it later
(``Notification.emailed_at`` stays empty until an email carried it).
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .links import absolute_url
from .models import EmailPreference, Notification, User

DEFAULT_TEMPLATE = "actors/email/notice"


def build_email(
    *, recipient: User, subject: str, template: str, context: dict
) -> EmailMultiAlternatives:
    """A plain-text email with an HTML alternative, rendered in the recipient's language.

    ``template`` names ``<template>.txt`` and ``<template>.html``.
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        ctx = {"recipient": recipient, "site_url": absolute_url("/").rstrip("/"), **context}
        subject = str(subject)
        text = render_to_string(f"{template}.txt", ctx)
        html = render_to_string(f"{template}.html", ctx)
    message = EmailMultiAlternatives(
        subject=f"[Alianza] {subject}", body=text, to=[recipient.email]
    )
    message.attach_alternative(html, "text/html")
    return message


def send_notice_email(notice: Notification, *, template: str = "", context=None) -> None:
    """Email one notice now and record that it went out; raises if the mail server refuses."""
    ctx = {"notice": notice, "link": absolute_url(notice.url), **(context or {})}
    build_email(
        recipient=notice.recipient,
        subject=notice.title,
        template=template or DEFAULT_TEMPLATE,
        context=ctx,
    ).send(fail_silently=False)
    notice.emailed_at = timezone.now()
    Notification.objects.filter(pk=notice.pk).update(emailed_at=notice.emailed_at)


def wants_immediate_email(user: User) -> bool:
    return (
        user.is_active and bool(user.email) and user.email_preference == EmailPreference.IMMEDIATE
    )


def notify(
    *,
    recipient: User,
    title: str,
    body: str = "",
    url: str = "",
    template: str = "",
    context: dict | None = None,
    email_now: bool = False,
) -> Notification:
    """Create the notice now; send the email after the surrounding transaction commits.

    ``title`` and ``body`` are rendered in the recipient's language: pass lazy translations
    or ``actors.deferred.Deferred`` messages (with their values), never text translated with
    ``gettext()`` in the sender's language. ``template``/``context`` choose the email's
    templates (``.txt`` and ``.html``).
    ``email_now`` sends inside the caller's transaction and lets a mail error propagate, for
    callers that record failures themselves (reminders).
    """
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        title, body = str(title), str(body)
    notice = Notification.objects.create(recipient=recipient, title=title, body=body, url=url)
    if wants_immediate_email(recipient):
        if email_now:
            send_notice_email(notice, template=template, context=context)
        else:
            transaction.on_commit(
                lambda: send_notice_email(notice, template=template, context=context)
            )
    return notice
