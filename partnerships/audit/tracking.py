"""Every change of a tracked record is an audit entry when it happens, attributed to whoever made
it: one mechanism under every write path (pages, htmx, the API, the admin, commands, tasks),
not a call each caller must remember.

A model is tracked with ``track(Model, ...)`` from an ``AppConfig.ready()``: a snapshot of its
fields is taken when a row is loaded (``post_init``), and each save that changes a field, each
creation and each deletion (``post_save``, ``post_delete``) records one entry inside the
writer's transaction, naming the fields in the reader's words (their labels) with the old and
new values. The person is ``context.current_actor()``: the request's user (an API token's
included) or whoever ``acting_as()`` names for a command or a task.

What a service already records in its own words (a transition, a sign-off, a measurement
corrected or removed, a member removed) is not tracked twice: those models are left out, or
tracked only for the events the service does not record (``on=``).
"""

import datetime
import decimal

from django.db import models
from django.db.models.signals import post_delete, post_init, post_save
from django.utils.translation import gettext_noop

from actors.deferred import Deferred

from .context import current_actor
from .labels import Action
from .trail import record

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
_ALWAYS_IGNORED = {"id", "created_at", "updated_at", "search_key"}
_tracked: dict[type, dict] = {}


def tracked_models() -> dict[type, dict]:
    return dict(_tracked)


def _value(field, value):
    """A field's value as a reader sees it: a choice's label (lazy: translated when the entry
    is read), a related row's name."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, (datetime.date, decimal.Decimal)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "—"
    text = str(value)
    return text if len(text) <= 300 else text[:299] + "…"


def _fields(model, options) -> list:
    ignored = _ALWAYS_IGNORED | set(options["ignore"])
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in ignored and not isinstance(f, models.GeneratedField)
    ]


def _snapshot(instance, options) -> dict:
    # Only the values loaded: reading a deferred field here would cost a query per row.
    loaded = instance.__dict__
    return {f.attname: loaded[f.attname] for f in options["fields"] if f.attname in loaded}


def _on_init(sender, instance, **kwargs):
    options = _tracked.get(sender)
    if options is not None:
        instance._audit_snapshot = _snapshot(instance, options) if instance.pk else None


def _partnership_id(instance, options):
    return options["partnership"](instance) if options["partnership"] else None


def _write(instance, options, action, changes):
    data = {"record": instance._meta.label_lower, "changes": changes}
    partnership_id = _partnership_id(instance, options)
    if partnership_id is not None:
        data["partnership"] = partnership_id
    record(action=action, obj=instance, actor=current_actor(), data=data)


def _change_line(field, before, after):
    return Deferred(
        gettext_noop("%(field)s: %(old)s → %(new)s"),
        field=field.verbose_name,
        old=before,
        new=after,
    ).as_json()


def _on_save(sender, instance, created, raw=False, **kwargs):
    options = _tracked.get(sender)
    if options is None or raw:
        return
    now = _snapshot(instance, options)
    if created:
        if CREATED in options["on"]:
            changes = [
                Deferred(
                    gettext_noop("%(field)s: %(new)s"),
                    field=f.verbose_name,
                    new=_value(f, getattr(instance, f.name, None)),
                ).as_json()
                for f in options["fields"]
                if now.get(f.attname) not in (None, "", [])
            ]
            _write(instance, options, Action.RECORD_CREATED, changes)
    elif CHANGED in options["on"]:
        before = getattr(instance, "_audit_snapshot", None) or {}
        changes = []
        for f in options["fields"]:
            if f.attname in before and f.attname in now and before[f.attname] != now[f.attname]:
                old = before[f.attname]
                if isinstance(f, models.ForeignKey) and old is not None:
                    old = f.related_model._base_manager.filter(pk=old).first() or old
                changes.append(
                    _change_line(f, _value(f, old), _value(f, getattr(instance, f.name, None)))
                )
        if changes:
            _write(instance, options, Action.RECORD_CHANGED, changes)
    instance._audit_snapshot = now


def _on_delete(sender, instance, **kwargs):
    options = _tracked.get(sender)
    if options is not None and DELETED in options["on"]:
        _write(
            instance,
            options,
            Action.RECORD_DELETED,
            [Deferred(gettext_noop("Removed: %(what)s"), what=str(instance)).as_json()],
        )


def track(model, *, ignore=(), on=(CREATED, CHANGED, DELETED), partnership=None) -> None:
    """Record every change of ``model`` (idempotent). ``ignore``: fields whose changes are not
    worth an entry (kept by the system, or recorded elsewhere); ``partnership``: how to find
    the row's partnership, named in each entry so the partnership's history lists it."""
    if partnership is None and any(f.name == "partnership" for f in model._meta.fields):

        def partnership(obj):
            return obj.partnership_id

    options = {"ignore": tuple(ignore), "on": tuple(on), "partnership": partnership}
    options["fields"] = _fields(model, options)
    _tracked[model] = options
    uid = f"audit.tracking.{model._meta.label_lower}"
    post_init.connect(_on_init, sender=model, dispatch_uid=uid)
    post_save.connect(_on_save, sender=model, dispatch_uid=uid)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
