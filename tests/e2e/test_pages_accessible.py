"""axe-core on the main pages of every role (on the demo data), the public pages, keyboard use of
the login form, and the partnership list at 360 px wide."""

import pytest
from django.core.management import call_command

from actors.models import User
from demo.dataset import DEMO_PASSWORD, email_for
from tests.main_pages import ROLES, pages_for, public_pages

from .axe import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, email):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")


def test_every_main_page_of_every_role_has_no_serious_violation(browser, live_server):
    call_command("load_demo", verbosity=0, queue_documents=True)
    problems = {}
    public = public_pages()
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    for url in public:
        page.goto(url)
        if found := violations(page):
            problems[("anonymous", url)] = found
    context.close()

    for key in ROLES:
        user = User.objects.get(email=email_for(key))
        context = browser.new_context(base_url=live_server.url)
        page = context.new_page()
        page.set_default_timeout(20_000)
        _login(page, user.email)
        for url in pages_for(user):
            response = page.goto(url)
            if response.status >= 400:
                continue  # not this role's page
            if found := violations(page):
                problems[(key, url)] = found
        context.close()
    assert not problems, "\n".join(f"{k}: {v}" for k, v in problems.items())


def test_form_errors_are_announced_and_tied_to_their_fields(page):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", "nobody@example.org")
    # Keyboard only: Tab to the password, then to the submit button, Enter submits.
    page.focus("input[name=login]")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type("wrong")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[role=alert]").count() >= 1
    assert not violations(page)


def test_the_partnership_list_fits_360_px_and_filters_in_place(browser, live_server):
    call_command("load_demo", verbosity=0, queue_documents=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740})
    page = context.new_page()
    _login(page, email_for("facilitator"))
    page.goto("/partnerships/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # htmx: choosing a phase updates the results without reloading the page.
    page.evaluate("window.__stayed = true")
    with page.expect_response(lambda r: "phase=operation" in r.url):
        page.select_option("select[name=phase]", "operation")
    page.wait_for_url("**phase=operation**")
    assert page.evaluate("window.__stayed") is True
    assert not violations(page)
    context.close()
