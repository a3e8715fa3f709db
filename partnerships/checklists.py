"""Gate checklists: what each transition requires, item by item, with where to do it.

A transition's guard passes when every item is done; the items not done are the reasons it is
blocked. Apps above ``partnerships`` (risks, for example) add their own items with
``register`` from their ``AppConfig.ready()``, so the rule lives with the data it reads.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _


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
_extra_checks: dict[str, list[Check]] = {}
_extra_content: list[Callable[["object"], dict]] = []
_content_layout: dict[str, tuple] = {}
_places: dict[tuple[str, str], Callable[["object"], str]] = {}


def register(transition_name: str, check: Check) -> None:
    """Add items to a transition's checklist (idempotent, so ``ready()`` may run twice)."""
    checks = _extra_checks.setdefault(transition_name, [])
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
    builder = _BUILDERS.get(transition_name)
    items = builder(partnership) if builder else []
    for check in _extra_checks.get(transition_name, []):
        items.extend(check(partnership))
    return [
        replace(item, url=_places[(transition_name, item.key)](partnership))
        if (transition_name, item.key) in _places
        else item
        for item in items
    ]


def _edit_url(partnership, field: str) -> str:
    return f"{reverse('partnerships:edit', args=[partnership.pk])}#id_{field}"


def _section_url(partnership, section: str) -> str:
    return f"{partnership.get_absolute_url()}#{section}"


def _field_item(partnership, field: str, label: str) -> Item:
    value = getattr(partnership, field)
    return Item(
        key=field,
        label=label,
        done=bool(value and str(value).strip()),
        reason=_("%(item)s is missing.") % {"item": label},
        url=_edit_url(partnership, field),
    )


def interest_gate(p) -> list[Item]:
    summary = p.member_sector_summary()
    return [
        Item(
            "two_actors",
            _("At least two actors from at least two sectors"),
            summary["actors"] >= 2 and summary["sectors"] >= 2,
            _("The partnership needs at least two actors from at least two different sectors."),
            _section_url(p, "members"),
        ),
        Item(
            "public_member",
            _("A public-sector member"),
            summary["public"] >= 1,
            _("One of the members must be a public-sector actor."),
            _section_url(p, "members"),
        ),
        Item(
            "facilitator",
            _("A facilitator"),
            p.facilitator_id is not None,
            _("The partnership has no facilitator."),
            _edit_url(p, "facilitator"),
        ),
        _field_item(p, "common_interest", _("The common interest")),
    ]


def design_gate(p) -> list[Item]:
    """Every item the agreement must contain (001, stage 6)."""
    objectives = list(p.objectives.all())
    specific_ids = [o.pk for o in objectives]
    from .models import Indicator

    with_indicator = set(
        Indicator.objects.filter(objective_id__in=specific_ids).values_list(
            "objective_id", flat=True
        )
    )
    members = list(p.members.select_related("organisation"))
    without_signatory = [m.organisation.name for m in members if m.signatory_id is None]
    return [
        _field_item(p, "general_objective", _("The general objective")),
        Item(
            "objectives",
            _("Objectives, each with at least one indicator"),
            bool(objectives) and all(o.pk in with_indicator for o in objectives),
            _("Every objective needs at least one indicator (and there must be one objective).")
            if objectives
            else _("No objective has been written yet."),
            _section_url(p, "objectives"),
        ),
        _field_item(p, "scope", _("The scope")),
        Item(
            "duration",
            _("Start and end dates"),
            bool(p.start_date and p.end_date),
            _("The duration (start and end dates) is missing."),
            _edit_url(p, "start_date"),
        ),
        Item(
            "signatories",
            _("An authorised signatory for every member"),
            bool(members) and not without_signatory,
            _("These members have no authorised signatory: %(names)s.")
            % {"names": ", ".join(without_signatory)}
            if without_signatory
            else _("The partnership has no members."),
            _section_url(p, "members"),
        ),
        Item(
            "contributions",
            _("Contributions over time"),
            p.contributions.exists(),
            _("No member's contribution has been recorded."),
            _section_url(p, "contributions"),
        ),
        _field_item(p, "formalisation_level", _("The formalisation level")),
        _field_item(p, "governance", _("Governance")),
        _field_item(p, "tracking_tools", _("Tracking and assessment tools")),
        _field_item(p, "confidentiality", _("The confidentiality commitment")),
        _field_item(p, "assessment_criteria", _("Assessment criteria")),
        Item(
            "assessment_schedule",
            _("An assessment schedule"),
            bool(p.assessment_every_months or p.assessment_dates),
            _("The assessment schedule (every N months, or dates) is missing."),
            _edit_url(p, "assessment_every_months"),
        ),
        _field_item(p, "non_compliance", _("Actions on non-compliance")),
    ]


def operation_gate(p) -> list[Item]:
    due = p.next_assessment_due()
    today = timezone.localdate()
    is_due = bool(p.assessment_requested_at) or (due is not None and due <= today)
    return [
        Item(
            "assessment_due",
            _("An assessment is due or has been requested"),
            is_due,
            _("No assessment is due yet (next: %(date)s) and none has been requested.")
            % {"date": due.isoformat() if due else _("no schedule")},
            _section_url(p, "lifecycle"),
        ),
        Item(
            "progress",
            _("At least one progress period recorded"),
            p.has_progress_recorded(),
            _("No measurement or delivered contribution has been recorded yet."),
            _section_url(p, "objectives"),
        ),
    ]


def _decision_gate(expected: str):
    def build(p) -> list[Item]:
        from .models import Recommendation

        latest = p.latest_assessment()
        label = _("The assessment recommends: %(decision)s") % {
            "decision": Recommendation(expected).label
        }
        if latest is None:
            reason = _("No assessment has been recorded yet.")
        else:
            reason = _("The latest assessment recommends “%(actual)s”, not “%(expected)s”.") % {
                "actual": latest.get_recommendation_display() or _("nothing"),
                "expected": Recommendation(expected).label,
            }
        return [
            Item(
                "decision",
                label,
                latest is not None and latest.recommendation == expected,
                reason,
                _section_url(p, "assessments"),
            )
        ]

    return build


_BUILDERS = {
    "start_design": interest_gate,
    "start_operation": design_gate,
    "start_assessment": operation_gate,
    "continue_operation": _decision_gate("continue"),
    "renegotiate": _decision_gate("renegotiate"),
    "close": _decision_gate("close"),
}
