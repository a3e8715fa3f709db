"""The lifecycle's transitions as one table, read from the ``@transition`` declarations of
``Partnership`` (their ``custom``: ``label``, ``gated``). Services, gates, forms, the API and
the demo ask here; nothing else lists them."""

from functools import cache

from ..models import Partnership


@cache
def _table() -> dict[str, dict]:
    table = {}
    for t in Partnership._meta.get_field("phase").get_all_transitions(Partnership):
        table.setdefault(t.name, t.custom)  # one entry per name (close has several sources)
    # In the order the model declares them (the lifecycle's order), not django-fsm's.
    declared = list(vars(Partnership))
    return dict(sorted(table.items(), key=lambda item: declared.index(item[0])))


def names() -> tuple[str, ...]:
    """Every transition, in the order the lifecycle declares them."""
    return tuple(_table())


def gated() -> tuple[str, ...]:
    """The transitions that move between the five phases: they need a sign-off."""
    return tuple(name for name, custom in _table().items() if custom.get("gated"))


def is_gated(name: str) -> bool:
    return bool(_table().get(name, {}).get("gated"))


def label(name: str):
    """The transition's name for people (lazy: translated when read); unknown: the name."""
    return _table().get(name, {}).get("label", name)


def reason_required(name: str):
    """The message when this transition is asked without a reason, or None (no reason needed)."""
    return _table().get(name, {}).get("reason_required")
