"""Counts over every row, kept as rows change: partnerships by phase, risks by likelihood,
impact and status. The administrator's dashboard and risk portfolio show them over the whole
database, where a GROUP BY on each request grows with the data (80 ms over 100,000
partnerships, 250 ms over their 800,000 risks) while reading a tally does not.

A change of a counted row appends deltas (-1 for the old key, +1 for the new) inside the
writer's transaction: plain INSERTs, so writers never wait for each other on a hot counter row,
and the deltas commit or roll back with the change. ``counts()`` adds the deltas to the folded
totals in one query; ``fold()`` (every minute, a periodic task) moves deltas into the totals;
``rebuild()`` recounts from the rows (after ``seed_scale``'s COPY, nightly as a repair).

Counted models inherit ``Tallied`` (saves) and are registered with ``register()`` (deletes,
cascades included). ``QuerySet.update()`` of a counted field and raw SQL bypass both: rebuild
after them.
"""

from collections import Counter
from collections.abc import Callable

from django.db import connection, models, transaction
from django.db.models import F
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _

FOLD_BATCH = 10_000


class Tally(models.Model):
    """The folded total of one key of one tally."""

    name = models.CharField(_("tally"), max_length=40)
    key = models.CharField(_("key"), max_length=60)
    count = models.BigIntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")
        constraints = [models.UniqueConstraint(fields=["name", "key"], name="tally_name_key")]

    def __str__(self):
        return f"{self.name}[{self.key}] = {self.count}"


class TallyDelta(models.Model):
    """A change not yet folded into its total."""

    name = models.CharField(_("tally"), max_length=40)
    key = models.CharField(_("key"), max_length=60)
    change = models.IntegerField(_("change"))

    class Meta:
        verbose_name = _("tally change")
        verbose_name_plural = _("tally changes")
        indexes = [models.Index(fields=["name", "key"], name="tallydelta_name_key")]

    def __str__(self):
        return f"{self.name}[{self.key}] {self.change:+d}"


class Tallied(models.Model):
    """A model counted in tallies: ``tallies`` maps each tally's name to the fields of its key.

    ``save()`` reads the stored key with the row locked (not the instance's memory, which may
    be stale) and appends the deltas in the same transaction as the row."""

    tallies: dict[str, tuple[str, ...]] = {}
    # The rows counted (a recount filters by it); ``is_counted()`` says it of one row.
    tally_scope = models.Q()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        names = [
            name
            for name, fields in self.tallies.items()
            if update_fields is None or set(fields) & set(update_fields)
        ]
        if not names or not self.is_counted():
            return super().save(*args, **kwargs)
        with transaction.atomic(savepoint=False):
            before = None if self._state.adding else self._stored_keys(names)
            super().save(*args, **kwargs)
            after = {name: tally_key(self, self.tallies[name]) for name in names}
            changes = []
            for name in names:
                old = before.get(name) if before else None
                if old != after[name]:
                    changes += [(name, old, -1), (name, after[name], +1)]
            record(changes)

    def is_counted(self) -> bool:
        return True

    def _stored_keys(self, names) -> dict[str, str] | None:
        fields = sorted({f for name in names for f in self.tallies[name]})
        row = (
            type(self)._base_manager.select_for_update().filter(pk=self.pk).values(*fields).first()
        )
        if row is None:  # saved with a pk that is not stored yet: an insert
            return None
        return {name: _key([row[f] for f in self.tallies[name]]) for name in names}


def _key(values) -> str:
    return ":".join(str(v) for v in values)


def tally_key(instance, fields) -> str:
    return _key([getattr(instance, f) for f in fields])


def record(changes: list[tuple[str, str | None, int]]) -> None:
    """Append deltas ``(tally, key, change)``; a key of None (no row before or after) is skipped."""
    rows = [TallyDelta(name=n, key=k, change=c) for n, k, c in changes if k is not None]
    if rows:
        TallyDelta.objects.bulk_create(rows)


def _on_delete(sender, instance, **kwargs):
    if not instance.is_counted():
        return
    record([(name, tally_key(instance, fields), -1) for name, fields in sender.tallies.items()])


def counts(name: str) -> dict[str, int]:
    """Every non-zero key of a tally: the totals plus the deltas not yet folded (one query)."""
    rows = (
        Tally.objects.filter(name=name)
        .values_list("key", "count")
        .union(TallyDelta.objects.filter(name=name).values_list("key", "change"), all=True)
    )
    totals = Counter()
    for key, n in rows:
        totals[key] += n
    return {key: n for key, n in totals.items() if n}


def _add_to_totals(name: str, by_key: dict[str, int]) -> None:
    Tally.objects.bulk_create([Tally(name=name, key=key) for key in by_key], ignore_conflicts=True)
    for key, n in sorted(by_key.items()):  # one order for every folder: no deadlock
        if n:
            Tally.objects.filter(name=name, key=key).update(count=F("count") + n)


@transaction.atomic
def fold(batch: int = FOLD_BATCH) -> int:
    """Move up to ``batch`` committed deltas into their totals; returns how many. Concurrent
    folds skip each other's rows (SKIP LOCKED), so no delta is added twice."""
    deltas = list(
        TallyDelta.objects.select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", "name", "key", "change")[:batch]
    )
    if not deltas:
        return 0
    by_tally: dict[str, Counter] = {}
    for _pk, name, key, change in deltas:
        by_tally.setdefault(name, Counter())[key] += change
    for name, by_key in sorted(by_tally.items()):
        _add_to_totals(name, by_key)
    TallyDelta.objects.filter(pk__in=[d[0] for d in deltas]).delete()
    return len(deltas)


# Each tally's recount from its rows: name -> () -> {key: count}. Filled by ``register()``.
RECOUNTS: dict[str, Callable[[], dict[str, int]]] = {}


def register(model: type[Tallied]) -> None:
    """Count ``model``: saves through ``Tallied``, deletes here (each row of a cascade sends
    post_delete inside the deleting transaction); ``rebuild()`` recounts it with one GROUP BY
    per tally."""
    post_delete.connect(_on_delete, sender=model, dispatch_uid=f"tallies.{model._meta.label}")
    for name, fields in model.tallies.items():

        def recount(model=model, fields=fields):
            rows = (
                model._base_manager.filter(model.tally_scope)
                .order_by()
                .values_list(*fields)
                .annotate(n=models.Count("pk"))
            )
            return {_key(row[:-1]): row[-1] for row in rows}

        RECOUNTS[name] = recount


@transaction.atomic
def rebuild() -> dict[str, dict[str, int]]:
    """Recount every tally from its rows and drop the deltas. Writers wait meanwhile (the delta
    table is locked), so no change falls between the recount and the reset."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {TallyDelta._meta.db_table} IN EXCLUSIVE MODE")
    result = {}
    for name, recount in sorted(RECOUNTS.items()):
        live = recount()
        TallyDelta.objects.filter(name=name).delete()
        Tally.objects.filter(name=name).exclude(key__in=live).delete()
        Tally.objects.bulk_create(
            [Tally(name=name, key=key, count=n) for key, n in live.items()],
            update_conflicts=True,
            unique_fields=["name", "key"],
            update_fields=["count"],
        )
        result[name] = live
    return result


def drift() -> dict[str, dict[str, tuple[int, int]]]:
    """Keys whose tally differs from a recount: {tally: {key: (tallied, counted)}}."""
    found = {}
    for name, recount in sorted(RECOUNTS.items()):
        tallied, live = counts(name), recount()
        wrong = {
            key: (tallied.get(key, 0), live.get(key, 0))
            for key in set(tallied) | set(live)
            if tallied.get(key, 0) != live.get(key, 0)
        }
        if wrong:
            found[name] = wrong
    return found
