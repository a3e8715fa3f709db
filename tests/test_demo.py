"""The demo loader: real partnerships in every phase, one login per role, real sign-offs, and
idempotence. The demo is loaded once for the module (it takes a while) and flushed after it."""

import datetime
import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from actors.models import Role, User
from demo.dataset import DEMO_PASSWORD, email_for
from partnerships import gates, services
from partnerships.models import (
    ApprovalCapacity,
    Conflict,
    Decision,
    GateRequest,
    GateStatus,
    HealthCheckResponse,
    MatrixRow,
    Member,
    MemberRole,
    Partnership,
    Phase,
    ProblemNode,
    tallies,
)
from reminders.models import AssessmentDue
from reports import services as reports
from reports.models import DocumentKind
from risks.models import ReviewKind, Risk

pytestmark = pytest.mark.django_db

MAIN_PHASES = {Phase.INTEREST, Phase.DESIGN, Phase.OPERATION, Phase.ASSESSMENT, Phase.CLOSURE}


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The output of loading the demo, once for the module's tests (each test's own changes are
    rolled back); flushed afterwards for the other modules."""
    with django_db_blocker.unblock():
        output = load()
    yield output
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def fingerprint() -> dict:
    """Every table of the database: its row count and a hash of all its rows."""
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names()):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from the schema
            rows = sorted(repr(row) for row in cursor.fetchall())
            state[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return state


def test_the_demo_has_real_partnerships_in_every_phase_reached_through_transitions(demo):
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
    assert closed.closure_note.lessons_learned
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


def test_each_demo_login_has_its_role_and_can_log_in(demo, client):
    output = demo
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


def test_demo_users_see_their_partnerships(demo):
    facilitator = User.objects.get(email=email_for("facilitator"))
    assert Partnership.objects.visible_to(facilitator).count() == Partnership.objects.count()
    official = User.objects.get(email=email_for("official"))
    official_sees = Partnership.objects.visible_to(official)
    assert official_sees.count() >= 3
    assert Member.objects.filter(
        organisation=official.organisation, role=MemberRole.PUBLIC_ENTITY, signatory=official
    ).exists()
    donor = User.objects.get(email=email_for("donor"))
    funded = Member.objects.filter(
        organisation=donor.organisation, role=MemberRole.FUNDER, partnership__is_working_copy=False
    )
    assert funded.count() >= 3
    assert Partnership.objects.visible_to(donor).count() == funded.count()


def test_the_facilitator_sees_the_demo_partnerships_in_their_phases(demo, client):
    client.login(email=email_for("facilitator"), password=DEMO_PASSWORD)
    page = client.get(reverse("partnerships:list")).content.decode()
    assert "Escuelas Inter@ctivas" in page
    assert "Handwashing Initiative in Peru" in page


def test_the_demo_registers_risks_past_interest_with_owners_reviews_and_a_blocked_gate(demo):
    assert not Partnership.objects.get(title="iMallsAmericas").risks.exists()
    assert Risk.objects.overdue().exists()
    handwashing = Partnership.objects.get(title="Handwashing Initiative in Peru")
    rotation = handwashing.risks.get(title="Rotation of public sector officials")
    assert rotation.owner.organisation.acronym == "MINEDU"
    assert [r.kind for r in rotation.reviews.order_by("reviewed_on")] == [
        ReviewKind.IDENTIFIED,
        ReviewKind.REVIEW,
    ]
    assert list(handwashing.risks.filter(score__gte=15).lacking_owner_or_mitigation()) == []
    # Risks are part of the agreement the partners signed (written while in design).
    assert {r.phase_identified for r in Risk.objects.all()} == {Phase.DESIGN}
    # In design, a high risk without an owner keeps the agreement from being signed.
    in_design = Partnership.objects.get(title="Escuelas Inter@ctivas")
    reasons = services.transition_blockers(in_design, "start_operation")
    assert any("Political intentions prevail" in r for r in reasons)


def test_the_demo_fills_the_work_of_each_phase(demo):
    for title in ("Quiero mi barrio", "Handwashing", "SERVIVIENDA", "iMallsAmericas"):
        p = Partnership.objects.get(title__startswith=title)
        assert ProblemNode.objects.filter(partnership=p).count() >= 4, title
        assert MatrixRow.objects.filter(partnership=p).exists(), title
    assert Conflict.objects.filter(parties__isnull=False).distinct().count() == 3
    assert HealthCheckResponse.objects.count() == 16
    nutrition = Partnership.objects.get(title__startswith="Partnership for Child Nutrition")
    assert AssessmentDue.objects.filter(partnership=nutrition, done=False).count() == 3


def test_every_demo_gate_passed_through_a_sign_off_and_the_agreements_name_who_signed(demo):
    facilitator = User.objects.get(email=email_for("facilitator"))
    for p in Partnership.objects.all():
        gated = [c for c in p.phase_changes.all() if gates.is_gated(c.transition)]
        passed = GateRequest.objects.filter(partnership=p, status=GateStatus.APPROVED)
        assert sorted(g.transition for g in passed) == sorted(c.transition for c in gated)
        assert all(c.by == facilitator and "Signed off by" in c.note_text for c in gated)
        for gate in passed:
            decisions = list(gate.approvals.all())
            assert decisions and all(a.decision == Decision.APPROVED for a in decisions)
            assert any(a.approver.role == Role.OFFICIAL for a in decisions)
            moved = p.phase_changes.get(transition=gate.transition)
            assert timezone.localdate(gate.decided_at) == timezone.localdate(moved.at)
    nutrition = Partnership.objects.get(title__startswith="Partnership for Child Nutrition")
    agreement = nutrition.documents.get(kind=DocumentKind.AGREEMENT, version=1)
    signed = GateRequest.objects.get(
        partnership=nutrition, transition="start_operation", status=GateStatus.APPROVED
    )
    assert agreement.gate_request == signed and agreement.fingerprint == signed.fingerprint
    # Its amendment, signed in July: version 2, by the signatories and an official.
    amended = nutrition.documents.get(kind=DocumentKind.AGREEMENT, version=2)
    amendment = nutrition.amendments.get(number=1)
    assert amended.gate_request == amendment.sign_off == gates.signed_agreement(nutrition)
    assert timezone.localdate(amendment.signed_at) == datetime.date(2026, 7, 15)
    assert agreement.superseded_by == amended
    signatories = {m.signatory.full_name for m in nutrition.members.select_related("signatory")}
    assert {s["name"] for s in reports.signatures(agreement)} == signatories
    assert set(signed.approvals.values_list("capacity", flat=True)) == {ApprovalCapacity.SIGNATORY}
    html = reports.render_html(agreement)
    assert "No sign-off is on record" not in html
    assert all(name in html for name in signatories)
    assert "12 de enero de 2026" in html  # the day of the story it was signed (in Spanish)


def test_loading_the_demo_twice_changes_nothing(demo):
    before = fingerprint()

    output = load()

    assert fingerprint() == before
    assert "0 created" in output


@pytest.mark.django_db
def test_the_demo_s_changes_are_attributed_to_the_people_who_made_them():
    from partnerships.models import AuditEntry

    call_command("load_demo", stdout=StringIO())
    records = AuditEntry.objects.filter(action__startswith="record.")
    assert records.exists()
    assert not records.filter(actor=None).exists()
    confirmations = records.filter(object_type="partnerships.attendance")
    assert confirmations.exclude(actor__role="facilitator").exists()
