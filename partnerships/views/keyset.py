"""Keyset ("seek") pagination on (-updated_at, -id): a page costs the rows it shows, not the
rows before it, and there is no COUNT over every visible partnership. The links carry the
position of the first or last row shown (``?after=`` older rows, ``?before=`` newer rows)."""

import datetime
from dataclasses import dataclass

from django.db.models import Q


def encode(row) -> str:
    return f"{row.updated_at.isoformat()}_{row.pk}"


def decode(value: str | None):
    """``(updated_at, id)`` from a cursor, or None for nonsense (shown as the first page)."""
    if not value:
        return None
    stamp, _, pk = value.rpartition("_")
    try:
        moment = datetime.datetime.fromisoformat(stamp.replace(" ", "+"))
        return (moment, int(pk)) if moment.tzinfo else None
    except ValueError:
        return None


@dataclass
class KeysetPage:
    object_list: list
    next_cursor: str = ""
    previous_cursor: str = ""

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def paginate(queryset, params, per_page: int) -> KeysetPage:
    after, before = decode(params.get("after")), decode(params.get("before"))
    if before:
        stamp, pk = before
        rows = list(
            queryset.filter(Q(updated_at__gt=stamp) | Q(updated_at=stamp, pk__gt=pk))
            .filter(updated_at__gte=stamp)
            .order_by("updated_at", "id")[: per_page + 1]
        )
        more, rows = len(rows) > per_page, rows[:per_page][::-1]
        return KeysetPage(
            rows,
            next_cursor=encode(rows[-1]) if rows else "",
            previous_cursor=encode(rows[0]) if rows and more else "",
        )
    qs = queryset.order_by("-updated_at", "-id")
    if after:
        stamp, pk = after
        qs = qs.filter(Q(updated_at__lt=stamp) | Q(updated_at=stamp, pk__lt=pk)).filter(
            updated_at__lte=stamp
        )
    rows = list(qs[: per_page + 1])
    more, rows = len(rows) > per_page, rows[:per_page]
    return KeysetPage(
        rows,
        next_cursor=encode(rows[-1]) if rows and more else "",
        previous_cursor=encode(rows[0]) if rows and after else "",
    )
