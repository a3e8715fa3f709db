import pytest

from partnerships import services as partnerships
from partnerships.models import Phase
from risks import services
from risks.models import Category, Status
from tests.factories import complete_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_design(partnership, facilitator):
    partnerships.partnership_transition(
        name="start_design", partnership=partnership, by=facilitator
    )
    partnership.refresh_from_db()
    return complete_agreement(partnership)


def test_design_gate_refuses_naming_high_risks_without_owner_or_mitigation(
    in_design, make_risk, ngo
):
    make_risk(in_design, title="Rotation of officials", likelihood=5, impact=3, owner=ngo)
    make_risk(
        in_design,
        title="Distrust of the public sector",
        category=Category.DISTRUST,
        likelihood=4,
        impact=4,
        mitigation="Monthly open meetings",
    )
    make_risk(in_design, title="Low demand", category=Category.DEMAND, likelihood=2, impact=2)
    assert "high_risks_owned" in [i.key for i in in_design.checklist("start_operation")]

    with pytest.raises(partnerships.TransitionRefused) as refused:
        partnerships.partnership_transition(
            name="start_operation", partnership=in_design, by=in_design.facilitator
        )

    (reason,) = [r for r in refused.value.reasons if "score 15 or more" in r]
    assert "“Rotation of officials” (no mitigation)" in reason
    assert "“Distrust of the public sector” (no owner)" in reason
    assert "Low demand" not in reason
    in_design.refresh_from_db()
    assert in_design.phase == Phase.DESIGN


def test_design_gate_passes_once_high_risks_have_owner_and_mitigation(
    in_design, make_risk, ngo, ministry
):
    rotation = make_risk(in_design, title="Rotation of officials", likelihood=5, impact=3)
    distrust = make_risk(in_design, title="Distrust", likelihood=4, impact=4, owner=ngo)
    moot = make_risk(in_design, title="Moot", likelihood=5, impact=5)
    by = in_design.facilitator
    services.risk_update(
        risk=rotation, by=by, owner=ministry, mitigation="Induction for new officials"
    )
    services.risk_update(risk=distrust, by=by, mitigation="Open books")
    services.risk_close(risk=moot, by=by, note="The regulation changed")

    partnerships.partnership_transition(name="start_operation", partnership=in_design, by=by)
    in_design.refresh_from_db()
    assert in_design.phase == Phase.OPERATION


def test_owned_risks_are_part_of_the_agreed_content(in_design, make_risk, ngo):
    before = in_design.agreed_fingerprint()
    make_risk(in_design, title="Unowned")
    assert in_design.agreed_fingerprint() == before
    risk = make_risk(in_design, title="Owned", owner=ngo, mitigation="Plan B", likelihood=2)
    assert in_design.agreed_content()["extra"]["risks"] == [
        {
            "title": "Owned",
            "category": Category.POLITICAL,
            "likelihood": 2,
            "impact": 3,
            "score": 6,
            "owner": ngo.organisation.name,
            "mitigation": "Plan B",
        }
    ]
    assert in_design.agreed_fingerprint() != before
    services.risk_close(risk=risk, by=in_design.facilitator)
    assert risk.__class__.objects.get(pk=risk.pk).status == Status.CLOSED
    assert in_design.agreed_fingerprint() == before
