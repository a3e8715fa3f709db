"""Changes to the signed agreement are audited whichever door they come through: the edit
page, the agreement builder or the API."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.deferred import render
from partnerships import gates
from partnerships.audit import Action
from partnerships.models import AuditEntry, Partnership, Phase
from tests.factories import api_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def operating(design):
    partnership, _official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    for approval in list(gate.approvals.all()):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION
    return partnership


def _changes():
    return AuditEntry.objects.filter(action=Action.CONTENT_CHANGED)


def test_agreement_builder_section_save_is_audited(client, operating):
    client.force_login(operating.facilitator)
    url = reverse("partnerships:phase_design_section", args=[operating.pk, "commitments"])
    response = client.post(
        url,
        {
            "commitments-confidentiality": "Nothing is confidential.",
            "commitments-non_compliance": "Mediation.",
        },
    )
    assert response.status_code == 302
    entry = _changes().get()
    assert entry.actor == operating.facilitator
    assert any("Nothing is confidential." in render(c) for c in entry.data["changes"])


def test_agreement_builder_save_does_not_overwrite_a_phase_changed_meanwhile(client, operating):
    """The section form only writes its own fields."""
    client.force_login(operating.facilitator)
    stale = Partnership.objects.get(pk=operating.pk)
    Partnership.objects.filter(pk=operating.pk).update(phase=Phase.SUSPENDED)
    from partnerships.phases import services as phase_services
    from partnerships.phases.forms import design_section_form

    form = design_section_form(
        "commitments",
        {"commitments-confidentiality": "Changed.", "commitments-non_compliance": "Mediation."},
        instance=stale,
    )
    assert form.is_valid(), form.errors
    phase_services.partnership_update_fields(partnership=stale, form=form, by=stale.facilitator)
    fresh = Partnership.objects.get(pk=operating.pk)
    assert fresh.phase == Phase.SUSPENDED and fresh.confidentiality == "Changed."


def test_api_change_to_the_signed_agreement_is_audited(operating):
    api = api_for(operating.facilitator)
    response = api.patch(
        f"/api/partnerships/{operating.pk}/",
        {"confidentiality": "Shared with the public."},
        format="json",
    )
    assert response.status_code == 200, response.content
    entry = _changes().get()
    assert any("Shared with the public." in render(c) for c in entry.data["changes"])


def test_api_change_to_an_objective_is_audited(operating):
    objective = operating.objectives.first()
    api = api_for(operating.facilitator)
    response = api.patch(
        f"/api/objectives/{objective.pk}/", {"description": "A new aim"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert _changes().count() == 1


def test_api_update_writes_only_the_fields_sent(operating):
    """A PATCH never writes the phase back (a transition saved meanwhile would be undone)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_for(operating.facilitator)
    with CaptureQueriesContext(connection) as ctx:
        response = api.patch(
            f"/api/partnerships/{operating.pk}/", {"title": "Renamed"}, format="json"
        )
    assert response.status_code == 200, response.content
    updates = [
        q["sql"]
        for q in ctx.captured_queries
        if q["sql"].startswith('UPDATE "partnerships_partnership"')
    ]
    assert updates and all('"phase"' not in sql for sql in updates)
    assert Partnership.objects.get(pk=operating.pk).title == "Renamed"


def _owned_risk(partnership):
    from risks import services as risk_services

    owner = partnership.members.first()
    return risk_services.risk_create(
        partnership=partnership,
        by=partnership.facilitator,
        title="Rains cut the roads",
        category="force_majeure",
        likelihood=2,
        impact=3,
        owner=owner,
    )


def test_a_risk_changed_after_signing_is_audited_as_its_authors_with_its_label(client, operating):
    """Owned risks are in the signed agreement: changing one after signing is an entry of the
    person who did it, labelled "Risks", not a change blamed on the next editor."""
    from django.utils import translation

    partner = operating.members.exclude(signatory=None).first().signatory
    risk = _owned_risk(operating)  # by the facilitator: their entry
    first = _changes().get()
    assert first.actor == operating.facilitator
    client.force_login(operating.facilitator)
    response = client.post(
        reverse("risks:review", args=[operating.pk, risk.pk]),
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "likelihood": 4,
            "impact": 4,
            "status": "open",
            "note": "Worse than thought.",
        },
    )
    assert response.status_code in (200, 302), response.content
    from risks import services as risk_services

    risk_services.risk_close(risk=risk, by=partner, note="Roads rebuilt.")
    entries = list(_changes().order_by("seq"))
    assert [e.actor for e in entries][-1] == partner
    with translation.override("en"):
        lines = [render(c) for e in entries for c in e.data["changes"]]
    assert "Risks changed." in lines and not any("Extra" in line for line in lines)
    # The next edit of the partnership is its editor's own change only.
    operating.refresh_from_db()
    operating.confidentiality = "Shared."
    operating.save()
    gates.agreed_content_saved(partnership=operating, by=operating.facilitator)
    with translation.override("en"):
        last = [render(c) for c in _changes().order_by("-seq").first().data["changes"]]
    assert len(last) == 1 and last[0].startswith("Confidentiality commitment:"), last


def test_a_risk_changed_in_the_admin_is_audited_as_the_administrators(admin_client, operating):
    risk = _owned_risk(operating)
    before = _changes().count()
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
            "mitigation": "",
            "contingency": "",
            "next_review_on": "",
            "reviews-TOTAL_FORMS": "0",
            "reviews-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = _changes().order_by("-seq").first()
    assert _changes().count() == before + 1
    assert entry.actor.is_superuser
