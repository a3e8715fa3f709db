"""What changed between two versions of the agreed content, in words a partner can read.

Pure functions over the plain data of ``Partnership.agreed_content()``: no database, no
requests. Lists of records (members, objectives, indicators, contributions, ...) are matched by
a natural key (the organisation of a member, the description of an objective, ...), so a
reordered list is not reported as changed and an edited item is reported field by field.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from actors.deferred import Deferred

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# How items of a list are recognised from one version to the next.
LIST_KEYS = {
    "members": ("organisation",),
    "objectives": ("kind", "description"),
    "indicators": ("name",),
    "contributions": ("member", "kind", "description"),
    "risks": ("title",),
}
# Keys tried, in order, for lists not named above.
FALLBACK_KEYS = ("key", "id", "organisation", "name", "title", "description")

LABELS = {
    "title": _("Title"),
    "problem": _("Problem or opportunity"),
    "common_interest": _("Common interest"),
    "general_objective": _("General objective"),
    "scope": _("Scope"),
    "country": _("Country"),
    "territory": _("Territory"),
    "dac_sector": _("Field of intervention"),
    "sdg_targets": _("SDG targets"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "modality": _("Modality"),
    "formalisation_level": _("Formalisation level"),
    "governance": _("Governance"),
    "communication_lead": _("Who leads communication"),
    "tracking_tools": _("Tracking and assessment tools"),
    "confidentiality": _("Confidentiality commitment"),
    "non_compliance": _("Actions on non-compliance"),
    "assessment_criteria": _("Assessment criteria"),
    "assessment_every_months": _("Assess every (months)"),
    "assessment_dates": _("Assessment dates"),
    "members": _("Members"),
    "organisation": _("Organisation"),
    "role": _("Role"),
    "signatory": _("Authorised signatory"),
    "responsibilities": _("Responsibilities"),
    "objectives": _("Objectives"),
    "kind": _("Kind"),
    "description": _("Description"),
    "indicators": _("Indicators"),
    "name": _("Name"),
    "unit": _("Unit"),
    "baseline": _("Baseline"),
    "target": _("Target"),
    "means_of_verification": _("Means of verification"),
    "contributions": _("Contributions"),
    "member": _("Member"),
    "planned_amount": _("Planned amount"),
    "currency": _("Currency"),
    "period_start": _("From"),
    "period_end": _("Until"),
    "extra": _("Other sections"),
    "risks": _("Risks"),
}


@dataclass(frozen=True)
class Change:
    """One difference. ``path`` names where it is, as labels from the top: ("Members",
    "ONG Ayuda", "Role"). ``old``/``new`` are the values (``None`` when added/removed)."""

    kind: str
    path: tuple = field(default_factory=tuple)
    old: object = None
    new: object = None

    @property
    def where(self) -> str:
        return " › ".join(str(p) for p in self.path)


def label(key) -> str:
    return str(LABELS.get(key, str(key).replace("_", " ").capitalize()))


def _is_records(items) -> bool:
    return bool(items) and all(isinstance(i, dict) for i in items)


def _key_fields(list_name, old_items, new_items) -> tuple:
    if list_name in LIST_KEYS:
        return LIST_KEYS[list_name]
    everything = [*old_items, *new_items]
    for candidate in FALLBACK_KEYS:
        if all(candidate in item for item in everything):
            return (candidate,)
    return ()


def item_name(item: dict, keys: tuple) -> str:
    """How an item is named in a path: its key values, the most descriptive last."""
    if not keys:
        return ""
    main = item.get(keys[-1])
    text = str(main) if main not in (None, "") else "—"
    return text if len(text) <= 80 else text[:77] + "…"


def _index(items: list[dict], keys: tuple) -> dict:
    """Items by key; duplicates of a key get a running number so none is lost."""
    indexed = {}
    for position, item in enumerate(items):
        key = tuple(str(item.get(k)) for k in keys) if keys else (position,)
        candidate, n = key, 1
        while candidate in indexed:
            n += 1
            candidate = (*key, n)
        indexed[candidate] = item
    return indexed


def diff_values(old, new, path: tuple = (), name: str = "") -> list[Change]:
    """Differences between two values of the agreed content (dicts, lists or scalars)."""
    if old == new:
        return []
    # A section missing on one side compares as an empty one, item by item.
    if old is None and isinstance(new, list | dict):
        old = type(new)()
    if new is None and isinstance(old, list | dict):
        new = type(old)()
    if isinstance(old, dict) and isinstance(new, dict):
        return _diff_dicts(old, new, path)
    if isinstance(old, list) and isinstance(new, list):
        if _is_records(old) or _is_records(new):
            return _diff_records(old, new, path, name)
        return _diff_scalar_lists(old, new, path)
    if _empty(old) and not _empty(new):
        return [Change(ADDED, path, None, new)]
    if _empty(new) and not _empty(old):
        return [Change(REMOVED, path, old, None)]
    return [Change(CHANGED, path, old, new)]


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _diff_dicts(old: dict, new: dict, path: tuple) -> list[Change]:
    changes = []
    keys = list(old) + [k for k in new if k not in old]
    for key in keys:
        here = path if key == "extra" else (*path, label(key))
        changes.extend(diff_values(old.get(key), new.get(key), here, name=key))
    return changes


def _diff_scalar_lists(old: list, new: list, path: tuple) -> list[Change]:
    removed = [v for v in old if v not in new]
    added = [v for v in new if v not in old]
    return [Change(REMOVED, path, v, None) for v in removed] + [
        Change(ADDED, path, None, v) for v in added
    ]


def _diff_records(old: list, new: list, path: tuple, list_name: str) -> list[Change]:
    old = [i for i in old if isinstance(i, dict)]
    new = [i for i in new if isinstance(i, dict)]
    keys = _key_fields(list_name, old, new)
    old_by_key, new_by_key = _index(old, keys), _index(new, keys)
    changes = []
    for key, item in old_by_key.items():
        where = (*path, item_name(item, keys) or str(key[0] + 1))
        if key not in new_by_key:
            changes.append(Change(REMOVED, where, item, None))
        else:
            changes.extend(_diff_dicts(item, new_by_key[key], where))
    for key, item in new_by_key.items():
        if key not in old_by_key:
            where = (*path, item_name(item, keys) or str(key[0] + 1))
            changes.append(Change(ADDED, where, None, item))
    return changes


def diff_agreements(old: dict | None, new: dict | None) -> list[Change]:
    """Every difference from ``old`` (the last signed content) to ``new``."""
    return diff_values(old or {}, new or {})


def summarise(changes: list[Change]) -> dict:
    counts = {ADDED: 0, REMOVED: 0, CHANGED: 0}
    for change in changes:
        counts[change.kind] += 1
    return counts


def describe(value) -> str:
    """A one-line rendering of a value for the diff page."""
    if value is None:
        return ""
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            if isinstance(v, list | dict):
                if v:
                    parts.append(f"{label(k)}: {len(v)}")
                continue
            if v not in (None, ""):
                parts.append(f"{label(k)}: {v}")
        return "; ".join(parts)
    if isinstance(value, list):
        return ", ".join(describe(v) for v in value)
    return str(value)


def describe_changes(before: dict, after: dict) -> list[Deferred]:
    """What differs between two versions of the agreed content, in plain words (translated
    when read: ``str()`` each, or keep ``stored()`` in a history row)."""
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key == "extra":
            # What other apps add to the agreement (the owned risks): their own sections,
            # described under their own labels ("Risks changed.", not "Extra changed.").
            changes.extend(describe_changes(old or {}, new or {}))
            continue
        label = LABELS.get(key, key.replace("_", " ").capitalize())
        if isinstance(old, list | dict) or isinstance(new, list | dict):
            changes.append(Deferred(gettext_noop("%(item)s changed."), item=label))
        else:
            changes.append(
                Deferred(
                    gettext_noop("%(item)s: “%(old)s” became “%(new)s”."),
                    item=label,
                    old=old if old not in (None, "") else "—",
                    new=new or "—",
                )
            )
    return changes
