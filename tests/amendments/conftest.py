"""A signed partnership (in operation) to amend, and the people who sign."""

import pytest

from partnerships.amendments import services
from partnerships.models import Indicator
from tests.reports.conftest import approve_and_start, designed_partnership, open_design_gate


@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed():
    partnership = designed_partnership()
    approve_and_start(partnership, open_design_gate(partnership))
    return partnership


def open_amendment(partnership, kind="results", reason="The baseline study found more schools."):
    return services.amendment_open(
        partnership=partnership, kind=kind, reason=reason, by=partnership.facilitator
    )


def raise_first_target(amendment, to="90"):
    """Change the first indicator's target in the working copy, as the indicator page does."""
    indicator = Indicator.objects.filter(objective__partnership=amendment.working_copy).first()
    indicator.target = to
    indicator.save()
    return indicator


def sign_everything(amendment):
    """Every person assigned approves, in turn (the last approval merges)."""
    from partnerships.gates.signoff import signoff_approve
    from partnerships.models import Decision

    gate = amendment.sign_off
    for approval in list(gate.approvals.filter(decision=Decision.PENDING)):
        signoff_approve(by=approval.approver, gate_request=gate)
    amendment.refresh_from_db()
    return amendment
