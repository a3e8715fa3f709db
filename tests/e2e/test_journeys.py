"""The journeys of issue 8 in Chromium; axe checks every page they visit."""

import pytest

from partnerships.models import Phase

from .journey import interest_to_operation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_takes_a_partnership_from_interest_to_operation(browser, live_server, cast):
    partnership, visited = interest_to_operation(browser, live_server, cast)
    assert partnership.phase == Phase.OPERATION
    assert len(visited) > 20


def test_the_same_journey_in_spanish_shows_no_english(browser, live_server, cast):
    from .language import assert_spanish, english_messages

    assert {"Request sign-off", "Log out", "Partnerships"} <= english_messages()
    partnership, visited = interest_to_operation(
        browser, live_server, cast, language="es", check_language=assert_spanish
    )
    assert partnership.phase == Phase.OPERATION
    assert len(visited) > 20
