"""Every choice of the partnerships app (TextChoices) and the sets of them the rules use: a
leaf that imports nothing of the app, so forms, services, filters and migrations can read it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    INTEREST = "interest", _("Interest")
    DESIGN = "design", _("Design")
    OPERATION = "operation", _("Operation")
    ASSESSMENT = "assessment", _("Assessment")
    CLOSURE = "closure", _("Closure")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The phases in which nothing can change any more.
FINAL_PHASES = {Phase.CLOSURE, Phase.WITHDRAWN}
# The agreement is signed from the start of operation on (a renegotiation reopens it in design).
SIGNED_PHASES = {Phase.OPERATION, Phase.SUSPENDED, Phase.ASSESSMENT, Phase.CLOSURE}


# What is due, by kind, only for partnerships whose work is running: the reminder sweeps and the
# dashboards read this one table. Closed, withdrawn and suspended partnerships owe nothing;
# risks are reviewed from design to assessment.
DUE_PHASES = {
    "assessments": (Phase.OPERATION,),
    "activities": (Phase.OPERATION,),
    "risks": (Phase.DESIGN, Phase.OPERATION, Phase.ASSESSMENT),
    "contributions": (Phase.OPERATION,),
}


class ClosureOutcome(models.TextChoices):
    TERMINATED = "terminated", _("Terminated")
    TRANSFERRED = "transferred", _("Transferred")
    CONTINUED = "continued", _("Continued as a new partnership")


class Modality(models.TextChoices):
    TRADITIONAL_BUSINESS = "traditional_business", _("Traditional business")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    CSR = "csr", _("CSR / social investment")
    INCLUSIVE_MARKETS = "inclusive_markets", _("Inclusive markets")


class FormalisationLevel(models.TextChoices):
    LOW = "low", _("Low: letter of intent")
    MEDIUM = "medium", _("Medium: memorandum of understanding")
    HIGH = "high", _("High: agreement or contract")


class Scenario(models.TextChoices):
    PRIVATE_SEEKS_PUBLIC = "private_seeks_public", _("Private sector seeks public sector")
    PUBLIC_SEEKS_PRIVATE = "public_seeks_private", _("Public sector seeks private sector")
    CIVIL_SOCIETY_SEEKS_BOTH = "civil_society_seeks_both", _("Civil society seeks both")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class MemberRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator / broker")
    FUNDER = "funder", _("Funder")
    IMPLEMENTER = "implementer", _("Implementer")
    ALLY = "ally", _("Technical or strategic ally")
    PUBLIC_ENTITY = "public_entity", _("Accountable public entity")
    BENEFICIARY = "beneficiary", _("Beneficiary / local lead")
    PROVIDER = "provider", _("Provider (triangular cooperation)")
    PIVOT = "pivot", _("Pivot (triangular cooperation)")
    RECIPIENT = "recipient", _("Recipient (triangular cooperation)")


class ObjectiveKind(models.TextChoices):
    GENERAL = "general", _("General")
    SPECIFIC = "specific", _("Specific")


class IndicatorMeasure(models.TextChoices):
    UNIT = "unit", _("Unit")
    PERCENTAGE = "percentage", _("Percentage")
    QUALITATIVE = "qualitative", _("Qualitative")


class ContributionKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    HUMAN = "human", _("Human / labour")
    IN_KIND = "in_kind", _("In kind / material")
    KNOWLEDGE = "knowledge", _("Knowledge / information")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    RENEGOTIATE = "renegotiate", _("Renegotiate")
    CLOSE = "close", _("Close")


class GateStatus(models.TextChoices):
    OPEN = "open", _("Waiting for sign-off")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalCapacity(models.TextChoices):
    OFFICIAL = "official", _("Public official")
    SIGNATORY = "signatory", _("Authorised signatory")
    FACILITATOR = "facilitator", _("Facilitator")


class AmendmentKind(models.TextChoices):
    """What an amendment changes; ``amendments.kinds`` says who signs each and what it may
    change."""

    CORRECTION = "correction", _("Correction of an error")
    TIMING = "timing", _("Timing (dates, no-cost extension)")
    CONTRIBUTIONS = "contributions", _("Contributions and budget")
    RESULTS = "results", _("Results (objectives, indicators, targets)")
    MEMBERSHIP = "membership", _("Membership (a member joins or leaves, a signatory changes)")
    RISKS = "risks", _("Risks")
    TERMS = "terms", _("Terms (governance, confidentiality, non-compliance, formalisation)")


class AmendmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for signatures")
    SIGNED = "signed", _("Signed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Decision(models.TextChoices):
    PENDING = "pending", _("Awaited")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    VOID = "void", _("Void (content changed)")


class NodeKind(models.TextChoices):
    PROBLEM = "problem", _("Problem")
    CAUSE = "cause", _("Cause")
    EFFECT = "effect", _("Effect")


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Attribute(models.TextChoices):
    """The five attributes of good multi-actor cooperation, plus trust and communication."""

    HORIZONTALITY = "horizontality", _("Horizontality")
    MUTUAL_BENEFIT = "mutual_benefit", _("Mutual benefit")
    RECIPIENT_LEADERSHIP = "recipient_leadership", _("Leadership of the recipient")
    EFFECTIVENESS = "effectiveness", _("Effectiveness and efficiency")
    ACCOUNTABILITY = "accountability", _("Mutual accountability")
    TRUST = "trust", _("Trust")
    COMMUNICATION = "communication", _("Communication")
