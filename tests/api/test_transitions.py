import pytest

from actors.models import Role
from partnerships.models import (
    Assessment,
    GateApproval,
    GateRequest,
    MemberRole,
    Phase,
    PhaseChange,
)
from tests.factories import PartnershipFactory, UserFactory, complete_agreement, make_designable

from .builders import build

pytestmark = pytest.mark.django_db


def post_transition(api, p, name, **extra):
    return api.post(
        f"/api/partnerships/{p.pk}/transition/", {"transition": name, **extra}, format="json"
    )


def test_a_blocked_transition_answers_409_with_the_reasons_and_changes_nothing(client_for):
    p = PartnershipFactory()
    api = client_for(p.facilitator)
    options = api.get(f"/api/partnerships/{p.pk}/transitions/").json()
    start = next(o for o in options if o["transition"] == "start_design")
    assert start["allowed"] is False and start["reasons"]
    response = post_transition(api, p, "start_design")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == "The sign-off could not be requested."
    assert any("two different sectors" in r for r in body["reasons"])
    p.refresh_from_db()
    assert p.phase == Phase.INTEREST and not PhaseChange.objects.exists()


def test_a_transition_from_the_wrong_phase_is_refused(client_for):
    p = PartnershipFactory()
    response = post_transition(client_for(p.facilitator), p, "resume")
    assert response.status_code == 409
    assert "Interest phase" in response.json()["reasons"][0]


def test_an_unknown_transition_is_a_400(client_for):
    p = PartnershipFactory()
    response = post_transition(client_for(p.facilitator), p, "explode")
    assert response.status_code == 400
    assert response.json()["reasons"][0].startswith("transition:")


def _official_of(p):
    public = p.members.get(organisation__sector="public").organisation
    return UserFactory(role=Role.OFFICIAL, organisation=public)


def _pass_gate(api, client_for, p, name, **extra):
    """Request the gate through the API, then every assigned approver approves through it."""
    response = post_transition(api, p, name, **extra)
    assert response.status_code == 202, response.json()
    gate = response.json()["gate_request"]
    for approval in GateApproval.objects.filter(request_id=gate).select_related("approver"):
        approver_api = client_for(approval.approver)
        wrong = approver_api.post(
            f"/api/gate-requests/{gate}/approve/", {"password": "nope"}, format="json"
        )
        assert wrong.status_code == 409
        ok = approver_api.post(
            f"/api/gate-requests/{gate}/approve/",
            {"password": "secret-pass-123", "comment": "Agreed"},
            format="json",
        )
        assert ok.status_code == 200, ok.json()
    p.refresh_from_db()
    return p


def test_the_lifecycle_forwards_and_back_through_the_api(client_for):
    p = make_designable(PartnershipFactory())
    official = _official_of(p)
    api = client_for(p.facilitator)
    assert _pass_gate(api, client_for, p, "start_design", comment="Ready").phase == "design"
    complete_agreement(p)
    assert _pass_gate(api, client_for, p, "start_operation").phase == "operation"
    # Operation -> assessment needs a request (or a due date) and recorded progress.
    refused = post_transition(api, p, "start_assessment")
    assert refused.status_code == 409 and len(refused.json()["reasons"]) == 2
    assert api.post(f"/api/partnerships/{p.pk}/request-assessment/").status_code == 200
    indicator = p.objectives.first().indicators.first()
    api.post(
        "/api/measurements/",
        {"indicator": indicator.pk, "measured_on": "2026-03-01", "value": "20"},
        format="json",
    )
    assert _pass_gate(api, client_for, p, "start_assessment").phase == "assessment"
    # Back to operation, as the assessment recommends.
    assert post_transition(api, p, "continue_operation").status_code == 409
    response = api.post(
        "/api/assessments/", {"partnership": p.pk, "recommendation": "continue"}, format="json"
    )
    assert response.status_code == 201
    assert _pass_gate(api, client_for, p, "continue_operation").phase == "operation"
    history = list(PhaseChange.objects.filter(partnership=p).values_list("to_phase", flat=True))
    assert history == ["operation", "assessment", "operation", "design"]
    assert GateApproval.objects.filter(approver=official, decision="approved").count() == 4
    # Suspending is not a gate: the facilitator does it directly, with a reason.
    assert post_transition(api, p, "suspend").status_code == 409
    assert post_transition(api, p, "suspend", comment="Floods").json()["phase"] == "suspended"
    assert post_transition(api, p, "resume").json()["phase"] == "operation"


def test_closing_by_transfer_needs_the_receiver(client_for):
    p = build("assessment")
    Assessment.objects.create(partnership=p, recommendation="close")
    _official_of(p)
    api = client_for(p.facilitator)
    response = post_transition(api, p, "close", outcome="transferred")
    assert response.status_code in {400, 409}
    assert not GateRequest.objects.filter(partnership=p).exists()
    receiver = p.members.get(role=MemberRole.PUBLIC_ENTITY).organisation
    p = _pass_gate(api, client_for, p, "close", outcome="transferred", transferred_to=receiver.pk)
    assert (p.phase, p.closure_outcome, p.transferred_to) == ("closure", "transferred", receiver)
    # Closed is read-only.
    assert api.patch(f"/api/partnerships/{p.pk}/", {"title": "x"}, format="json").status_code == 403


def test_only_the_facilitator_moves_the_partnership(client_for):
    p = make_designable(PartnershipFactory())
    member = p.members.first()
    partner = client_for(UserFactory(role=Role.PARTNER, organisation=member.organisation))
    assert post_transition(partner, p, "start_design").status_code == 403
    stranger = client_for(UserFactory(role=Role.FACILITATOR))
    assert post_transition(stranger, p, "start_design").status_code == 404
    p.refresh_from_db()
    assert p.phase == Phase.INTEREST
