"""Signed means signed: once the parties sign the agreement (operation onwards), the rows of its
content cannot change by any path (pages, htmx, the API, the admin, commands), because the
models themselves refuse the write.

Each model of the agreed content inherits ``AgreedContent`` and names its ``AGREED_FIELDS``:
while its partnership's agreement is signed, a new row, a deleted row or a change of one of
those fields raises ``SignedAgreementLocked`` (a ``PermissionDenied``: 403 with its reason on
pages and in the API). Other fields (a contribution's delivered amount, a partnership's public
summary) stay writable. The only way through is ``amending()``, the context the merge of a
signed amendment runs in. ``QuerySet.update()`` and raw SQL bypass models; no service uses
them on these fields.
"""

import contextlib
import contextvars
import datetime

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ..choices import SIGNED_PHASES

_amending = contextvars.ContextVar("alianza_amending", default=False)

MESSAGE = _(
    "The agreement is signed: what the parties signed stands until they sign a change, so "
    "this cannot be changed here."
)


class SignedAgreementLocked(PermissionDenied):
    """A write to the signed agreement's content outside an amendment."""

    says_why = True  # its message is for the person refused (the 403 page shows it)

    def __init__(self, message=None):
        super().__init__(str(message or MESSAGE))


@contextlib.contextmanager
def amending():
    """Writes inside this block may change a signed agreement: only the merge of an amendment
    its signatories signed runs here."""
    token = _amending.set(True)
    try:
        yield
    finally:
        _amending.reset(token)


def is_amending() -> bool:
    return _amending.get()


def comparable(field, value):
    """A field's value in a form that compares equal whether read from the database or set on
    an instance (a date or its ISO text, a country or its code, a list or None)."""
    if isinstance(field, models.JSONField):
        return list(value or [])
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(field, CountryField):
        return str(value or "")
    if isinstance(field, models.ForeignKey):
        return getattr(value, "pk", value)
    if isinstance(field, models.DecimalField) and value is not None:
        return str(field.to_python(value).normalize())
    return value


def signed(partnership_id) -> bool:
    """Whether the agreement of the partnership is signed, read from the database (an instance
    in memory may be stale)."""
    if partnership_id is None:
        return False
    # Through the app registry: the partnership's module builds on this one.
    partnership = apps.get_model("partnerships", "Partnership")
    phase = (
        partnership._base_manager.filter(pk=partnership_id).values_list("phase", flat=True).first()
    )
    return phase in SIGNED_PHASES


class AgreedContent(models.Model):
    """A row of the agreed content (see the module's docstring)."""

    AGREED_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.check_agreement_unlocked(update_fields=kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.check_agreement_unlocked(deleting=True)
        return super().delete(*args, **kwargs)

    def agreement_partnership_id(self):
        return self.partnership_id

    def stored_is_agreed(self, stored: dict) -> bool:
        """Whether the stored row is part of the agreed content (a risk without an owner, for
        one, is not)."""
        return True

    def is_agreed(self) -> bool:
        """Whether the row as it is now in memory would be part of the agreed content."""
        return True

    def _stored(self) -> dict | None:
        attnames = [f.attname for f in self._meta.concrete_fields]
        return type(self)._base_manager.filter(pk=self.pk).values(*attnames).first()

    def _agreed_changes(self, update_fields) -> list[str]:
        stored = self._stored()
        if stored is None:
            return list(self.AGREED_FIELDS) if self.is_agreed() else []
        was, now = self.stored_is_agreed(stored), self.is_agreed()
        if not was and not now:
            return []
        if was != now:
            return ["agreed"]  # it joins or leaves the agreed content (a risk closed, owned)
        names = [n for n in self.AGREED_FIELDS if update_fields is None or n in set(update_fields)]
        changed = []
        for name in names:
            field = self._meta.get_field(name)
            before = comparable(field, stored[field.attname])
            after = comparable(field, getattr(self, field.attname))
            if before != after:
                changed.append(name)
        return changed

    def check_agreement_unlocked(self, *, update_fields=None, deleting=False) -> None:
        """Raise ``SignedAgreementLocked`` if this write would change a signed agreement."""
        if is_amending() or not signed(self.agreement_partnership_id()):
            return
        if deleting:
            stored = self._stored()
            if stored is not None and self.stored_is_agreed(stored):
                raise SignedAgreementLocked()
            return
        if self._state.adding and self.pk is None:
            if self.is_agreed():
                raise SignedAgreementLocked()
            return
        if self._agreed_changes(update_fields):
            raise SignedAgreementLocked()
