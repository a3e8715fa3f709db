import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import Role
from partnerships.models import Activity, Attendance, Conflict, Meeting
from partnerships.phases import services as phase_services
from partnerships.phases.views import timeline
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


@pytest.fixture
def meeting(partnership):
    mtg = Meeting.objects.create(
        partnership=partnership,
        title="Steering committee",
        held_at=timezone.now(),
        minutes="We agreed to buy soap.",
    )
    return mtg


@pytest.fixture
def attendee(partnership, meeting):
    person = UserFactory(role=Role.PARTNER, organisation=partnership.members.first().organisation)
    Attendance.objects.create(meeting=meeting, person=person)
    return person


def test_an_attendee_confirms_the_minutes_once(client, partnership, meeting, attendee):
    client.force_login(attendee)
    confirm = url("phase_meeting_confirm", partnership.pk, meeting.pk)
    client.post(confirm)
    attendance = Attendance.objects.get(person=attendee)
    first = attendance.minutes_confirmed_at
    assert first is not None
    response = client.post(confirm, follow=True)
    assert "already confirmed" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.minutes_confirmed_at == first
    page = client.get(url("phase_meeting", partnership.pk, meeting.pk)).content.decode()
    assert "Confirmed by 1 of 1 attendees" in page


def test_only_attendees_may_confirm(client, partnership, meeting, attendee):
    colleague = UserFactory(role=Role.PARTNER, organisation=attendee.organisation)
    client.force_login(colleague)
    assert client.post(url("phase_meeting_confirm", partnership.pk, meeting.pk)).status_code == 403
    assert not Attendance.objects.filter(minutes_confirmed_at__isnull=False).exists()
    with pytest.raises(Exception, match="Only the people who attended"):
        phase_services.meeting_minutes_confirm(meeting=meeting, person=colleague)


def test_minutes_must_exist_before_they_are_confirmed(partnership, meeting, attendee):
    Meeting.objects.filter(pk=meeting.pk).update(minutes="")
    meeting.refresh_from_db()
    with pytest.raises(Exception, match="no minutes"):
        phase_services.meeting_minutes_confirm(meeting=meeting, person=attendee)


def test_editing_the_minutes_clears_confirmations(fclient, partnership, meeting, attendee):
    phase_services.meeting_minutes_confirm(meeting=meeting, person=attendee)
    edit = url("phase_meeting_minutes", partnership.pk, meeting.pk)
    # Same text: confirmations stay.
    fclient.post(edit, {"agenda": "New agenda", "minutes": "We agreed to buy soap."})
    assert Attendance.objects.get(person=attendee).minutes_confirmed_at is not None
    response = fclient.post(
        edit, {"agenda": "", "minutes": "We agreed to buy soap and towels."}, follow=True
    )
    assert "confirmations were cleared" in response.content.decode()
    assert Attendance.objects.get(person=attendee).minutes_confirmed_at is None


def test_an_attendee_who_is_not_the_facilitator_cannot_edit_minutes(
    client, partnership, meeting, attendee
):
    client.force_login(attendee)
    response = client.post(
        url("phase_meeting_minutes", partnership.pk, meeting.pk), {"minutes": "Nope"}
    )
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == "We agreed to buy soap."


def test_conflict_form_bad_input_and_resolution(fclient, partnership):
    new = url("phase_conflict_new", partnership.pk)
    response = fclient.post(
        new, {"title": "", "what_happened": "", "status": "open", "raised_on": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    response = fclient.post(
        new,
        {
            "title": "Delayed funds",
            "what_happened": "The funder paid late.",
            "status": "resolved",
            "raised_on": "2026-03-10",
            "resolved_on": "2026-03-01",
        },
    )
    html = response.content.decode()
    assert (
        "cannot be resolved before it is raised" in html
        and "Say how the conflict was resolved" in html
    )
    assert not Conflict.objects.exists()
    parties = list(partnership.members.all())
    fclient.post(
        new,
        {
            "title": "Delayed funds",
            "what_happened": "The funder paid late.",
            "parties": [m.pk for m in parties],
            "handling": "Meeting of the steering committee; new calendar.",
            "status": "resolved",
            "raised_on": "2026-03-01",
        },
    )
    conflict = Conflict.objects.get()
    assert set(conflict.parties.all()) == set(parties)
    assert conflict.resolved_on is not None and conflict.recorded_by == partnership.facilitator
    page = fclient.get(url("phase_operation", partnership.pk)).content.decode()
    assert "Delayed funds" in page and "Resolved" in page


def test_a_member_of_another_partnership_cannot_be_a_party(fclient, partnership):
    from tests.factories import MemberFactory

    foreign = MemberFactory()
    response = fclient.post(
        url("phase_conflict_new", partnership.pk),
        {
            "title": "x",
            "what_happened": "y",
            "parties": [foreign.pk],
            "status": "open",
            "raised_on": "2026-03-01",
        },
    )
    assert response.status_code == 400 and not Conflict.objects.exists()


def test_timeline_places_bars_by_month(partnership):
    a = Activity.objects.create(
        partnership=partnership,
        title="Baseline",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 1, 31),
    )
    b = Activity.objects.create(
        partnership=partnership,
        title="Campaign",
        starts_on=datetime.date(2026, 2, 15),
        ends_on=datetime.date(2026, 3, 31),
    )
    t = timeline([a, b])
    assert [m["date"].month for m in t["months"]] == [1, 2, 3]
    first, second = t["bars"]
    assert first["left"] == 0 and 33 < first["width"] < 36
    assert second["left"] == 50.0 and second["left"] + second["width"] == 100.0


def test_operation_page_shows_plan_and_timeline(fclient, partnership):
    Activity.objects.create(
        partnership=partnership,
        title="Teacher training",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 4, 30),
    )
    html = fclient.get(url("phase_operation", partnership.pk)).content.decode()
    assert "Teacher training" in html and 'class="timeline"' in html
