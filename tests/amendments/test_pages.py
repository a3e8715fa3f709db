"""The amendment through its pages: open it, change the working copy with the design pages, read
the changes, submit, sign with the password, and see the new version on the partnership page."""

import pytest
from django.urls import reverse

from partnerships.models import Amendment, AmendmentStatus, Decision, Indicator, Partnership
from reports.models import Document, DocumentKind

pytestmark = pytest.mark.django_db
PASSWORD = "secret-pass-123"


def test_a_results_amendment_from_opening_to_the_new_version(client, signed):
    client.force_login(signed.facilitator)
    page = client.get(signed.get_absolute_url()).content.decode()
    assert reverse("partnerships:amendment_new", args=[signed.pk]) in page

    # A reason is required; the error stands next to the form, nothing is created.
    new = reverse("partnerships:amendment_new", args=[signed.pk])
    missing = client.post(new, {"kind": "results", "reason": ""})
    assert missing.status_code == 200 and "This field is required." in missing.content.decode()
    assert not Amendment.objects.exists()

    opened = client.post(new, {"kind": "results", "reason": "More schools joined."})
    amendment = Amendment.objects.get()
    assert opened.url == amendment.get_absolute_url()
    copy = amendment.working_copy

    # The working copy's pages are the design pages, with a banner that says what they are.
    copy_page = client.get(copy.get_absolute_url()).content.decode()
    assert "Working copy of an amendment." in copy_page
    indicator = Indicator.objects.filter(objective__partnership=copy).get()
    edit = reverse("partnerships:indicator_edit", args=[copy.pk, indicator.pk])
    form = client.get(edit)
    assert form.status_code == 200
    saved = client.post(
        edit,
        {
            "objective": indicator.objective_id,
            "name": indicator.name,
            "unit": indicator.unit,
            "measure": indicator.measure,
            "baseline": "10",
            "target": "95",
            "means_of_verification": "",
        },
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]

    detail = client.get(amendment.get_absolute_url()).content.decode()
    assert "Households washing hands › Target" in detail
    assert "<del>60.00</del>" in detail and "<ins>95.00</ins>" in detail

    submitted = client.post(
        reverse("partnerships:amendment_submit", args=[signed.pk, amendment.pk])
    )
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SUBMITTED
    assert submitted.url == amendment.sign_off.get_absolute_url()
    # The signed agreement has not moved yet.
    original = Partnership.objects.get(pk=signed.pk)
    assert original.agreed_content()["objectives"][0]["indicators"][0]["target"] == "60.00"

    for approval in amendment.sign_off.approvals.filter(decision=Decision.PENDING):
        client.force_login(approval.approver)
        done = client.post(
            reverse("partnerships:gate_approve", args=[amendment.sign_off.pk]),
            {"comment": "", "password": PASSWORD},
        )
        assert done.status_code == 302
    amendment.refresh_from_db()
    assert amendment.status == AmendmentStatus.SIGNED and amendment.number == 1
    assert original.agreed_content()["objectives"][0]["indicators"][0]["target"] == "95.00"
    assert Document.objects.filter(
        partnership=signed, kind=DocumentKind.AGREEMENT, version=2, gate_request=amendment.sign_off
    ).exists()

    client.force_login(signed.facilitator)
    page = client.get(signed.get_absolute_url()).content.decode()
    assert "Original agreement" in page and "Amendment 1" in page
    # A closed amendment's working copy no longer changes.
    assert client.get(edit).status_code == 403


def test_the_working_copy_is_nobody_elses(client, signed):
    from .conftest import open_amendment

    amendment = open_amendment(signed)
    signatory = signed.members.exclude(signatory=None).first().signatory
    client.force_login(signatory)
    # A signatory sees the amendment and its changes, and cannot change the working copy.
    assert client.get(amendment.get_absolute_url()).status_code == 200
    indicator = amendment.working_copy_indicators().get()
    edit = reverse("partnerships:indicator_edit", args=[amendment.working_copy_id, indicator.pk])
    assert client.get(edit).status_code == 403
    assert (
        client.post(
            reverse("partnerships:amendment_submit", args=[signed.pk, amendment.pk])
        ).status_code
        == 403
    )
    # The API does not reach working copies at all.
    assert client.get(f"/api/partnerships/{amendment.working_copy_id}/").status_code == 404


def test_no_list_count_or_portfolio_shows_a_working_copy(client, signed, admin_user):
    from partnerships.models import tallies
    from risks.models import Risk

    from .conftest import open_amendment

    owner = signed.members.first()
    from partnerships.models.agreed import amending

    with amending():
        Risk.objects.create(
            partnership=signed, title="Unique drought risk", category="environmental_social",
            likelihood=4, impact=4, owner=owner,
        )  # fmt: skip
    before = tallies.counts("partnership.phase"), tallies.counts("risk.cell")
    amendment = open_amendment(signed)
    copy = amendment.working_copy
    assert Risk.objects.filter(partnership=copy, title="Unique drought risk").exists()
    assert (tallies.counts("partnership.phase"), tallies.counts("risk.cell")) == before
    for user in (signed.facilitator, owner.signatory, admin_user):
        client.force_login(user)
        listed = client.get(reverse("partnerships:list")).content.decode()
        assert signed.reference in listed and copy.reference not in listed
        portfolio = client.get(reverse("risks:portfolio")).content.decode()
        assert portfolio.count("Unique drought risk") == 1, user
        api = client.get("/api/partnerships/").json()
        assert copy.pk not in [p["id"] for p in api["results"]]
