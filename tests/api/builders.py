"""Partnerships in every phase, built the way people get there: through the services."""

import datetime

from actors.models import Role, Sector
from partnerships import services
from partnerships.models import (
    Assessment,
    Contribution,
    ContributionKind,
    Indicator,
    Measurement,
    MemberRole,
    Objective,
)
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    complete_agreement,
    make_designable,
)

PHASES = [
    "interest",
    "design",
    "operation",
    "assessment",
    "suspended",
    "closure_terminated",
    "closure_transferred",
    "closure_continued",
    "withdrawn",
]


def _refresh(p):
    p.refresh_from_db()
    return p


def with_funder(partnership, funder_org=None):
    funder_org = funder_org or OrganisationFactory(
        sector=Sector.INTERNATIONAL, name=f"Donor for {partnership.pk}"
    )
    member = MemberFactory(partnership=partnership, organisation=funder_org, role=MemberRole.FUNDER)
    return member


def build(state: str, *, facilitator=None, funder_org=None, **fields):
    """A partnership in ``state`` (one of PHASES), with members, a funder and data."""
    fields.setdefault("dac_sector", "12240")
    fields.setdefault("sdg_goals", ["2"])
    fields.setdefault("sdg_targets", ["2.2"])
    fields.setdefault("problem", "Chronic child malnutrition.")
    if facilitator is not None:
        fields["facilitator"] = facilitator
    p = PartnershipFactory(**fields)
    by = p.facilitator
    if state == "interest":
        return p
    make_designable(p)
    with_funder(p, funder_org)
    if state == "withdrawn":
        services.partnership_transition(name="withdraw", partnership=p, by=by, comment="Dropped.")
        return _refresh(p)
    services.partnership_transition(name="start_design", partnership=p, by=by)
    p = _refresh(p)
    if state == "design":
        return p
    complete_agreement(p)
    general = Objective.objects.create(partnership=p, kind="general", description="Less stunting")
    Indicator.objects.create(
        objective=general,
        name="Stunting rate",
        unit="%",
        measure="percentage",
        baseline=30,
        target=20,
    )
    qualitative = Indicator.objects.create(
        objective=general, name="Community ownership", unit="level", measure="qualitative", target=3
    )
    Contribution.objects.create(
        partnership=p,
        member=p.members.get(role=MemberRole.FUNDER),
        kind=ContributionKind.IN_KIND,
        description="Nutrition kits",
        planned_amount=1200,
        currency="EUR",
    )
    services.partnership_transition(name="start_operation", partnership=p, by=by)
    p = _refresh(p)
    indicator = Indicator.objects.filter(objective__partnership=p).order_by("pk").first()
    Measurement.objects.create(
        indicator=indicator, measured_on=datetime.date.today(), value=25, recorded_by=by
    )
    contribution = Contribution.objects.filter(partnership=p).order_by("pk").first()
    services.contribution_record_delivery(
        contribution=contribution, amount=2500, delivered_on=datetime.date.today(), by=by
    )
    Measurement.objects.create(indicator=qualitative, measured_on=datetime.date.today(), value=2)
    if state == "operation":
        return p
    if state == "suspended":
        services.partnership_transition(name="suspend", partnership=p, by=by, comment="Elections.")
        return _refresh(p)
    services.partnership_request_assessment(partnership=p, by=by)
    services.partnership_transition(name="start_assessment", partnership=p, by=by)
    p = _refresh(p)
    if state == "assessment":
        return p
    Assessment.objects.create(partnership=p, recommendation="close", results_summary="Done.")
    outcome = state.split("_", 1)[1]
    receiver = (
        OrganisationFactory(sector=Sector.PUBLIC, name=f"Receiver {p.pk}")
        if outcome == "transferred"
        else None
    )
    services.partnership_transition(
        name="close",
        partnership=p,
        by=by,
        outcome=outcome,
        transferred_to=receiver,
        handover_note="Hand-over.",
    )
    return _refresh(p)


def facilitator_user(**kw):
    return UserFactory(role=Role.FACILITATOR, **kw)
