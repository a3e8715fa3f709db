"""Chromium, end to end, with every email through a real SMTP server (aiosmtpd):

- a facilitator invites the signatory of a member that has no people; the invitee follows the
  emailed link, sets a password, enrols an authenticator app (codes computed with pyotp) and
  signs the agreement with password and code in the decision form;
- an official registers a passkey through Chromium's virtual authenticator (DevTools Protocol
  ``WebAuthn.addVirtualAuthenticator``) and signs off a gate with it;
- a person resets a forgotten password and changes their email address through the links
  allauth mailed.
"""

import time

import pyotp
import pytest

from accounts.tokens import api_token_create
from actors.models import Role, Sector
from partnerships import gates
from partnerships.models import Decision, GateRequest, GateStatus, Phase
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory, make_designable
from tests.gates.conftest import PASSWORD

from .axe import assert_accessible
from .helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROSA_PASSWORD = "rosa-chooses-a-long-one-31"


def _page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(60_000)  # a request for signature renders the agreement PDF
    return context, page


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _fresh_code(phone: pyotp.TOTP, used: set) -> str:
    """A code not used yet (allauth refuses a code twice): wait for the next period if needed."""
    deadline = time.monotonic() + 35
    while phone.now() in used and time.monotonic() < deadline:
        time.sleep(0.5)
    code = phone.now()
    used.add(code)
    return code


@pytest.fixture
def strict(settings, live_server):
    """Production's rule: officials, signatories and administrators need a second factor."""
    settings.ALIANZA_MFA_REQUIRED_ROLES = ["official", "signatory", "administrator"]
    settings.ALIANZA_PUBLIC_URL = live_server.url


def test_invited_signatory_enrols_totp_and_signs_the_agreement(
    browser, live_server, smtp, strict, design
):
    partnership, official = design
    mining = OrganisationFactory(name="Minera Andina", sector=Sector.PRIVATE)
    member = partnership.members.create(organisation=mining, role="funder")
    assert not mining.users.exists()

    # The facilitator: the member page offers to invite its signatory.
    context, page = _page(browser, live_server)
    log_in(page, partnership.facilitator, PASSWORD)
    page.goto(f"/partnerships/{partnership.pk}/members/{member.pk}/")
    assert "Nobody of Minera Andina is in Alianza yet." in page.locator("main").inner_text()
    page.click("#invite-signatory")
    assert page.locator("input[name=signatory]").is_checked()
    page.fill("input[name=full_name]", "Rosa Quispe")
    page.fill("input[name=email]", "rosa@minera.example")
    assert_accessible(page, "invitation form")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitation").click()
    assert "Invitation sent to rosa@minera.example" in page.locator(".messages").inner_text()
    # The agreement goes up for signature; it waits for Rosa, and says so.
    page.goto(f"/partnerships/{partnership.pk}/gates/request/?transition=start_operation")
    page.select_option("select[name=transition]", "start_operation")
    with page.expect_navigation():
        page.get_by_role("button", name="Request sign-off").click()
    awaited = page.locator("#awaited").inner_text()
    assert "Rosa Quispe" in awaited and "has not joined Alianza yet" in awaited
    gate = GateRequest.objects.get(partnership=partnership, status=GateStatus.OPEN)
    context.close()

    # Rosa: the link from the email, a password, an authenticator app, then her sign-off.
    message = smtp.wait_for("rosa@minera.example")
    assert "Minera Andina" in smtp.text(message)
    link = smtp.link(message, "/accounts/invitation/")
    context, page = _page(browser, live_server)
    page.goto(_path(link))
    assert_accessible(page, "invitation accept")
    page.fill("input[name=password1]", ROSA_PASSWORD)
    page.fill("input[name=password2]", ROSA_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Set my password and continue").click()
    # A signatory needs a second factor: she is asked to enrol before anything else.
    page.wait_for_url("**/accounts/security/")
    assert "Your role needs a second factor" in page.locator("main").inner_text()
    assert_accessible(page, "security page")
    page.click("#activate-totp")
    secret = page.input_value("#authenticator_secret")
    phone = pyotp.TOTP(secret)
    used = set()
    page.fill("input[name=code]", _fresh_code(phone, used))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/partnerships/gates/mine/")
    page.click(f"#waiting a[href$='/gates/{gate.pk}/']")
    page.fill("#approve-form textarea[name=comment]", "Minera Andina signs.")
    page.fill("#approve-form input[name=password]", ROSA_PASSWORD)
    page.fill("#approve-form input[name=code]", "000000")
    with page.expect_navigation():
        page.click("#approve-form button[type=submit]")
    assert "This code is not right" in page.locator("#approve-form").inner_text()
    page.fill("#approve-form textarea[name=comment]", "Minera Andina signs.")
    page.fill("#approve-form input[name=password]", ROSA_PASSWORD)
    page.fill("#approve-form input[name=code]", _fresh_code(phone, used))
    with page.expect_navigation():
        page.click("#approve-form button[type=submit]")
    assert "Other sign-offs are still awaited" in page.locator(".messages").inner_text()
    context.close()

    rosa = mining.users.get()
    assert gate.approvals.get(approver=rosa).decision == Decision.APPROVED
    for approval in gate.approvals.filter(decision=Decision.PENDING).select_related("approver"):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION


def test_official_registers_a_passkey_and_signs_off_with_it(browser, live_server, strict):
    partnership = make_designable(PartnershipFactory(title="Agua para Huancavelica"))
    ministry = partnership.members.get(organisation__sector=Sector.PUBLIC).organisation
    official = UserFactory(organisation=ministry, role=Role.OFFICIAL, full_name="Olga Oficial")
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    assert live_server.url.startswith("http://localhost:")  # a passkey needs a domain

    context, page = _page(browser, live_server)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]

    log_in(page, official, PASSWORD)
    # Officials need a second factor: asked to enrol at this login.
    page.wait_for_url("**/accounts/security/")
    page.click("#add-passkey")
    # Adding a second factor asks for the password again (allauth's re-authentication).
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.fill("input[name=name]", "Laptop")
    with page.expect_navigation():
        page.click("#mfa_webauthn_add")
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    page.goto("/accounts/security/")
    assert "Laptop" in page.locator("#passkeys").inner_text()

    page.goto(f"/partnerships/gates/{gate.pk}/")
    assert page.locator("#approve-passkey").is_visible()
    assert_accessible(page, "gate page with a passkey")
    # The password alone is not enough once there is a second factor.
    page.fill("#approve-form input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#approve-form button[type=submit]")
    assert gate.approvals.get().decision == Decision.PENDING
    page.fill("#approve-form textarea[name=comment]", "Agreed by the ministry.")
    page.fill("#approve-form input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("#approve-passkey")
    assert "The gate is passed" in page.locator(".messages").inner_text()
    approval = gate.approvals.get()
    assert approval.decision == Decision.APPROVED and approval.comment == "Agreed by the ministry."
    partnership.refresh_from_db()
    assert partnership.phase == Phase.DESIGN
    context.close()


def test_forgotten_password_and_new_email_address_by_the_mailed_links(
    browser, live_server, smtp, settings
):
    person = UserFactory(role=Role.FACILITATOR, email="fabiola@example.org", full_name="Fabiola")
    token, _key = api_token_create(user=person, name="script")
    context, page = _page(browser, live_server)
    page.goto("/accounts/login/")
    page.click("text=Forgot your password?")
    page.fill("input[name=email]", "fabiola@example.org")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    reset = smtp.wait_for("fabiola@example.org")
    page.goto(_path(smtp.link(reset, "/password/reset/key/")))
    page.fill("input[name=password1]", "brand-new-secret-58")
    page.fill("input[name=password2]", "brand-new-secret-58")
    with page.expect_navigation():
        page.locator("main form button[name=action]").click()
    person.refresh_from_db()
    assert person.check_password("brand-new-secret-58")
    token.refresh_from_db()
    assert token.revoked_reason == "password"  # a reset revokes the tokens
    log_in(page, person, "brand-new-secret-58")

    # A new address counts once its owner follows the verification link.
    page.goto("/accounts/email/")
    page.fill("input[name=email]", "fabiola@new.example.org")
    with page.expect_navigation():
        page.locator("main form button[name=action_add]").click()
    verify = smtp.wait_for("fabiola@new.example.org")
    page.goto(_path(smtp.link(verify, "/accounts/confirm-email/")))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    person.refresh_from_db()
    assert person.email == "fabiola@new.example.org"
    context.close()
