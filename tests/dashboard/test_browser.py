"""In Chromium at 360 px wide: the donor dashboard and the public register fit the screen."""

import pytest

from partnerships.models import Partnership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_donor_dashboard_and_public_register_fit_a_phone(page, world):
    world.add(2)
    Partnership.objects.filter(pk=world.partnerships[0].pk).update(is_published=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/public/")
    assert page.get_by_role("heading", name=world.partnerships[0].title).is_visible()
    assert _fits(page)

    page.goto("/accounts/login/")
    page.fill("input[name=login]", world.donor.email)
    page.fill("input[name=password]", "secret-pass-123")
    page.click("form button[type=submit]")
    page.goto("/")
    chart = page.get_by_role("img", name="Contributions delivered against planned")
    assert chart.is_visible()
    assert chart.bounding_box()["width"] <= 360
    assert _fits(page)
