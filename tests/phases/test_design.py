import pytest
from django.urls import reverse

from partnerships import services
from partnerships.models import AgreementVersion, Phase

from .conftest import to_assessment, to_operation

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


def test_builder_shows_every_section_and_what_is_missing(fclient, partnership):
    services.partnership_transition(
        name="start_design", partnership=partnership, by=partnership.facilitator
    )
    html = fclient.get(url("phase_design", partnership.pk)).content.decode()
    for section in (
        "objectives",
        "scope",
        "people",
        "contributions",
        "governance",
        "tracking",
        "commitments",
    ):
        assert f'id="section-{section}"' in html
    assert "items are missing from the agreement" in html
    assert "The confidentiality commitment" in html


def test_saving_a_section_with_htmx_returns_the_section_and_refreshes_the_checklist(
    fclient, partnership
):
    response = fclient.post(
        url("phase_design_section", partnership.pk, "commitments"),
        {"commitments-confidentiality": "Data stay with MINSA.", "commitments-non_compliance": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "checklist-changed"
    assert 'id="section-commitments"' in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.confidentiality == "Data stay with MINSA."
    checklist = fclient.get(url("phase_design_checklist", partnership.pk)).content.decode()
    assert 'id="design-checklist"' in checklist and "<html" not in checklist
    items = {i.key: i for i in partnership.checklist("start_operation")}
    assert items["confidentiality"].done and not items["non_compliance"].done
    assert items["confidentiality"].url.endswith("#section-commitments")
    assert items["confidentiality"].url.startswith(url("phase_design", partnership.pk))


@pytest.mark.parametrize(
    "section,data,message",
    [
        (
            "scope",
            {"scope-start_date": "2027-01-01", "scope-end_date": "2026-01-01"},
            "end date must be after",
        ),
        ("scope", {"scope-start_date": "not a date"}, "Enter a valid date"),
        ("tracking", {"tracking-assessment_dates": "2026-02-30"}, "is not a date"),
        ("tracking", {"tracking-assessment_every_months": "99"}, "less than or equal to 60"),
        ("governance", {"governance-formalisation_level": "infinite"}, "Select a valid choice"),
    ],
)
def test_bad_section_input_shows_errors_and_saves_nothing(
    fclient, partnership, section, data, message
):
    before = partnership.agreed_fingerprint()
    response = fclient.post(url("phase_design_section", partnership.pk, section), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.agreed_fingerprint() == before


def test_unknown_section_is_404(fclient, partnership):
    assert fclient.post(url("phase_design_section", partnership.pk, "people")).status_code == 404
    assert fclient.post(url("phase_design_section", partnership.pk, "nope")).status_code == 404


def test_assessment_dates_are_normalised(fclient, partnership):
    fclient.post(
        url("phase_design_section", partnership.pk, "tracking"),
        {"tracking-assessment_dates": "2026-12-01, 2026-06-01\n2026-06-01"},
    )
    partnership.refresh_from_db()
    assert partnership.assessment_dates == ["2026-06-01", "2026-12-01"]


def test_versions_open_with_design_freeze_on_operation_and_reopen_on_renegotiation(partnership):
    services.partnership_transition(
        name="start_design", partnership=partnership, by=partnership.facilitator
    )
    (draft,) = AgreementVersion.objects.filter(partnership=partnership)
    assert draft.number == 1 and not draft.frozen
    partnership.refresh_from_db()
    to_operation(partnership)
    signed = AgreementVersion.objects.get(partnership=partnership, number=1)
    assert signed.frozen and signed.signed_at
    assert signed.fingerprint == partnership.agreed_fingerprint()
    assert signed.content["confidentiality"] == "Agreed confidentiality."
    partnership, _assessment = to_assessment(partnership, "renegotiate")
    services.partnership_transition(
        name="renegotiate", partnership=partnership, by=partnership.facilitator
    )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.DESIGN
    working = AgreementVersion.objects.get(partnership=partnership, frozen=False)
    assert working.number == 2 and working.content == signed.content


def test_a_refused_transition_writes_no_version(partnership):
    services.partnership_transition(
        name="start_design", partnership=partnership, by=partnership.facilitator
    )
    partnership.refresh_from_db()
    with pytest.raises(services.TransitionRefused):
        services.partnership_transition(
            name="start_operation", partnership=partnership, by=partnership.facilitator
        )
    assert not AgreementVersion.objects.filter(frozen=True).exists()


def test_changes_page_shows_what_changed_since_the_signed_version(fclient, partnership):
    services.partnership_transition(
        name="start_design", partnership=partnership, by=partnership.facilitator
    )
    partnership.refresh_from_db()
    to_operation(partnership)
    partnership, _a = to_assessment(partnership, "renegotiate")
    services.partnership_transition(
        name="renegotiate", partnership=partnership, by=partnership.facilitator
    )
    fclient.post(
        url("phase_design_section", partnership.pk, "commitments"),
        {
            "commitments-confidentiality": "Nothing is confidential.",
            "commitments-non_compliance": "",
        },
    )
    html = fclient.get(url("phase_agreement_changes", partnership.pk)).content.decode()
    assert "From version 1 to the current draft: 0 added, 1 removed, 1 changed." in html
    assert "Confidentiality commitment" in html and "Nothing is confidential." in html
    assert "Actions on non-compliance" in html


def test_changes_page_without_a_signed_version(fclient, partnership):
    html = fclient.get(url("phase_agreement_changes", partnership.pk)).content.decode()
    assert "No version of the agreement has been signed yet" in html
