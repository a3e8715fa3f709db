"""The main pages fit the window (no sideways scrolling at 1,280 px) and what can be tapped is
at least 24 × 24 CSS px or has room around it (WCAG 2.5.8), on a desktop and on a phone."""

import pytest
from django.core.management import call_command

from actors.models import User
from demo.dataset import DEMO_PASSWORD, email_for
from partnerships.models import Partnership
from tests.main_pages import pages_for, phase_pages

from .axe import small_targets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# 412 px: the phone Lighthouse emulates (it found 18 crowded targets on the risk register);
# there, the pages of one partnership (where the tables of actions are) and the lists.
PHONE = 412


def test_the_main_pages_fit_the_window_and_their_targets_can_be_tapped(browser, live_server):
    call_command("load_demo", verbosity=0, queue_documents=True)
    facilitator = User.objects.get(email=email_for("facilitator"))  # sees every action
    urls = list(dict.fromkeys(pages_for(facilitator) + phase_pages(facilitator)))
    first = Partnership.objects.visible_to(facilitator).order_by("pk").first()
    on_phone = [
        u for u in urls if u.startswith(f"/partnerships/{first.pk}/") or u in ("/", "/risks/")
    ]
    problems = []
    for width, pages in ((1280, urls), (PHONE, on_phone)):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": 900}
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto("/accounts/login/")
        page.fill("input[name=login]", facilitator.email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")
        for url in pages:
            response = page.goto(url)
            assert response.status < 400, url
            if width == 1280:
                scroll, inner = page.evaluate(
                    "[document.documentElement.scrollWidth, window.innerWidth]"
                )
                if scroll > inner:
                    problems.append(f"{url} at {width} px is {scroll} px wide")
            if small := small_targets(page):
                problems.append(f"{url} at {width} px: {len(small)} small targets: {small[:3]}")
        context.close()
    assert not problems, "\n".join(problems)
