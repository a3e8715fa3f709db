"""What the lifecycle itself asks at each gate: the partnership's own fields, members,
objectives and indicators, operation's start, the assessment's recommendation. Registered in
``lifecycle.checklists`` by ``PartnershipsConfig.ready()``, before each phase's work."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Recommendation
from ..models import Indicator
from . import checklists
from .checklists import Item


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
    """Every item the agreement must contain before the parties sign it."""
    objectives = list(p.objectives.all())
    specific_ids = [o.pk for o in objectives]
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


def register_all() -> None:
    """Register the lifecycle's own items first, so they lead each checklist."""
    checklists.register("start_design", interest_gate)
    checklists.register("start_operation", design_gate)
    checklists.register("start_assessment", operation_gate)
    for decision, transition in (
        ("continue", "continue_operation"),
        ("renegotiate", "renegotiate"),
        ("close", "close"),
    ):
        checklists.register(transition, _DECISION_GATES[decision])


_DECISION_GATES = {name: _decision_gate(name) for name in ("continue", "renegotiate", "close")}
