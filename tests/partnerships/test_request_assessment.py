"""The facilitator asks for an assessment from the partnership page."""

import pytest
from django.urls import reverse

from partnerships.models import Partnership, Phase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _operating(partnership):
    Partnership.objects.filter(pk=partnership.pk).update(phase=Phase.OPERATION)
    partnership.refresh_from_db()
    return partnership


def test_the_operation_page_offers_to_request_an_assessment(fclient, partnership):
    _operating(partnership)
    page = fclient.get(partnership.get_absolute_url()).content.decode()
    assert reverse("partnerships:request_assessment", args=[partnership.pk]) in page
    assert "Request an assessment" in page


def test_requesting_an_assessment_records_it_and_says_so(fclient, partnership):
    _operating(partnership)
    url = reverse("partnerships:request_assessment", args=[partnership.pk])
    response = fclient.post(url, follow=True)
    partnership.refresh_from_db()
    assert partnership.assessment_requested_at is not None
    page = response.content.decode()
    assert "An assessment was requested" in page
    # The button is gone once asked; the operation gate's item is now done.
    assert "Request an assessment</button>" not in page


def test_asking_twice_keeps_the_first_request_time(fclient, partnership):
    _operating(partnership)
    url = reverse("partnerships:request_assessment", args=[partnership.pk])
    fclient.post(url)
    first = Partnership.objects.get(pk=partnership.pk).assessment_requested_at
    fclient.post(url)
    assert Partnership.objects.get(pk=partnership.pk).assessment_requested_at == first


def test_outside_operation_the_request_is_refused_with_a_message(fclient, partnership):
    url = reverse("partnerships:request_assessment", args=[partnership.pk])
    response = fclient.post(url, follow=True)
    assert response.status_code == 200
    assert "only be requested during operation" in response.content.decode()
    assert Partnership.objects.get(pk=partnership.pk).assessment_requested_at is None
    page = fclient.get(partnership.get_absolute_url()).content.decode()
    assert "Request an assessment" not in page


def test_get_is_not_allowed(fclient, partnership):
    _operating(partnership)
    url = reverse("partnerships:request_assessment", args=[partnership.pk])
    assert fclient.get(url).status_code == 405


def test_others_cannot_request_an_assessment(client, partnership, outsider, member):
    _operating(partnership)
    url = reverse("partnerships:request_assessment", args=[partnership.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 404
    partner = UserFactory(role="partner", organisation=member.organisation)
    client.force_login(partner)
    assert client.post(url).status_code == 403
    assert Partnership.objects.get(pk=partnership.pk).assessment_requested_at is None


def test_every_detail_section_sits_in_the_same_card_layout(fclient, partnership):
    """Sign-off, the work of each phase and risks look like the other sections."""
    import re

    _operating(partnership)
    page = fclient.get(partnership.get_absolute_url()).content.decode()
    for section_id in ("lifecycle", "gates", "workspace", "risks", "documents", "overview"):
        match = re.search(rf'<section id="{section_id}" class="([^"]*)"', page)
        assert match, section_id
        assert "section" in match.group(1).split(), section_id
        assert f'href="#{section_id}"' in page  # listed in the table of contents
    assert page.count('class="section__head"') >= 6
