import datetime

import icalendar
import pytest
import time_machine

from actors.models import EmailPreference, Notification
from actors.notify import notify
from partnerships.models import Activity, GateRequest
from reminders.models import CalendarFeed
from tests.factories import PartnershipFactory, UserFactory

from .conftest import noon

pytestmark = pytest.mark.django_db

D = datetime.date


def test_the_notifications_page_shows_only_the_users_own_and_the_unread_count(client):
    me, other = UserFactory(), UserFactory()
    notify(recipient=me, title="Your assessment is due", url="/partnerships/1/")
    notify(recipient=other, title="Someone else's secret")
    client.force_login(me)
    page = client.get("/reminders/notifications/")
    assert page.status_code == 200
    assert "Your assessment is due" in page.text
    assert "Someone else" not in page.text
    assert 'class="badge">1<span class="visually-hidden"> unread' in page.text


def test_mark_as_read_needs_a_post_and_only_touches_own_notices(client):
    me, other = UserFactory(), UserFactory()
    mine = notify(recipient=me, title="Mine")
    theirs = notify(recipient=other, title="Theirs")
    client.force_login(me)
    assert client.get(f"/reminders/notifications/{mine.pk}/read/").status_code == 405
    assert client.post(f"/reminders/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    response = client.post(
        f"/reminders/notifications/{mine.pk}/read/", {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/reminders/notifications/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "unread" not in client.get("/reminders/notifications/").text.split("<main")[0]


def test_mark_all_as_read(client):
    me = UserFactory()
    for n in range(3):
        notify(recipient=me, title=f"Notice {n}")
    client.force_login(me)
    client.post("/reminders/notifications/read-all/")
    assert not Notification.objects.filter(recipient=me, read_at=None).exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/reminders/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_preferences_choose_the_daily_digest(client):
    me = UserFactory()
    client.force_login(me)
    page = client.get("/reminders/preferences/")
    assert "Daily digest" in page.text
    response = client.post("/reminders/preferences/", {"email_preference": "digest"})
    assert response.status_code == 302
    me.refresh_from_db()
    assert me.email_preference == EmailPreference.DIGEST
    bad = client.post("/reminders/preferences/", {"email_preference": "hourly"})
    assert bad.status_code == 200
    assert "Select a valid choice" in bad.text
    me.refresh_from_db()
    assert me.email_preference == EmailPreference.DIGEST


def feed_path(client, user):
    client.force_login(user)
    client.post("/reminders/preferences/calendar/new/")
    feed = CalendarFeed.objects.get(user=user)
    assert feed.get_absolute_url() in client.get("/reminders/preferences/").text
    client.logout()
    return feed.get_absolute_url()


def test_the_calendar_feed_lists_due_dates_of_visible_partnerships_only(operating, client):
    hidden = PartnershipFactory(title="Not yours")
    Activity.objects.create(
        partnership=hidden, title="Hidden work", starts_on=D(2026, 1, 1), ends_on=D(2026, 2, 1)
    )
    Activity.objects.create(
        partnership=operating,
        title="Train health promoters",
        starts_on=D(2026, 1, 5),
        ends_on=D(2026, 3, 10),
    )
    GateRequest.objects.create(
        partnership=operating,
        transition="start_assessment",
        fingerprint="x" * 64,
        requested_by=operating.facilitator,
    )
    path = feed_path(client, operating.facilitator)
    with time_machine.travel(noon(D(2026, 2, 1)), tick=False):
        response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = icalendar.Calendar.from_ical(response.content)
    pairs = [(str(e["summary"]), e.decoded("dtstart")) for e in cal.walk("VEVENT")]
    events = {summary for summary, _ in pairs}
    assert (f"Assessment due: {operating.title}", D(2026, 7, 1)) in pairs
    assert (f"Assessment due: {operating.title}", D(2027, 1, 1)) in pairs
    assert ("Activity ends: Train health promoters", D(2026, 3, 10)) in pairs
    assert any(s.startswith("Contribution period ends") for s in events)
    assert any(s.startswith("Sign-off expected") for s in events)
    assert not any("Hidden" in s or "Not yours" in s for s in events)
    uids = [str(e["uid"]) for e in cal.walk("VEVENT")]
    assert len(uids) == len(set(uids))


def test_a_wrong_or_revoked_token_is_a_404(operating, client):
    path = feed_path(client, operating.facilitator)
    feed = CalendarFeed.objects.get(user=operating.facilitator)
    wrong = feed.token[:-1] + ("B" if feed.token.endswith("A") else "A")  # 1 in 64 ended in A
    assert client.get(path.replace(feed.token, wrong)).status_code == 404
    assert client.get(path.replace(f"/{feed.pk}/", f"/{feed.pk + 1}/")).status_code == 404
    client.force_login(operating.facilitator)
    client.post("/reminders/preferences/calendar/new/")
    client.logout()
    assert client.get(path).status_code == 404  # the old address stopped working
    new = CalendarFeed.objects.get(user=operating.facilitator).get_absolute_url()
    assert client.get(new).status_code == 200
    client.force_login(operating.facilitator)
    client.post("/reminders/preferences/calendar/revoke/")
    client.logout()
    assert client.get(new).status_code == 404
