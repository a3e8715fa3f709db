"""Gate checklists: what each transition requires, item by item, with where to do it.

A transition's guard passes when every item is done; the items not done are the reasons it is
blocked. This module is the registry, a leaf the models' guards ask: the checks themselves
register from ``AppConfig.ready()`` (the lifecycle's own in ``gate_items``, each phase's work
in ``phases.checklists``, the risks' in ``risks.checks``), so each rule lives with the data it
reads and nothing here imports a model.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Item:
    key: str
    label: str
    done: bool
    reason: str
    url: str = ""
    # An advisory item shows on the checklist but does not block the transition.
    required: bool = True


Check = Callable[["object"], list[Item]]
_checks: dict[str, list[Check]] = {}
_extra_content: list[Callable[["object"], dict]] = []
_content_layout: dict[str, tuple] = {}
_places: dict[tuple[str, str], Callable[["object"], str]] = {}


def register(transition_name: str, check: Check) -> None:
    """Add items to a transition's checklist (idempotent, so ``ready()`` may run twice)."""
    checks = _checks.setdefault(transition_name, [])
    if check not in checks:
        checks.append(check)


def register_place(transition_name: str, key: str, url_for: Callable[["object"], str]) -> None:
    """Point a checklist item to the page where its work is done."""
    _places[(transition_name, key)] = url_for


def register_agreed_content(
    provider: Callable[["object"], dict], *, layout: dict[str, tuple] | None = None
) -> None:
    """Add a section to the agreed content (and so to its fingerprint).

    ``layout`` says how each section the provider adds reads on the sign-off page:
    ``{key: (title, {field: (column heading, TextChoices or None)})}``; a section without one
    is shown as plain text."""
    if provider not in _extra_content:
        _extra_content.append(provider)
    _content_layout.update(layout or {})


def agreed_content_title(key: str):
    return _content_layout.get(key, (None, {}))[0]


def agreed_content_columns(key: str) -> dict:
    return _content_layout.get(key, (None, {}))[1]


def extra_agreed_content(partnership) -> dict:
    content = {}
    for provider in _extra_content:
        content.update(provider(partnership))
    return content


def for_transition(partnership, transition_name: str) -> list[Item]:
    items = []
    for check in _checks.get(transition_name, []):
        items.extend(check(partnership))
    return [
        replace(item, url=_places[(transition_name, item.key)](partnership))
        if (transition_name, item.key) in _places
        else item
        for item in items
    ]
