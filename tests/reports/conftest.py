"""Partnerships with everything a document shows, and the sign-off that approved them."""

import datetime
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from actors.models import Role
from partnerships import services as partnership_services
from partnerships.models import (
    Activity,
    ApprovalCapacity,
    Assessment,
    Attendance,
    Decision,
    Delivery,
    GateApproval,
    GateRequest,
    GateStatus,
    Measurement,
    Meeting,
    MemberRole,
    Phase,
)
from partnerships.signals import gate_requested
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    complete_agreement,
    make_designable,
)


def designed_partnership(*, language="en", title=None):
    """A partnership in design with a complete agreement, a funder and Spanish-looking text."""
    partnership = PartnershipFactory(
        language=language,
        title=title or "Agua segura para Huancavelica: niñas, niños y acción comunitaria",
    )
    make_designable(partnership)
    funder = MemberFactory(
        partnership=partnership,
        organisation=OrganisationFactory(name=f"Cooperación Española {partnership.pk}"),
        role=MemberRole.FUNDER,
    )
    complete_agreement(partnership)
    funder.refresh_from_db()
    partnership.governance = (
        "Comité de gestión con reuniones trimestrales; decisiones por consenso."
    )
    partnership.communication_lead = "Ministerio de Salud (Dirección de Promoción)"
    partnership.save()
    partnership_services.partnership_transition(
        name="start_design", partnership=partnership, by=partnership.facilitator
    )
    partnership.refresh_from_db()
    return partnership


def open_design_gate(partnership):
    """A design-gate request as the sign-off opens it: content frozen, one approver per
    signatory and a public official; ``gate_requested`` sent inside the transaction."""
    from django.db import transaction

    with transaction.atomic():
        request = GateRequest.objects.create(
            partnership=partnership,
            transition="start_operation",
            fingerprint=partnership.agreed_fingerprint(),
            content=partnership.agreed_content(),
            requested_by=partnership.facilitator,
        )
        official = UserFactory(
            role=Role.OFFICIAL,
            full_name="Dra. María José Núñez",
            position="Directora General",
            organisation=partnership.members.get(role=MemberRole.PUBLIC_ENTITY).organisation,
        )
        GateApproval.objects.create(
            request=request,
            approver=official,
            capacity=ApprovalCapacity.OFFICIAL,
            member=partnership.members.get(role=MemberRole.PUBLIC_ENTITY),
        )
        for member in partnership.members.select_related("signatory"):
            GateApproval.objects.create(
                request=request,
                approver=member.signatory,
                capacity=ApprovalCapacity.SIGNATORY,
                member=member,
            )
        gate_requested.send(sender=GateRequest, gate_request=request)
    return request


def approve_and_start(partnership, request):
    """Every approver approves the frozen fingerprint; the transition runs."""
    for i, approval in enumerate(request.approvals.all()):
        approval.decision = Decision.APPROVED
        approval.fingerprint = request.fingerprint
        approval.decided_at = timezone.now()
        approval.reference = f"SO-{request.pk}-{i + 1:02d}"
        approval.ip_address = "192.0.2.10"
        approval.save()
    partnership_services.partnership_transition(
        name="start_operation", partnership=partnership, by=partnership.facilitator
    )
    GateRequest.objects.filter(pk=request.pk).update(
        status=GateStatus.APPROVED, decided_at=timezone.now()
    )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION
    return partnership


def record_operation(partnership):
    """Measurements, deliveries, activities and meetings in the first half of 2026."""
    indicator = partnership.objectives.first().indicators.first()
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 3, 1), value=25)
    Measurement.objects.create(indicator=indicator, measured_on=datetime.date(2026, 5, 1), value=35)
    contribution = partnership.contributions.first()
    for day, amount in ((datetime.date(2026, 2, 1), 2500), (datetime.date(2026, 4, 1), 1500)):
        Delivery.objects.create(contribution=contribution, delivered_on=day, amount=amount)
    contribution.delivered_amount = Decimal(4000)
    contribution.save()
    Activity.objects.create(
        partnership=partnership,
        title="Capacitación en lavado de manos en escuelas rurales",
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 6, 30),
        responsible=partnership.facilitator,
        indicator=indicator,
        status="in_progress",
    )
    meeting = Meeting.objects.create(
        partnership=partnership,
        title="Reunión del comité de gestión",
        held_at=timezone.make_aware(datetime.datetime(2026, 4, 15, 10, 0)),
        place="Huancavelica",
    )
    Attendance.objects.create(
        meeting=meeting, person=partnership.facilitator, minutes_confirmed_at=timezone.now()
    )
    return partnership


def add_assessment(partnership):
    return Assessment.objects.create(
        partnership=partnership,
        results_summary="El 35 % de los hogares se lava las manos; la meta era 60 %.",
        lessons_learned="La participación de las comunidades campesinas fue decisiva.",
        recommendation="close",
    )


def pdf_text(path_or_bytes) -> str:
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def pdfsig(data: bytes, tmp_path) -> str:
    path = tmp_path / "checked.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
    return result.stdout + result.stderr


@pytest.fixture(autouse=True)
def _own_media_root(request, settings, tmp_path):
    """Files of each test in its own directory (a real worker process keeps the default)."""
    if not request.node.get_closest_marker("celery_worker"):
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def designed():
    return designed_partnership()
