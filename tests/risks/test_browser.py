import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from risks.models import Category, Risk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_a_review_is_recorded_in_place_and_the_heat_map_follows(
    page, live_server, partnership, facilitator, make_risk, ngo
):
    risk = make_risk(
        partnership, title="Weak community participation", likelihood=2, impact=2, owner=ngo
    )
    make_risk(partnership, title="Other", category=Category.DEMAND, likelihood=2, impact=2)
    _login(page, live_server, facilitator)
    page.goto(reverse("risks:list", args=[partnership.pk]))
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.notReloaded = true")
    heat = page.locator("#heat-map")
    assert heat.get_by_role("link", name="2 risks with likelihood 2 and impact 2").is_visible()

    row = page.locator(f"#risk-{risk.pk}")
    row.get_by_role("link", name="Review").click()
    form = page.locator(f"#risk-{risk.pk} form")
    form.get_by_label("Likelihood").select_option("5")
    form.get_by_label("Impact").select_option("4")
    form.get_by_label("Next review").fill("2001-01-01")
    form.get_by_role("button", name="Record review").click()
    page.get_by_text("is in the past").wait_for()
    assert Risk.objects.get(pk=risk.pk).score == 4

    form.get_by_label("Next review").fill("")
    form.get_by_label("Note").fill("Assemblies poorly attended")
    form.get_by_role("button", name="Record review").click()
    page.locator(f"#risk-{risk.pk} td.score").get_by_text("20").wait_for()
    page.locator("#risk-status").get_by_text("Review recorded.").wait_for()
    assert heat.get_by_role("link", name="1 risks with likelihood 5 and impact 4").count() == 1
    assert page.evaluate("window.notReloaded") is True
    assert page.locator(f"#risk-{risk.pk}").get_by_role("link", name="Review").is_visible()
    assert page.locator(".risk-table tbody tr").count() == 2
    assert Risk.objects.get(pk=risk.pk).score == 20
