"""The admin: every model is listed; the phase and the lifecycle's records cannot be edited."""

import pytest
from django.urls import reverse

from partnerships.models import GateRequest, Phase, PhaseChange
from tests.factories import MemberFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True, role="administrator"))
    return client


def test_every_changelist_and_change_page_opens(admin_client):
    partnership = PartnershipFactory()
    MemberFactory(partnership=partnership)
    PhaseChange.objects.create(
        partnership=partnership, transition="start_design", from_phase="interest", to_phase="design"
    )
    from django.contrib import admin

    for model in admin.site._registry:
        if model._meta.app_label not in {"actors", "partnerships"}:
            continue
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert admin_client.get(reverse(f"{prefix}_changelist")).status_code == 200
        obj = model.objects.first()
        if obj is not None:
            page = admin_client.get(reverse(f"{prefix}_change", args=[obj.pk]))
            assert page.status_code == 200, prefix


def test_the_phase_cannot_be_changed_in_the_admin(admin_client):
    partnership = PartnershipFactory()
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    content = admin_client.get(url).content.decode()
    assert 'name="phase"' not in content
    assert 'name="title"' in content


def test_lifecycle_records_are_read_only(admin_client):
    assert admin_client.get(reverse("admin:partnerships_phasechange_add")).status_code == 403
    assert admin_client.get(reverse("admin:partnerships_gaterequest_add")).status_code == 403
    assert admin_client.get(reverse("admin:partnerships_gateapproval_add")).status_code == 403
    change = PhaseChange.objects.create(
        partnership=PartnershipFactory(), transition="x", from_phase="interest", to_phase="design"
    )
    response = admin_client.post(
        reverse("admin:partnerships_phasechange_change", args=[change.pk]),
        {"comment": "rewritten"},
    )
    assert response.status_code == 403
    change.refresh_from_db()
    assert change.comment == ""
    delete = reverse("admin:partnerships_phasechange_delete", args=[change.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert PhaseChange.objects.filter(pk=change.pk).exists()
    assert not GateRequest.objects.exists()
    assert Phase.INTEREST == "interest"
