"""In Chromium: the facilitator asks for the gate, the official decides with their password in
the decision form, the facilitator sees the outcome."""

import pytest

from actors.models import Role, Sector
from partnerships.models import GateStatus, Phase
from tests.e2e.helpers import log_in
from tests.factories import PartnershipFactory, UserFactory, make_designable

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, user):
    log_in(page, user, PASSWORD)


@pytest.fixture
def setup():
    partnership = make_designable(PartnershipFactory(title="Clean water for Huancavelica"))
    ministry = partnership.members.get(organisation__sector=Sector.PUBLIC).organisation
    official = UserFactory(organisation=ministry, role=Role.OFFICIAL, full_name="Olga Official")
    return partnership, official


def _request_gate(page, partnership):
    _login(page, partnership.facilitator)
    page.goto(f"/partnerships/{partnership.pk}/gates/request/")
    page.select_option("select[name=transition]", "start_design")
    page.fill("textarea[name=comment]", "The common interest is agreed.")
    page.click("text=Request sign-off")
    page.wait_for_selector("text=Sign-off requested")
    assert "Olga Official" in page.locator("#awaited").inner_text()
    return page.url


def _official_page(browser, live_server, official, gate_url):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    _login(page, official)
    page.goto("/partnerships/gates/mine/")
    page.click("#waiting a")
    assert page.url == gate_url
    return context, page


def _decide(page, form, password=PASSWORD):
    page.fill(f"{form} input[name=password]", password)
    page.click(f"{form} button[type=submit]")


def test_official_approves_with_password_and_the_partnership_moves_on(
    page, browser, live_server, setup
):
    partnership, official = setup
    gate_url = _request_gate(page, partnership)
    context, official_page = _official_page(browser, live_server, official, gate_url)
    official_page.fill("#approve-form textarea[name=comment]", "Agreed by the ministry.")
    _decide(official_page, "#approve-form", "not my password")
    official_page.wait_for_selector("text=This is not your password.")
    official_page.fill("#approve-form textarea[name=comment]", "Agreed by the ministry.")
    _decide(official_page, "#approve-form")
    official_page.wait_for_selector("text=The gate is passed")
    context.close()

    partnership.refresh_from_db()
    assert partnership.phase == Phase.DESIGN
    page.reload()
    assert "Approved" in page.locator(".gate-state").inner_text()
    assert "Olga Official" in page.locator("#approved").inner_text()
    assert "Design" in page.locator(".gate-state").inner_text()


def test_official_refuses_and_the_facilitator_sees_why(page, browser, live_server, setup):
    partnership, official = setup
    gate_url = _request_gate(page, partnership)
    context, official_page = _official_page(browser, live_server, official, gate_url)
    _decide(official_page, "#refuse-form")  # no reason: the form says what is missing
    official_page.wait_for_selector("text=Say why you refuse.")
    official_page.fill("#refuse-form textarea[name=comment]", "The regional government is missing.")
    _decide(official_page, "#refuse-form")
    official_page.wait_for_selector("text=You refused")
    context.close()

    page.reload()
    assert "The regional government is missing." in page.locator(".gate-reason").inner_text()
    assert "Olga Official" in page.locator("#refused").inner_text()
    partnership.refresh_from_db()
    assert partnership.phase == Phase.INTEREST
    assert partnership.gate_requests.get().status == GateStatus.REFUSED
