"""Shared steps of the end-to-end journeys."""

from django.utils import translation

from .axe import assert_accessible

PASSWORD = "journey-pass-123"


def log_in(page, user, password: str) -> None:
    """Log in through the login form and wait for the page it leads to (the dashboard)."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def t(language: str, text: str) -> str:
    """The UI string as the user sees it in ``language``."""
    with translation.override(language):
        return translation.gettext(text)


class Visitor:
    """A browser page that checks accessibility (and, when asked, language) on each page."""

    def __init__(self, page, language="en", check_language=None):
        self.page = page
        self.language = language
        self.check_language = check_language
        self.visited = []

    def t(self, text):
        return t(self.language, text)

    def check(self):
        self.page.wait_for_load_state("load")
        url = self.page.url
        self.visited.append(url)
        assert_accessible(self.page, url)
        if self.check_language:
            self.check_language(self.page)

    def goto(self, url):
        self.page.goto(url)
        self.check()

    def click(self, selector_or_locator, *, check=True):
        locator = (
            self.page.locator(selector_or_locator)
            if isinstance(selector_or_locator, str)
            else selector_or_locator
        )
        with self.page.expect_navigation():
            locator.click()
        if check:
            self.check()

    def button(self, name, *, within="main"):
        return self.page.locator(within).get_by_role("button", name=self.t(name), exact=True)

    def link(self, name, *, within="main"):
        return self.page.locator(within).get_by_role("link", name=self.t(name), exact=True)

    def login(self, user, language=None):
        self.page.goto("/accounts/login/")
        self.check()
        self.page.fill("input[name=login]", user.email)
        self.page.fill("input[name=password]", PASSWORD)
        # Keyboard: Enter in the password field submits the form.
        with self.page.expect_navigation():
            self.page.press("input[name=password]", "Enter")
        self.check()
