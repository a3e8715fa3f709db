"""The one table of amendments: the README shows it as the app does, and each kind's scope and
signers are what the table says."""

from pathlib import Path

import pytest
from django.urls import reverse

from partnerships.amendments import kinds

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_the_table_the_app_applies():
    assert kinds.markdown_table() in README.read_text(encoding="utf-8")


def test_a_timing_amendment_moves_periods_but_not_amounts():
    before = {
        "end_date": "2027-12-31",
        "contributions": [{"member": "A", "planned_amount": "10", "period_end": "2027-12-31"}],
    }
    extended = {
        "end_date": "2028-06-30",
        "contributions": [{"member": "A", "planned_amount": "10", "period_end": "2028-06-30"}],
    }
    assert kinds.out_of_scope("timing", before, extended) == []
    richer = {
        **extended,
        "contributions": [{**extended["contributions"][0], "planned_amount": "99"}],
    }
    assert kinds.out_of_scope("timing", before, richer) == ["Contributions"]


@pytest.mark.django_db
def test_the_app_shows_the_table(client, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("partnerships:amendment_kinds")).content.decode()
    for k in kinds.KINDS.values():
        assert str(k.label) in page


def test_every_agreed_field_is_changed_by_exactly_one_kind():
    from partnerships.models import Partnership

    for name in Partnership.AGREED_FIELDS:
        owners = [k.value for k in kinds.KINDS.values() if name in k.changes]
        assert len(owners) == 1, (name, owners)


def test_a_correction_cannot_rewrite_a_commitment():
    before = {"title": "Agua", "governance": "Quarterly committee", "general_objective": "Less"}
    after = {"title": "Agua segura", "governance": "Yearly", "general_objective": "More"}
    assert kinds.out_of_scope("correction", before, after) == ["General objective", "Governance"]
