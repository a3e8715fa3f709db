"""The README's screenshot script stops on a page that is not the one it means to show (once it
saved Django's "Page not found" three times, for a URL made of another command's output)."""

import pytest

from .screenshots import SHOTS, WrongPage, _check

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_a_missing_page_stops_the_script(page):
    response = page.goto("/partnerships/50 objects imported automatically.1/")
    with pytest.raises(WrongPage, match="answered 404"):
        _check(page, response, "partnership-detail", "/partnerships/…/", "Agua")


def test_another_page_than_the_expected_one_stops_the_script(page):
    response = page.goto("/accounts/login/")
    with pytest.raises(WrongPage, match="not the expected page"):
        _check(page, response, "documents", "/accounts/login/", "Documents")
    _check(page, response, "login", "/accounts/login/", {s[0]: s[3] for s in SHOTS}["login"])
