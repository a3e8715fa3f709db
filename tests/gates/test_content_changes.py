"""Signed means signed: once the parties sign, the agreed content cannot change by any door
(the edit page, the agreement builder, the part pages, candidate invitations, the API, the risk
pages, the admin, code), and each refusal says why. Operational records stay writable."""

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships import gates, services
from partnerships.models import (
    Contribution,
    Indicator,
    Member,
    Objective,
    PartnerCandidate,
    Partnership,
    Phase,
)
from partnerships.models.agreed import SignedAgreementLocked
from risks import services as risk_services
from risks.models import Risk
from tests.factories import OrganisationFactory, api_for

pytestmark = pytest.mark.django_db
SIGNED = "The agreement is signed"


@pytest.fixture
def operating(design):
    partnership, _official = design
    risk_services.risk_create(
        partnership=partnership,
        by=partnership.facilitator,
        title="Rains cut the roads",
        category="force_majeure",
        likelihood=2,
        impact=3,
        owner=partnership.members.first(),
        mitigation="Stock before the rains.",
    )
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    for approval in list(gate.approvals.all()):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION
    return partnership


def _fingerprint(partnership):
    return Partnership.objects.get(pk=partnership.pk).agreed_fingerprint()


def test_the_edit_page_keeps_the_signed_fields_and_saves_the_others(client, operating):
    before = _fingerprint(operating)
    client.force_login(operating.facilitator)
    url = reverse("partnerships:edit", args=[operating.pk])
    page = client.get(url).content.decode()
    assert "Signed: it stands as the parties signed it." in page
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update(
        {
            "confidentiality": "Nothing is confidential.",
            "public_summary": "Water for every school.",
            "sdg_goals": ["6"],
        }
    )
    data["assessment_dates"] = ""
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    saved = Partnership.objects.get(pk=operating.pk)
    assert saved.public_summary == "Water for every school."
    assert saved.confidentiality != "Nothing is confidential."
    assert _fingerprint(operating) == before


def test_the_agreement_builder_refuses_and_says_why(client, operating):
    client.force_login(operating.facilitator)
    design = client.get(reverse("partnerships:phase_design", args=[operating.pk]))
    assert 'name="commitments-confidentiality"' not in design.content.decode() or (
        "Save" not in design.content.decode().split("commitments")[1][:2000]
    )
    response = client.post(
        reverse("partnerships:phase_design_section", args=[operating.pk, "commitments"]),
        {"commitments-confidentiality": "Nothing.", "commitments-non_compliance": "Mediation."},
    )
    assert response.status_code == 403
    assert SIGNED in response.content.decode()
    assert Partnership.objects.get(pk=operating.pk).confidentiality != "Nothing."


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("member_add", {}),
        ("objective_add", {}),
        ("indicator_add", {}),
        ("contribution_add", {}),
    ],
)
def test_the_part_pages_of_the_agreement_refuse_and_say_why(client, operating, name, kwargs):
    client.force_login(operating.facilitator)
    for method in (client.get, client.post):
        response = method(reverse(f"partnerships:{name}", args=[operating.pk]))
        assert response.status_code == 403
        assert SIGNED in response.content.decode()


def test_the_partnership_page_offers_no_change_of_the_signed_content(client, operating):
    client.force_login(operating.facilitator)
    page = client.get(reverse("partnerships:detail", args=[operating.pk])).content.decode()
    assert SIGNED in page
    for name in ("member_add", "objective_add", "contribution_add"):
        assert reverse(f"partnerships:{name}", args=[operating.pk]) not in page
    assert reverse("partnerships:meeting_add", args=[operating.pk]) in page
    assert reverse("partnerships:activity_add", args=[operating.pk]) in page


def test_inviting_a_candidate_after_signing_is_refused(client, operating):
    candidate = PartnerCandidate.objects.create(
        partnership=operating,
        organisation=OrganisationFactory(name="Late Bank"),
        **dict.fromkeys(
            (
                "complementarity",
                "resources",
                "leverage",
                "partnership_experience",
                "development_experience",
            ),
            3,
        ),
    )
    client.force_login(operating.facilitator)
    response = client.post(
        reverse("partnerships:candidate_invite", args=[operating.pk, candidate.pk]),
        {"role": "funder"},
    )
    assert response.status_code == 403
    assert not Member.objects.filter(partnership=operating, organisation__name="Late Bank")


def test_the_api_refuses_changes_with_a_reason_and_writes_the_rest(operating):
    api = api_for(operating.facilitator)
    before = _fingerprint(operating)
    objective = operating.objectives.first()
    indicator = Indicator.objects.filter(objective=objective).first()
    contribution = operating.contributions.first()
    member = operating.members.first()
    refused = [
        api.patch(f"/api/partnerships/{operating.pk}/", {"confidentiality": "Open."}),
        api.patch(f"/api/objectives/{objective.pk}/", {"description": "A new aim"}),
        api.patch(f"/api/indicators/{indicator.pk}/", {"target": "999"}),
        api.patch(f"/api/contributions/{contribution.pk}/", {"planned_amount": "1.00"}),
        api.patch(f"/api/members/{member.pk}/", {"responsibilities": "None."}),
        api.post(
            "/api/objectives/",
            {"partnership": operating.pk, "kind": "specific", "description": "More"},
        ),
    ]
    for response in refused:
        assert response.status_code == 403, response.content
        assert any(SIGNED in reason for reason in response.json()["reasons"])
    assert _fingerprint(operating) == before
    assert not Objective.objects.filter(description="More").exists()
    # Not signed content: written, and only the fields sent (a PATCH never writes the phase).
    allowed = api.patch(f"/api/partnerships/{operating.pk}/", {"public_summary": "Open data."})
    assert allowed.status_code == 200, allowed.content
    assert Partnership.objects.get(pk=operating.pk).public_summary == "Open data."


def test_code_cannot_change_it_either(operating):
    """The models refuse: a management command, a shell, a task are held to the same rule."""
    indicator = Indicator.objects.filter(objective__partnership=operating).first()
    indicator.target = 999
    with pytest.raises(SignedAgreementLocked):
        indicator.save()
    with pytest.raises(SignedAgreementLocked):
        Contribution.objects.filter(partnership=operating).first().delete()
    with pytest.raises(SignedAgreementLocked):
        operating.members.first().delete()
    assert Indicator.objects.get(pk=indicator.pk).target != 999


def test_operational_records_stay_writable(operating):
    contribution = operating.contributions.first()
    services.contribution_record_delivery(
        contribution=contribution,
        amount=100,
        delivered_on=timezone.localdate(),
        by=operating.facilitator,
    )
    indicator = Indicator.objects.filter(objective__partnership=operating).first()
    services.measurement_record(
        indicator=indicator,
        measured_on=timezone.localdate(),
        value=20,
        by=operating.facilitator,
    )
    contribution.refresh_from_db()
    assert contribution.delivered_amount == 100
    # A risk raised in operation without an owner is the register's, not the agreement's.
    risk_services.risk_create(
        partnership=operating,
        by=operating.facilitator,
        title="A new road closure",
        category="force_majeure",
        likelihood=2,
        impact=2,
    )


def test_a_risk_review_keeping_the_agreed_rating_passes_one_changing_it_is_refused(
    client, operating
):
    risk = Risk.objects.get(partnership=operating, title="Rains cut the roads")
    client.force_login(operating.facilitator)
    url = reverse("risks:review", args=[operating.pk, risk.pk])
    today = timezone.localdate().isoformat()
    kept = client.post(
        url,
        {"reviewed_on": today, "likelihood": 2, "impact": 3, "status": "open", "note": "Same."},
    )
    assert kept.status_code in (200, 302)
    changed = client.post(
        url,
        {"reviewed_on": today, "likelihood": 5, "impact": 5, "status": "open", "note": "Worse."},
    )
    assert changed.status_code == 403
    assert SIGNED in changed.content.decode()
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (2, 3)
    with pytest.raises(SignedAgreementLocked):
        risk_services.risk_close(risk=risk, by=operating.facilitator, note="Gone.")


def test_the_admin_shows_an_agreed_risk_read_only(admin_client, operating):
    risk = Risk.objects.get(partnership=operating, title="Rains cut the roads")
    page = admin_client.get(reverse("admin:risks_risk_change", args=[risk.pk])).content.decode()
    assert 'name="title"' not in page and 'name="likelihood"' not in page
    assert 'name="next_review_on"' in page  # the operational fields stay editable
    response = admin_client.post(
        reverse("admin:risks_risk_change", args=[risk.pk]),
        {
            "partnership": operating.pk,
            "title": "Rains cut every road",
            "category": risk.category,
            "description": "",
            "likelihood": 3,
            "impact": 3,
            "owner": risk.owner_id,
            "status": risk.status,
            "phase_identified": risk.phase_identified,
            "mitigation": risk.mitigation,
            "contingency": "",
            "next_review_on": "",
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.title, risk.likelihood) == ("Rains cut the roads", 2)


def test_the_admin_shows_the_signed_partnership_read_only(admin_client, operating):
    url = reverse("admin:partnerships_partnership_change", args=[operating.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="confidentiality"' not in page and 'name="title"' not in page
    assert 'name="public_summary"' in page
    assert 'name="members-0-role"' not in page  # the inline shows, unchanged


def test_a_renegotiation_reopens_the_content_in_design(operating):
    """Back in design (renegotiate) the content is edited again, to be signed anew."""
    from partnerships.models import Assessment

    by = operating.facilitator
    services.contribution_record_delivery(
        contribution=operating.contributions.first(),
        amount=10,
        delivered_on=timezone.localdate(),
        by=by,
    )
    services.partnership_request_assessment(partnership=operating, by=by)
    gate = gates.gate_request_create(partnership=operating, transition="start_assessment", by=by)
    for approval in list(gate.approvals.all()):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    operating.refresh_from_db()
    Assessment.objects.create(
        partnership=operating, recommendation="renegotiate", results_summary="Change it."
    )
    gate = gates.gate_request_create(partnership=operating, transition="renegotiate", by=by)
    for approval in list(gate.approvals.all()):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    operating.refresh_from_db()
    assert operating.phase == Phase.DESIGN
    objective = operating.objectives.first()
    objective.description = "Renegotiated aim"
    objective.save()
    assert Objective.objects.get(pk=objective.pk).description == "Renegotiated aim"
