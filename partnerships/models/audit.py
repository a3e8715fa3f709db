"""The audit trail's entries (append-only; see ``partnerships.audit``)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit trail (see ``partnerships.audit``).

    ``hash`` is an HMAC, keyed with a secret kept out of the database (``key_id`` names which),
    over every other field and ``prev_hash``: editing or deleting a row breaks the chain at that
    row, and nobody without the key can recompute the rows after it. Entries written before
    keyed hashing have an empty ``key_id`` (plain SHA-256). ``manage.py verify_audit`` checks the
    chain and the signed checkpoints of its head.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("when"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        editable=False,
    )
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=60, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, editable=False)
    data = models.JSONField(_("data"), default=dict, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)
    key_id = models.CharField(_("key"), max_length=20, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="audit_object")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")
