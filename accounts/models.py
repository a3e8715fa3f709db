"""Invitations and personal API tokens. Logins, passwords, email addresses, second factors and
sessions are django-allauth's (its own tables); see accounts/README.md."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import Organisation, Role


def new_key(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


def hash_key(key: str) -> str:
    """Only this is stored: a leaked table gives no usable link or token."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def password_stamp(user) -> str:
    """Changes whenever the password changes, on any path (allauth, admin, manage.py): a token
    or a link minted before a password change no longer matches."""
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), (user.password or "").encode("utf-8"), "sha256"
    ).hexdigest()[:32]


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )

    def open(self):
        """Neither accepted nor revoked (pending or expired: can still be resent)."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An invitation to one person, whose account exists from the start (no usable password
    until they accept), so a member can name them its signatory at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("email"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The member whose authorised signatory the person was named on invitation, if any.
    member = models.ForeignKey(
        "partnerships.Member",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("signatory of"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("invited by"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("invited"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["invited_by", "-created_at"])]

    def __str__(self):
        return f"{self.email} ({self.get_status_display()})"

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def get_status_display(self) -> str:
        return str(InvitationStatus(self.status).label)

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class RevokedReason(models.TextChoices):
    BY_USER = "by_user", _("Revoked by its owner")
    PASSWORD = "password", _("Revoked: the password changed")
    DEACTIVATED = "deactivated", _("Revoked: the person was deactivated")


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """A personal API token: ``Authorization: Token <key>``. Only a hash of the key is kept;
    the key is shown once, when it is made. It expires, and dies with a password change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100)
    # The key's first characters, to tell tokens apart in the list.
    prefix = models.CharField(_("starts with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    password_stamp = models.CharField(max_length=32, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("why revoked"), max_length=20, choices=RevokedReason.choices, blank=True
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired
