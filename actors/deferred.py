"""Words translated when they are read, not when they are written.

A notice, an email or a line of history is written while one person's language is active and
read by another: the official who signs off in English writes the line a Spanish-speaking
facilitator reads, beat sends the reminder with no language at all. ``gettext()`` at write
time freezes the writer's language; ``Deferred`` keeps the English message id and its
parameters instead:

- ``str(Deferred(...))`` translates in the language active at that moment (``notify()`` and
  the email builder activate the recipient's);
- ``as_json()`` is what a history row or an audit entry stores, and ``render()`` turns it
  back into text in the reader's language (``{% load texts %}{{ stored|translated }}``).

Mark the message id for the catalogue with ``gettext_noop``::

    Deferred(gettext_noop("Signed off by %(names)s (gate request #%(id)s)."), names=n, id=pk)

A parameter may itself be a ``Deferred`` or a lazy translation (a phase's label), translated
with the message. Text stored before (a plain string) renders as it is.
"""

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext


def _msgid(lazy: Promise) -> str:
    """The English message id of a lazy translation (no catalogue is active under None)."""
    with translation.override(None):
        return str(lazy)


class Deferred:
    __slots__ = ("msgid", "context", "params")

    def __init__(self, msgid: str, /, *, context: str = "", **params):
        self.msgid = _msgid(msgid) if isinstance(msgid, Promise) else str(msgid)
        self.context = context
        self.params = params

    def __str__(self) -> str:
        text = pgettext(self.context, self.msgid) if self.context else gettext(self.msgid)
        if not self.params:
            return text
        return text % {key: _text(value) for key, value in self.params.items()}

    def __repr__(self) -> str:
        return f"Deferred({self.msgid!r}, {self.params!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Deferred) and self.as_json() == other.as_json()

    def __hash__(self) -> int:
        return hash(self.msgid)

    def as_json(self) -> dict:
        data = {"msgid": self.msgid, "params": {k: _json(v) for k, v in self.params.items()}}
        if self.context:
            data["context"] = self.context
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Deferred":
        params = {k: _from_json(v) for k, v in (data.get("params") or {}).items()}
        return cls(data["msgid"], context=data.get("context", ""), **params)


class Joined:
    """Parts (each a ``Deferred``, a lazy translation or text) joined when read."""

    __slots__ = ("parts", "separator")

    def __init__(self, *parts, separator: str = "\n"):
        self.parts, self.separator = parts, separator

    def __str__(self) -> str:
        return self.separator.join(_text(p) for p in self.parts)

    def as_json(self) -> dict:
        return {"join": [_json(p) for p in self.parts], "separator": self.separator}


def _text(value) -> str:
    if isinstance(value, Deferred | Joined):
        return str(value)
    if isinstance(value, dict) and ("msgid" in value or "join" in value):
        return render(value)
    return str(value)


def _json(value):
    if isinstance(value, Deferred | Joined):
        return value.as_json()
    if isinstance(value, Promise):
        return {"msgid": _msgid(value), "params": {}}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _from_json(value):
    if isinstance(value, dict) and "msgid" in value:
        return Deferred.from_json(value)
    if isinstance(value, dict) and "join" in value:
        return Joined(*(_from_json(p) for p in value["join"]), separator=value.get("separator", ""))
    return value


def stored(value):
    """What to keep in a JSON column: the stored form of a ``Deferred``, text as it is."""
    return _json(value)


def render(value) -> str:
    """Text, in the active language, of what ``stored()`` kept (or of plain text)."""
    if value in (None, "", {}):
        return ""
    return str(_from_json(value)) if isinstance(value, dict) else str(value)
