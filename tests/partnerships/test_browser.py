"""In Chromium: the facilitator asks for an assessment from the partnership page, which fits a
phone with every section (sign-off, work of each phase, risks, documents) in place; and asks to
close a partnership as transferred, picking the receiving actor from suggestions; and adds a
member by picking its organisation, then chooses its signatory among that organisation's people."""

import pytest
from playwright.sync_api import expect

from actors.models import Role, Sector
from partnerships import gates
from partnerships.models import Assessment, GateRequest, Partnership, Phase
from risks.models import Risk
from tests.api.builders import build
from tests.e2e.axe import assert_accessible
from tests.e2e.helpers import log_in
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory, make_designable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "secret-pass-123"


def test_request_an_assessment_on_a_phone(page):
    facilitator = UserFactory(role=Role.FACILITATOR)
    facilitator.set_password(PASSWORD)
    facilitator.save()
    partnership = make_designable(PartnershipFactory(facilitator=facilitator))
    Partnership.objects.filter(pk=partnership.pk).update(phase=Phase.OPERATION)
    Risk.objects.create(
        partnership=partnership,
        title="Staff turnover in the regional government",
        category="force_majeure",
        likelihood=4,
        impact=4,
    )
    page.set_viewport_size({"width": 360, "height": 740})
    log_in(page, facilitator, PASSWORD)
    assert page.get_by_role("heading", name="Dashboard").is_visible()

    page.goto(partnership.get_absolute_url())
    for name in ("Lifecycle", "Sign-off", "Work of each phase", "Risks", "Documents"):
        assert page.get_by_role("heading", name=name, exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.get_by_role("button", name="Request an assessment").click()
    page.get_by_text("An assessment was requested").first.wait_for()
    partnership.refresh_from_db()
    assert partnership.assessment_requested_at is not None


def test_close_as_transferred_picking_the_receiver_from_suggestions(page):
    partnership = build("assessment", title="Clean water for Huaraz")
    Assessment.objects.create(partnership=partnership, recommendation="close")
    ministry = partnership.members.get(organisation__sector=Sector.PUBLIC).organisation
    official = UserFactory(organisation=ministry, role=Role.OFFICIAL, full_name="Olga Official")
    receiver = OrganisationFactory(name="Gobierno Regional de Ancash", acronym="GRA")
    OrganisationFactory(name="Gobierno Regional de Apurímac", acronym="GRAP")
    for i in range(40):
        OrganisationFactory(name=f"Asociación {i:02d}")

    facilitator = partnership.facilitator
    log_in(page, facilitator, PASSWORD)

    page.goto(partnership.get_absolute_url())
    page.get_by_role("link", name="Ask for sign-off: Close").click()
    page.wait_for_url("**/gates/request/?transition=close")
    assert page.locator("option", has_text="Asociación").count() == 0
    page.select_option("select[name=outcome]", "transferred")
    picker = page.get_by_role("combobox", name="Transferred to (closure only)")

    # The keyboard: arrows move through the suggestions, Enter chooses without submitting.
    # Wait for the suggestions of the whole text: on a slow machine an earlier, shorter query
    # can answer first, and its late successor would reset the highlighted option.
    with page.expect_response(lambda r: "q=regional%20de%20a" in r.url):
        picker.press_sequentially("regional de a", delay=30)
    suggestions = page.get_by_role("listbox")
    suggestions.get_by_role("option").first.wait_for()
    assert suggestions.get_by_role("option").count() == 2
    picker.press("ArrowDown")
    assert_accessible(page, "the organisation picker with its suggestions open")
    picker.press("ArrowDown")
    picker.press("Enter")
    assert picker.input_value() == "Gobierno Regional de Apurímac"
    assert "/gates/request/" in page.url and not GateRequest.objects.exists()

    # Typing part of the name and clicking the suggestion.
    picker.fill("")
    picker.press_sequentially("ancash", delay=30)
    suggestions.get_by_role("option", name="Gobierno Regional de Ancash GRA").click()
    assert picker.input_value() == "Gobierno Regional de Ancash"
    assert not suggestions.is_visible()
    page.fill("textarea[name=handover_note]", "The regional government runs the plants.")
    page.get_by_role("button", name="Request sign-off").click()
    page.wait_for_selector("text=Sign-off requested")

    gate = GateRequest.objects.get()
    assert gate.arguments["transferred_to"] == receiver.pk
    gates.signoff_approve(gate_request=gate, by=official)
    partnership.refresh_from_db()
    assert (partnership.phase, partnership.closure_outcome, partnership.transferred_to) == (
        Phase.CLOSURE,
        "transferred",
        receiver,
    )
    page.goto(partnership.get_absolute_url())
    assert "Transferred to Gobierno Regional de Ancash" in page.locator("#lifecycle").inner_text()


def test_add_a_member_picking_the_organisation_then_its_signatory(page):
    facilitator = UserFactory(role=Role.FACILITATOR)
    facilitator.set_password(PASSWORD)
    facilitator.save()
    partnership = PartnershipFactory(facilitator=facilitator, title="Clean water for Huaraz")
    care = OrganisationFactory(name="CARE Perú", acronym="CARE")
    UserFactory(organisation=care, full_name="Carmen Signer")
    UserFactory(organisation=OrganisationFactory(name="Caritas Huaraz"), full_name="Other Person")
    for i in range(30):
        OrganisationFactory(name=f"Cooperativa {i:02d}")

    log_in(page, facilitator, PASSWORD)

    page.goto(partnership.get_absolute_url())
    page.get_by_role("link", name="Add a member").click()
    page.wait_for_url("**/members/add/")
    assert page.locator("option", has_text="Cooperativa").count() == 0
    assert page.locator("select[name=signatory]").count() == 0
    picker = page.get_by_role("combobox", name="Organisation")
    picker.press_sequentially("car", delay=30)
    suggestions = page.get_by_role("listbox")
    expect(suggestions.get_by_role("option")).to_have_count(2)  # CARE Perú, Caritas Huaraz
    assert_accessible(page, "the member's organisation picker with its suggestions open")
    suggestions.get_by_role("option", name="CARE Perú CARE").click()
    assert picker.input_value() == "CARE Perú"
    page.select_option("select[name=role]", "implementer")
    page.get_by_role("button", name="Save").click()

    # Its people exist, so the next page asks which of them signs for it.
    member = partnership.members.get()
    page.wait_for_url(f"**/members/{member.pk}/")
    page.get_by_text("CARE Perú is now a member.").wait_for()
    signatory = page.get_by_label("Authorised signatory")
    assert signatory.locator("option").all_inner_texts() == [
        "---------",
        "Carmen Signer (CARE Perú)",
    ]
    signatory.select_option(label="Carmen Signer (CARE Perú)")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{partnership.get_absolute_url()}#members")
    row = page.locator("#members tbody tr")
    assert "Carmen Signer" in row.inner_text() and "CARE Perú" in row.inner_text()
    member.refresh_from_db()
    assert (member.organisation, member.signatory.full_name) == (care, "Carmen Signer")
