import io

import pytest

from partnerships import services as partnerships
from partnerships.models import Phase
from risks import demo
from risks.models import Risk
from tests.factories import PartnershipFactory, complete_agreement, make_designable

pytestmark = pytest.mark.django_db


def test_demo_risks_are_loaded_once_on_partnerships_past_interest():
    in_operation = make_designable(PartnershipFactory(title="Handwashing Initiative"))
    by = in_operation.facilitator
    partnerships.partnership_start_design(partnership=in_operation, by=by)
    in_operation.refresh_from_db()
    complete_agreement(in_operation)
    partnerships.partnership_start_operation(partnership=in_operation, by=by)
    in_operation.refresh_from_db()
    in_design = make_designable(PartnershipFactory(title="Escuelas Inter@ctivas (ChasquiNet)"))
    partnerships.partnership_start_design(partnership=in_design, by=in_design.facilitator)
    in_design.refresh_from_db()
    still_interest = PartnershipFactory(title="Quiero mi barrio")

    out = io.StringIO()
    demo.load(out)
    first = Risk.objects.count()
    demo.load(io.StringIO())

    assert Risk.objects.count() == first > 0
    assert in_operation.risks.exists() and in_design.risks.exists()
    assert not still_interest.risks.exists()
    assert Risk.objects.overdue().exists()
    assert "SERVIVIENDA" in out.getvalue()  # reported as missing, not an error
    rotation = in_operation.risks.get(title="Rotation of public sector officials")
    assert rotation.owner is not None and rotation.reviews.count() == 2
    assert list(in_operation.risks.filter(score__gte=15).lacking_owner_or_mitigation()) == []

    complete_agreement(in_design)
    with pytest.raises(partnerships.TransitionRefused) as refused:
        partnerships.partnership_start_operation(partnership=in_design, by=in_design.facilitator)
    assert any("Political intentions prevail" in r for r in refused.value.reasons)
    in_design.refresh_from_db()
    assert in_design.phase == Phase.DESIGN
