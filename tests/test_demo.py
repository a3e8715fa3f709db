"""The demo loader: real partnerships in every phase, one login per role, and idempotence."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from actors.demo import DEMO_PASSWORD, email_for
from actors.models import Role, User
from partnerships import tallies
from partnerships.models import Member, MemberRole, Partnership, Phase

pytestmark = pytest.mark.django_db

MAIN_PHASES = {Phase.INTEREST, Phase.DESIGN, Phase.OPERATION, Phase.ASSESSMENT, Phase.CLOSURE}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Row count and latest change of every model of the project's apps."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"actors", "partnerships", "risks", "reports"}:
            qs = model.objects.all()
            latest = None
            if any(f.name == "updated_at" for f in model._meta.fields):
                latest = qs.order_by("-updated_at").values_list("updated_at", flat=True).first()
            state[model._meta.label] = (qs.count(), latest)
    return state


def test_the_demo_has_real_partnerships_in_every_phase_reached_through_transitions():
    load()

    partnerships = list(Partnership.objects.all())
    titles = {p.title for p in partnerships}
    assert len(partnerships) >= 6
    assert {p.phase for p in partnerships} >= MAIN_PHASES
    assert tallies.drift() == {}  # every demo change went through save(): the tallies agree
    for expected in (
        "Quiero mi barrio",
        "Escuelas Inter@ctivas",
        "iMallsAmericas",
        "Handwashing Initiative in Peru",
        "Partnership for Child Nutrition in Ancash and Huancavelica",
        "SERVIVIENDA",
    ):
        assert any(expected in t for t in titles), expected
    for p in partnerships:
        changes = list(p.phase_changes.order_by("at", "pk"))
        if p.phase != Phase.INTEREST:
            # The history leads from interest to the current phase, one real transition a step.
            assert changes[0].from_phase == Phase.INTEREST
            assert changes[-1].to_phase == p.phase
            assert all(a.to_phase == b.from_phase for a, b in zip(changes, changes[1:]))
    closed = Partnership.objects.get(phase=Phase.CLOSURE)
    assert closed.closure_outcome and closed.closed_on
    assert closed.assessments.filter(recommendation="close").exists()
    assert Partnership.objects.filter(
        phase=Phase.OPERATION, contributions__deliveries__isnull=False
    )
    operating = Partnership.objects.get(title__startswith="Partnership for Child Nutrition")
    assert operating.meetings.filter(attendances__minutes_confirmed_at__isnull=False).exists()
    assert operating.objectives.filter(indicators__measurements__isnull=False).exists()
    # Every member of every demo partnership has a signatory from its own organisation.
    members = Member.objects.select_related("signatory")
    assert members.exists()
    assert all(m.signatory and m.signatory.organisation_id == m.organisation_id for m in members)


def test_each_demo_login_has_its_role_and_can_log_in(client):
    output = load()

    expected = {
        "facilitator": Role.FACILITATOR,
        "official": Role.OFFICIAL,
        "partner": Role.PARTNER,
        "donor": Role.DONOR,
        "admin": Role.ADMINISTRATOR,
    }
    for key, role in expected.items():
        user = User.objects.get(email=email_for(key))
        assert user.role == role
        assert email_for(key) in output
        assert client.login(email=user.email, password=DEMO_PASSWORD)
        client.logout()
    admin = User.objects.get(email=email_for("admin"))
    assert admin.is_staff and admin.is_superuser
    assert User.objects.filter(email__endswith="@demo.alianza.org", language="es").exists()


def test_demo_users_see_their_partnerships():
    load()

    facilitator = User.objects.get(email=email_for("facilitator"))
    assert Partnership.objects.visible_to(facilitator).count() == Partnership.objects.count()
    official = User.objects.get(email=email_for("official"))
    official_sees = Partnership.objects.visible_to(official)
    assert official_sees.count() >= 3
    assert Member.objects.filter(
        organisation=official.organisation, role=MemberRole.PUBLIC_ENTITY, signatory=official
    ).exists()
    donor = User.objects.get(email=email_for("donor"))
    funded = Member.objects.filter(organisation=donor.organisation, role=MemberRole.FUNDER)
    assert funded.count() >= 3
    assert Partnership.objects.visible_to(donor).count() == funded.count()


def test_the_facilitator_sees_the_demo_partnerships_in_their_phases(client):
    load()

    client.login(email=email_for("facilitator"), password=DEMO_PASSWORD)
    page = client.get(reverse("partnerships:list")).content.decode()
    assert "Escuelas Inter@ctivas" in page
    assert "Handwashing Initiative in Peru" in page


def test_loading_the_demo_twice_changes_nothing():
    load()
    before = snapshot()

    output = load()

    assert snapshot() == before
    assert "0 created" in output
