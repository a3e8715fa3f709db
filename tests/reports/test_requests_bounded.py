"""Document requests are bounded (issue 14, item 6).

A progress report costs seconds of a worker and is kept for good, so: the facilitator and the
people of member organisations ask for one, donors download what exists
(``permissions.can_request_report``), and one person has at most
``ALIANZA_DOCUMENT_QUEUE_PER_PERSON`` waiting at a time, with a clear message. Both rules are in
``services.document_request_progress``, which every door calls.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actors.models import Role
from partnerships.models import MemberRole
from reports import services
from reports.models import Document, DocumentKind, DocumentStatus
from tests.factories import UserFactory

from .conftest import designed_partnership

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def partnership():
    return designed_partnership()


@pytest.fixture
def donor(partnership):
    funder = partnership.members.get(role=MemberRole.FUNDER).organisation
    return UserFactory(role=Role.DONOR, organisation=funder)


def _period(month: int) -> dict:
    start = datetime.date(2025, month, 1)
    return {"period_start": start.isoformat(), "period_end": (start + datetime.timedelta(27))}


def _progress():
    return Document.objects.filter(kind=DocumentKind.PROGRESS)


def test_a_donor_cannot_queue_progress_reports_on_the_page(client, partnership, donor):
    client.force_login(donor)
    url = reverse("reports:list", args=[partnership.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Generate the report" not in page.content.decode()
    for month in range(1, 4):
        assert client.post(url, _period(month)).status_code == 403
    assert not _progress().exists()


def test_a_donor_cannot_queue_progress_reports_through_the_service(partnership, donor):
    with pytest.raises(PermissionDenied):
        services.document_request_progress(
            partnership=partnership,
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 1, 31),
            by=donor,
        )
    assert not _progress().exists()


def test_members_and_the_facilitator_may_ask(client, partnership):
    url = reverse("reports:list", args=[partnership.pk])
    member_person = partnership.members.get(role=MemberRole.IMPLEMENTER).signatory
    for month, person in enumerate([partnership.facilitator, member_person], start=1):
        client.force_login(person)
        assert "Generate the report" in client.get(url).content.decode()
        assert client.post(url, _period(month)).status_code == 302
    assert set(_progress().values_list("requested_by", flat=True)) == {
        partnership.facilitator.pk,
        member_person.pk,
    }


def test_one_person_has_only_so_many_reports_waiting(client, settings, partnership):
    settings.ALIANZA_DOCUMENT_QUEUE_PER_PERSON = 2
    url = reverse("reports:list", args=[partnership.pk])
    client.force_login(partnership.facilitator)
    assert client.post(url, _period(1)).status_code == 302
    assert client.post(url, _period(2)).status_code == 302
    response = client.post(url, _period(3))
    assert response.status_code == 200
    page = response.content.decode()
    assert "You already have 2 reports waiting to be generated" in page
    assert _progress().count() == 2
    # Asking again for a period already waiting returns it and counts nothing new.
    assert client.post(url, _period(2)).status_code == 302
    assert _progress().count() == 2
    # Once one is ready, there is room for another.
    _progress().filter(period_start=datetime.date(2025, 1, 1)).update(status=DocumentStatus.FAILED)
    assert client.post(url, _period(3)).status_code == 302
    assert _progress().count() == 3


def test_the_limit_is_per_person(client, settings, partnership):
    settings.ALIANZA_DOCUMENT_QUEUE_PER_PERSON = 1
    url = reverse("reports:list", args=[partnership.pk])
    client.force_login(partnership.facilitator)
    assert client.post(url, _period(1)).status_code == 302
    client.force_login(partnership.members.get(role=MemberRole.IMPLEMENTER).signatory)
    assert client.post(url, _period(2)).status_code == 302
    assert _progress().count() == 2
