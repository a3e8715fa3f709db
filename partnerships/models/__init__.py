"""Partnerships, their members and agreed content, and the five-phase lifecycle.

The lifecycle is a django-fsm-2 state machine on ``Partnership.phase``. Transition methods only
change fields in memory; ``partnerships.services`` checks the guards, calls them, saves and
records the ``PhaseChange`` in one transaction. Each guard is a checklist (see ``checklists``):
the reasons a transition is blocked are the checklist items that are not done.

One module per concept; every model and choice is re-exported here, so
``from partnerships.models import Partnership`` is the way to reach them."""

from ..choices import (
    DUE_PHASES,
    FINAL_PHASES,
    SIGNED_PHASES,
    ActivityStatus,
    AmendmentKind,
    AmendmentStatus,
    ApprovalCapacity,
    Attribute,
    ClosureOutcome,
    ConflictStatus,
    ContributionKind,
    Decision,
    FormalisationLevel,
    GateStatus,
    IndicatorMeasure,
    Language,
    MemberRole,
    Modality,
    NodeKind,
    ObjectiveKind,
    Phase,
    Recommendation,
    Scenario,
)
from .amendments import Amendment
from .audit import (
    AuditEntry,
    AuditEntryQuerySet,
)
from .contributions import (
    CONTRIBUTION_BELOW_PLAN,
    Contribution,
    ContributionQuerySet,
    Delivery,
)
from .gates import (
    GateApproval,
    GateRequest,
)
from .lifecycle import (
    Assessment,
    PhaseChange,
)
from .members import (
    Member,
    PartnerCandidate,
    ranked_candidates,
)
from .partnership import Partnership
from .partnership_queries import PartnershipQuerySet
from .phases import (
    AgreementVersion,
    Attachment,
    ClosureNote,
    Conflict,
    HealthCheck,
    HealthCheckResponse,
    MatrixRow,
    PrivateStorage,
    ProblemNode,
    attachment_path,
    private_root,
    private_storage,
)
from .results import (
    Indicator,
    Measurement,
    Objective,
)
from .tallies import Tally, TallyDelta
from .work import (
    ACTIVITY_OPEN,
    RESPONSIBLE_PERSON_MESSAGE,
    Activity,
    ActivityQuerySet,
    Attendance,
    Meeting,
)

__all__ = [
    "ACTIVITY_OPEN",
    "Activity",
    "ActivityQuerySet",
    "ActivityStatus",
    "AgreementVersion",
    "Amendment",
    "AmendmentKind",
    "AmendmentStatus",
    "ApprovalCapacity",
    "Assessment",
    "Attachment",
    "Attendance",
    "Attribute",
    "AuditEntry",
    "AuditEntryQuerySet",
    "CONTRIBUTION_BELOW_PLAN",
    "ClosureNote",
    "ClosureOutcome",
    "Conflict",
    "ConflictStatus",
    "Contribution",
    "ContributionKind",
    "ContributionQuerySet",
    "DUE_PHASES",
    "Decision",
    "Delivery",
    "FINAL_PHASES",
    "SIGNED_PHASES",
    "FormalisationLevel",
    "GateApproval",
    "GateRequest",
    "GateStatus",
    "HealthCheck",
    "HealthCheckResponse",
    "Indicator",
    "IndicatorMeasure",
    "Language",
    "MatrixRow",
    "Measurement",
    "Meeting",
    "Member",
    "MemberRole",
    "Modality",
    "NodeKind",
    "Objective",
    "ObjectiveKind",
    "PartnerCandidate",
    "Partnership",
    "PartnershipQuerySet",
    "Phase",
    "PhaseChange",
    "PrivateStorage",
    "ProblemNode",
    "RESPONSIBLE_PERSON_MESSAGE",
    "Recommendation",
    "Scenario",
    "Tally",
    "TallyDelta",
    "attachment_path",
    "private_root",
    "private_storage",
    "ranked_candidates",
]
