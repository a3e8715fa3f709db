"""Checklist items filled from the work of each phase, and where each item is done.

Items added here are advisory (``required=False``): they show on the gate's checklist but do not
block it, so partnerships created before the workspaces existed can still move on. Make one
required by dropping ``required=False``.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from ..lifecycle import checklists

DESIGN_SECTIONS_BY_ITEM = {
    "general_objective": "objectives",
    "objectives": "objectives",
    "scope": "scope",
    "duration": "scope",
    "signatories": "people",
    "contributions": "contributions",
    "formalisation_level": "governance",
    "governance": "governance",
    "tracking_tools": "tracking",
    "assessment_criteria": "tracking",
    "assessment_schedule": "tracking",
    "confidentiality": "commitments",
    "non_compliance": "commitments",
}


def _url(name, p, anchor=""):
    url = reverse(f"partnerships:{name}", args=[p.pk])
    return f"{url}#{anchor}" if anchor else url


def interest_work(p) -> list[checklists.Item]:
    from ..models import NodeKind

    kinds = set(p.problem_nodes.values_list("kind", flat=True))
    return [
        checklists.Item(
            "problem_tree",
            _("Problem tree: the central problem and its causes"),
            NodeKind.PROBLEM in kinds and NodeKind.CAUSE in kinds,
            _("The problem tree has no central problem with causes yet."),
            _url("phase_interest", p, "problem-tree"),
            required=False,
        ),
        checklists.Item(
            "matrix",
            _("Causes, opportunities and capacities matrix"),
            p.matrix_rows.exists(),
            _("The causes, opportunities and capacities matrix is empty."),
            _url("phase_interest", p, "matrix"),
            required=False,
        ),
        checklists.Item(
            "scenario",
            _("Who sought whom"),
            bool(p.scenario),
            _("Say who sought whom (the scenario)."),
            _url("phase_interest", p, "statement"),
            required=False,
        ),
    ]


def operation_work(p) -> list[checklists.Item]:
    return [
        checklists.Item(
            "work_plan",
            _("A work plan with activities"),
            p.activities.exists(),
            _("The work plan has no activities."),
            _url("phase_operation", p, "work-plan"),
            required=False,
        )
    ]


def decision_work(p) -> list[checklists.Item]:
    latest = p.latest_assessment()
    answered = bool(
        latest is not None
        and hasattr(latest, "health_check")
        and latest.health_check.responses.exists()
    )
    return [
        checklists.Item(
            "health_check",
            _("Partnership health check answered"),
            answered,
            _("No representative has answered the health check of the latest assessment."),
            _url("phase_assessment", p, "health-check"),
            required=False,
        )
    ]


def register_all() -> None:
    checklists.register("start_design", interest_work)
    checklists.register("start_assessment", operation_work)
    for name in ("continue_operation", "renegotiate", "close"):
        checklists.register(name, decision_work)
        checklists.register_place(name, "decision", lambda p: _url("phase_assessment", p))

    checklists.register_place(
        "start_design", "common_interest", lambda p: _url("phase_interest", p, "statement")
    )
    for key in ("two_actors", "public_member"):
        checklists.register_place(
            "start_design", key, lambda p: _url("phase_interest", p, "actors")
        )
    for key, section in DESIGN_SECTIONS_BY_ITEM.items():
        checklists.register_place(
            "start_operation",
            key,
            lambda p, section=section: _url("phase_design", p, f"section-{section}"),
        )
    checklists.register_place(
        "start_assessment", "progress", lambda p: _url("phase_operation", p, "indicators")
    )
