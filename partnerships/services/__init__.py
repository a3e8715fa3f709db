"""Write operations on partnerships: one function per business action, by concept (the same
names as ``models/``). The lifecycle's transitions live in ``partnerships.lifecycle.services``
and are re-exported here, so every write is one import away: ``services.partnership_transition``.
"""

from ..lifecycle.services import (
    TransitionRefused,
    available_transitions,
    partnership_create,
    partnership_request_assessment,
    partnership_transition,
    transition_blockers,
    transition_options,
)
from .contributions import DELIVERY_DATE_SLACK, contribution_record_delivery, delivery_problems
from .members import (
    MemberRemovalRefused,
    RemovalEffect,
    candidate_invite,
    member_removal_blockers,
    member_removal_effects,
    member_remove,
    register_member_dependant,
)
from .results import (
    MEASUREMENT_FIELDS,
    measurement_correct,
    measurement_record,
    measurement_remove,
    objective_next_order,
)

__all__ = [
    "DELIVERY_DATE_SLACK",
    "MEASUREMENT_FIELDS",
    "MemberRemovalRefused",
    "RemovalEffect",
    "TransitionRefused",
    "available_transitions",
    "candidate_invite",
    "contribution_record_delivery",
    "delivery_problems",
    "measurement_correct",
    "measurement_record",
    "measurement_remove",
    "member_removal_blockers",
    "member_removal_effects",
    "member_remove",
    "objective_next_order",
    "partnership_create",
    "partnership_request_assessment",
    "partnership_transition",
    "register_member_dependant",
    "transition_blockers",
    "transition_options",
]
