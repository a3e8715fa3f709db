import pytest
from django_fsm import TransitionNotAllowed

from partnerships import services
from partnerships.models import Phase, PhaseChange
from tests.factories import PartnershipFactory, complete_agreement, make_designable

pytestmark = pytest.mark.django_db


def test_interest_gate_is_refused_without_two_sectors_and_a_public_member():
    partnership = PartnershipFactory()
    with pytest.raises(services.TransitionRefused) as refused:
        services.partnership_transition(
            name="start_design", partnership=partnership, by=partnership.facilitator
        )
    assert any("two different sectors" in r for r in refused.value.reasons)
    assert any("public-sector" in r for r in refused.value.reasons)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.INTEREST
    assert not PhaseChange.objects.exists()


def test_calling_a_blocked_transition_directly_raises_and_changes_nothing():
    partnership = PartnershipFactory()
    with pytest.raises(TransitionNotAllowed):
        partnership.start_design()
    assert partnership.phase == Phase.INTEREST


def test_interest_to_design_to_operation_records_each_change():
    partnership = make_designable(PartnershipFactory())
    by = partnership.facilitator
    services.partnership_transition(
        name="start_design", partnership=partnership, by=by, comment="Ready"
    )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.DESIGN
    with pytest.raises(services.TransitionRefused) as refused:
        services.partnership_transition(name="start_operation", partnership=partnership, by=by)
    assert any("signatory" in r for r in refused.value.reasons)
    complete_agreement(partnership)
    services.partnership_transition(name="start_operation", partnership=partnership, by=by)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION
    assert partnership.operation_started_on is not None
    history = list(PhaseChange.objects.values_list("from_phase", "to_phase", "comment"))
    assert history == [("design", "operation", ""), ("interest", "design", "Ready")]


@pytest.mark.parametrize("phase", ["interest", "design", "operation", "assessment", "suspended"])
def test_transition_options_give_the_same_reasons_as_the_guards(phase):
    """The detail page computes each checklist once; its reasons must match the guards'."""
    from partnerships.models import Partnership

    p = make_designable(PartnershipFactory())
    Partnership.objects.filter(pk=p.pk).update(phase=phase)
    p.refresh_from_db()
    options = services.transition_options(p)
    reasons = [(name, reasons) for name, _items, reasons in options]
    assert reasons == services.available_transitions(p)
    assert options  # every running phase has a way out
