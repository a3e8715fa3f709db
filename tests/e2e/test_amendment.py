"""An amendment in Chromium: in operation, the facilitator raises a target in a results
amendment, reads the change, and every signatory and the official sign in their own browser;
Amendment 1's PDF is valid for pdfsig and the public page calls the original superseded."""

import subprocess

import pytest

from partnerships.models import Amendment, AmendmentStatus, Decision
from reports.models import Document, DocumentKind, DocumentStatus
from tests.reports.conftest import approve_and_start, designed_partnership, open_design_gate

from .helpers import PASSWORD
from .journey import new_visitor, sign_off

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _knows_the_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    user._journey_password = PASSWORD
    return user


def test_a_results_amendment_signed_by_everyone_in_their_own_browser(
    browser, live_server, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    partnership = designed_partnership()
    approve_and_start(partnership, open_design_gate(partnership))
    facilitator = _knows_the_password(partnership.facilitator)

    context, v = new_visitor(browser, live_server, "en")
    v.login(facilitator)
    v.goto(partnership.get_absolute_url())
    v.click(v.page.locator("#amendments").get_by_role("link", name="Open an amendment"))
    v.page.get_by_label("Results (objectives, indicators, targets)").check()
    v.page.fill("textarea[name=reason]", "Twelve more schools joined the programme.")
    v.click(v.button("Open the amendment"))
    amendment = Amendment.objects.get(partnership=partnership)

    # The working copy is edited with the usual pages; a banner says what they are.
    v.click(v.link("Change the working copy"))
    assert "Working copy of an amendment." in v.page.locator("body").inner_text()
    indicator = amendment.working_copy_indicators().get()
    v.goto(f"/partnerships/{amendment.working_copy_id}/indicators/{indicator.pk}/")
    v.page.fill("main [name=target]", "95")
    v.click(v.page.locator("main form button[type=submit]").first)
    v.click(v.link("Back to the amendment and its changes"))
    row = v.page.locator("#changes tr.diff-changed")
    assert "Households washing hands › Target" in row.inner_text()
    assert row.locator("del").inner_text() == "60.00" and row.locator("ins").inner_text() == "95.00"
    v.click(v.button("Ask them to sign"))
    context.close()

    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SUBMITTED
    gate = amendment.sign_off
    for approval in gate.approvals.filter(decision=Decision.PENDING).select_related("approver"):
        _knows_the_password(approval.approver)
        sign_off(browser, live_server, approval.approver, gate, "en", None, "Agreed.")

    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SIGNED and amendment.number == 1
    target = partnership.agreed_content()["objectives"][0]["indicators"][0]["target"]
    assert target == "95.00"

    # Amendment 1: a signed PDF, valid for pdfsig, rendered after the last approval.
    original = Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT, version=1)
    document = Document.objects.get(partnership=partnership, kind=DocumentKind.AGREEMENT, version=2)
    assert document.status == DocumentStatus.READY and document.gate_request_id == gate.pk
    path = tmp_path / "amendment-1.pdf"
    path.write_bytes(document.file.open("rb").read())
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature is Valid." in report.stdout, report.stdout + report.stderr

    # Anyone checking the original learns that Amendment 1 replaced it.
    context, public = new_visitor(browser, live_server, "en")
    public.goto(f"/verify/?code={original.verification_code}")
    text = public.page.locator("main").inner_text()
    assert "Superseded: this is version 1 of the agreement." in text
    public.click(public.link("Check the current version"))
    assert document.verification_code in public.page.url
    context.close()
