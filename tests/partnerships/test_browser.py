"""In Chromium: the facilitator asks for an assessment from the partnership page, which fits a
phone with every section (sign-off, work of each phase, risks, documents) in place."""

import pytest

from actors.models import Role
from partnerships.models import Partnership, Phase
from risks.models import Risk
from tests.factories import PartnershipFactory, UserFactory, make_designable

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
    page.goto("/accounts/login/")
    page.fill("input[name=username]", facilitator.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    assert page.get_by_role("heading", name="Dashboard").is_visible()

    page.goto(partnership.get_absolute_url())
    for name in ("Lifecycle", "Sign-off", "Work of each phase", "Risks", "Documents"):
        assert page.get_by_role("heading", name=name, exact=True).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    page.get_by_role("button", name="Request an assessment").click()
    page.get_by_text("An assessment was requested").first.wait_for()
    partnership.refresh_from_db()
    assert partnership.assessment_requested_at is not None
