import io

import pytest

from actors.models import Role
from partnerships import phase_demo
from partnerships.models import (
    Assessment,
    Conflict,
    HealthCheckResponse,
    MatrixRow,
    ProblemNode,
)
from tests.factories import PartnershipFactory, UserFactory, make_designable

from .conftest import to_assessment

pytestmark = pytest.mark.django_db


def test_demo_fills_the_demo_partnerships_once_and_skips_missing_ones():
    p = make_designable(PartnershipFactory(title="Handwashing Initiative Peru"))
    p, _a = to_assessment(p)
    Assessment.objects.update(lessons_learned="")
    UserFactory(role=Role.PARTNER, organisation=p.members.first().organisation)
    out = io.StringIO()
    phase_demo.load(out)
    assert "Quiero mi barrio" in out.getvalue() and "skipped" in out.getvalue()
    counts = (
        ProblemNode.objects.count(),
        MatrixRow.objects.count(),
        Conflict.objects.count(),
        HealthCheckResponse.objects.count(),
    )
    assert all(counts)
    assert Assessment.objects.get().lessons_learned.startswith("Keep the campaign brand-neutral")
    phase_demo.load(io.StringIO())
    assert counts == (
        ProblemNode.objects.count(),
        MatrixRow.objects.count(),
        Conflict.objects.count(),
        HealthCheckResponse.objects.count(),
    )
