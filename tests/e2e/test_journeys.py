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
    """Pages (History lines included) and every email, each person reading Spanish."""
    from django.core import mail

    from actors.models import User

    from .language import english_in_email, english_messages, english_on, english_patterns

    def assert_spanish(page):
        # "role: funder; signatory: …" in what a sign-off approves is a code shown as is:
        # item 6 of issue 15 (labels for codes) replaces it; until then it is left out here.
        found = [t for t in english_on(page) if not t.startswith("role: ")]
        assert not found, f"English strings on {page.url}: {found}"

    assert {"Request sign-off", "Log out", "Partnerships"} <= english_messages()
    assert "Signed off by %(names)s (gate request #%(id)s)." in dict(english_patterns())
    people = [p for p in cast.values() if isinstance(p, User)]
    User.objects.filter(pk__in=[p.pk for p in people]).update(language="es")
    partnership, visited = interest_to_operation(
        browser, live_server, cast, language="es", check_language=assert_spanish
    )
    assert partnership.phase == Phase.OPERATION
    assert len(visited) > 20
    assert partnership.phase_changes.exclude(note={}).count() == 2  # two gates signed off
    emails = list(mail.outbox)
    assert len(emails) >= 6
    assert {e.to[0] for e in emails} >= {cast["official"].email, cast["facilitator"].email}
    for email in emails:
        assert email.body.startswith("Hola, "), email.body
        assert english_in_email(email) == [], email.body
