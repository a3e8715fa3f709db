"""The journeys of issue 8 in Chromium; axe checks every page they visit."""

import pytest

from partnerships.models import Phase

from .journey import interest_to_operation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_takes_a_partnership_from_interest_to_operation(browser, live_server, cast):
    partnership, visited = interest_to_operation(browser, live_server, cast)
    assert partnership.phase == Phase.OPERATION
    assert len(visited) > 20
