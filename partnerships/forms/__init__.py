"""Forms for a partnership and its parts, by concept (the same names as ``models/`` and
``services/``): the partnership's own form, its members, its parts, the shared fields. The
forms of each phase's work live in ``phases.forms``, the sign-off's in ``gates.forms``."""

from .fields import DATE, CommaListField, PeopleChoiceField, PersonChoiceField, SectorField
from .members import CandidateForm, InviteForm, MemberForm, MemberRemovalForm
from .partnership import PartnershipFilterForm, PartnershipForm
from .parts import (
    ActivityForm,
    AssessmentForm,
    ContributionForm,
    DeliveryForm,
    IndicatorForm,
    MeasurementForm,
    MeetingForm,
    ObjectiveForm,
)

__all__ = [
    "DATE",
    "ActivityForm",
    "AssessmentForm",
    "CandidateForm",
    "CommaListField",
    "ContributionForm",
    "DeliveryForm",
    "IndicatorForm",
    "InviteForm",
    "MeasurementForm",
    "MeetingForm",
    "MemberForm",
    "MemberRemovalForm",
    "ObjectiveForm",
    "PartnershipFilterForm",
    "PartnershipForm",
    "PeopleChoiceField",
    "PersonChoiceField",
    "SectorField",
]
