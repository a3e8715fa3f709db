import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from actors.deferred import render
from actors.models import Notification, Role, Sector
from partnerships import gates, services
from partnerships.audit import Action
from partnerships.models import (
    AuditEntry,
    Decision,
    GateApproval,
    GateRequest,
    GateStatus,
    Partnership,
    Phase,
    PhaseChange,
)
from partnerships.models.agreed import SignedAgreementLocked, amending
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory, make_designable

pytestmark = pytest.mark.django_db


def _phase(partnership):
    partnership.refresh_from_db()
    return partnership.phase


def test_gate_is_refused_without_a_public_official():
    partnership = make_designable(PartnershipFactory())
    with pytest.raises(gates.GateError) as refused:
        gates.gate_request_create(
            partnership=partnership, transition="start_design", by=partnership.facilitator
        )
    assert any("No public official" in r for r in refused.value.reasons)
    assert not GateRequest.objects.exists()


def test_an_official_of_a_private_member_does_not_count():
    partnership = make_designable(PartnershipFactory())
    ngo = partnership.members.exclude(organisation__sector=Sector.PUBLIC).get().organisation
    UserFactory(organisation=ngo, role=Role.OFFICIAL)
    with pytest.raises(gates.GateError):
        gates.gate_request_create(
            partnership=partnership, transition="start_design", by=partnership.facilitator
        )


def test_gate_request_is_refused_while_the_checklist_is_not_done():
    partnership = PartnershipFactory()
    with pytest.raises(gates.GateError) as refused:
        gates.gate_request_create(
            partnership=partnership, transition="start_design", by=partnership.facilitator
        )
    assert any("two different sectors" in r for r in refused.value.reasons)


def test_suspend_is_not_a_gate():
    partnership = make_designable(PartnershipFactory())
    with pytest.raises(gates.GateError):
        gates.gate_request_create(
            partnership=partnership, transition="suspend", by=partnership.facilitator
        )


def test_approval_of_the_last_official_moves_the_partnership(
    interest, django_capture_on_commit_callbacks
):
    partnership, official = interest
    facilitator = partnership.facilitator
    with django_capture_on_commit_callbacks(execute=True):
        gate = gates.gate_request_create(
            partnership=partnership, transition="start_design", by=facilitator, comment="Ready"
        )
    assert _phase(partnership) == Phase.INTEREST
    assert gate.approvals.get().approver == official
    assert Notification.objects.filter(recipient=official, url__contains=f"/gates/{gate.pk}/")
    assert [m.to for m in mail.outbox] == [[official.email]]

    with django_capture_on_commit_callbacks(execute=True):
        gates.signoff_approve(gate_request=gate, by=official, comment="Fine", ip="10.0.0.7")

    assert _phase(partnership) == Phase.DESIGN
    gate.refresh_from_db()
    assert gate.status == GateStatus.APPROVED
    approval = gate.approvals.get()
    assert (approval.decision, approval.comment, approval.ip_address) == (
        Decision.APPROVED,
        "Fine",
        "10.0.0.7",
    )
    assert approval.fingerprint == gate.fingerprint
    change = PhaseChange.objects.get()
    assert (change.from_phase, change.to_phase, change.by) == ("interest", "design", facilitator)
    assert "Olga Official" in change.note_text and "Olga Official" not in change.comment
    assert Notification.objects.filter(recipient=facilitator, title__contains="approved").exists()
    actions = list(
        AuditEntry.objects.exclude(action__startswith="record.").values_list("action", flat=True)
    )
    assert actions == [
        Action.GATE_REQUESTED,
        Action.GATE_APPROVED,
        Action.TRANSITION,
        Action.GATE_PASSED,
    ]
    assert AuditEntry.objects.get(action=Action.GATE_APPROVED).ip_address == "10.0.0.7"


def test_signing_the_agreement_needs_every_signatory_and_the_official(design):
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    signatories = {m.signatory for m in partnership.members.all()}
    assigned = {a.approver for a in gate.approvals.all()}
    assert assigned == signatories | {official}
    for person in [official, *signatories][:-1]:
        gates.signoff_approve(gate_request=gate, by=person)
        assert _phase(partnership) == Phase.DESIGN
    gates.signoff_approve(gate_request=gate, by=[official, *signatories][-1])
    assert _phase(partnership) == Phase.OPERATION
    assert PhaseChange.objects.filter(to_phase=Phase.OPERATION).count() == 1


def test_nobody_approves_twice_and_only_assigned_people_act(design):
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    gates.signoff_approve(gate_request=gate, by=official)
    with pytest.raises(gates.GateError, match="already decided"):
        gates.signoff_approve(gate_request=gate, by=official)
    with pytest.raises(gates.GateError, match="not assigned"):
        gates.signoff_approve(gate_request=gate, by=partnership.facilitator)
    outsider = UserFactory(role=Role.OFFICIAL, organisation=OrganisationFactory(sector="public"))
    with pytest.raises(gates.GateError, match="not assigned"):
        gates.signoff_refuse(gate_request=gate, by=outsider, comment="No")
    assert gate.approvals.filter(decision=Decision.APPROVED).count() == 1


def test_a_refusal_closes_the_request_tells_the_facilitator_and_a_new_one_can_be_made(interest):
    partnership, official = interest
    facilitator = partnership.facilitator
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=facilitator
    )
    with pytest.raises(gates.GateError, match="why"):
        gates.signoff_refuse(gate_request=gate, by=official, comment="  ")
    gates.signoff_refuse(gate_request=gate, by=official, comment="The ministry is missing.")
    gate.refresh_from_db()
    assert gate.status == GateStatus.REFUSED
    assert gate.closed_reason == "The ministry is missing."
    assert _phase(partnership) == Phase.INTEREST
    notice = Notification.objects.get(recipient=facilitator)
    assert "Olga Official refused" in notice.title
    assert "The ministry is missing." in notice.body
    with pytest.raises(gates.GateError, match="closed"):
        gates.signoff_approve(gate_request=gate, by=official)
    again = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=facilitator
    )
    assert again.pk != gate.pk and again.status == GateStatus.OPEN


def test_only_one_open_request_per_partnership(interest):
    partnership, _official = interest
    gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    with pytest.raises(gates.GateError, match="already waiting"):
        gates.gate_request_create(
            partnership=partnership, transition="start_design", by=partnership.facilitator
        )


def test_changing_agreed_content_voids_approvals_and_tells_approvers_what_changed(design):
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    signatory = partnership.members.first().signatory
    gates.signoff_approve(gate_request=gate, by=official, comment="ok")
    gates.signoff_approve(gate_request=gate, by=signatory, comment="ok")
    old_fingerprint = gate.fingerprint

    partnership.governance = "Decisions by unanimity."
    partnership.save()
    changes = gates.agreed_content_saved(partnership=partnership, by=partnership.facilitator)

    assert any("Governance" in c and "Decisions by unanimity." in c for c in changes)
    gate.refresh_from_db()
    assert gate.status == GateStatus.OPEN and gate.revision == 2
    assert gate.fingerprint == partnership.agreed_fingerprint() != old_fingerprint
    assert gate.content["governance"] == "Decisions by unanimity."
    # The voided approvals stay as history; the same people are awaited again.
    assert set(
        gate.approvals.filter(decision=Decision.VOID).values_list("approver", flat=True)
    ) == {official.pk, signatory.pk}
    assert not gate.approvals.filter(decision=Decision.APPROVED).exists()
    assert gate.approvals.filter(approver=official, decision=Decision.PENDING).exists()
    notice = Notification.objects.filter(recipient=official, title__contains="void").get()
    assert "Governance" in notice.body and "Decisions by unanimity." in notice.body
    # Approvers who had not decided yet are told too.
    other = partnership.members.last().signatory
    assert Notification.objects.filter(recipient=other, title__contains="changed").exists()
    voided = AuditEntry.objects.get(action=Action.GATE_VOIDED)
    assert voided.data["fingerprint_before"] == old_fingerprint
    # Now it takes everyone again.
    for person in {a.approver for a in gate.current_approvals()}:
        gates.signoff_approve(gate_request=gate, by=person)
    assert _phase(partnership) == Phase.OPERATION


def test_a_change_made_behind_the_pages_back_is_caught_at_approval(design):
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    signatory = partnership.members.first().signatory
    gates.signoff_approve(gate_request=gate, by=signatory)
    partnership.scope = "Only one district."
    partnership.save()  # nobody calls agreed_content_saved
    with pytest.raises(gates.GateError) as refused:
        gates.signoff_approve(gate_request=gate, by=official)
    assert any("Scope" in r for r in refused.value.reasons)
    assert gate.approvals.get(approver=signatory, decision=Decision.VOID)
    assert gate.approvals.get(approver=official, decision=Decision.PENDING)


def test_a_request_is_cancelled_if_the_partnership_moved_meanwhile(interest):
    partnership, official = interest
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    services.partnership_transition(
        name="withdraw", partnership=partnership, by=partnership.facilitator, comment="Dropped"
    )
    with pytest.raises(gates.GateError, match="moved"):
        gates.signoff_approve(gate_request=gate, by=official)
    gate.refresh_from_db()
    assert gate.status == GateStatus.CANCELLED
    assert _phase(partnership) == Phase.WITHDRAWN


def test_the_signed_agreement_changes_only_by_amendment_and_each_change_is_audited(design):
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    for approval in list(gate.approvals.all()):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    assert _phase(partnership) == Phase.OPERATION
    gates.agreed_content_saved(partnership=partnership, by=partnership.facilitator)
    assert not AuditEntry.objects.filter(action=Action.CONTENT_CHANGED).exists()

    partnership.refresh_from_db()
    partnership.confidentiality = "Nothing is confidential."
    with pytest.raises(SignedAgreementLocked):
        partnership.save()
    assert Partnership.objects.get(pk=partnership.pk).confidentiality != "Nothing is confidential."
    with amending():  # the merge of a signed amendment
        partnership.save()
        gates.agreed_content_saved(
            partnership=partnership, by=partnership.facilitator, ip="10.1.1.1"
        )
    entry = AuditEntry.objects.get(action=Action.CONTENT_CHANGED)
    assert entry.actor == partnership.facilitator and entry.ip_address == "10.1.1.1"
    assert any("Nothing is confidential." in render(c) for c in entry.data["changes"])
    assert entry.data["fingerprint_before"] == gate.fingerprint


def test_close_gate_passes_its_arguments(design):
    partnership, official = design
    from partnerships.models import Assessment

    # Jump to assessment directly through the services (not what is under test here).
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_operation", by=partnership.facilitator
    )
    for approval in list(gate.approvals.all()):
        gates.signoff_approve(gate_request=gate, by=approval.approver)
    services.partnership_request_assessment(partnership=partnership, by=partnership.facilitator)
    partnership.contributions.update(delivered_amount=10)
    services.partnership_transition(
        name="start_assessment", partnership=partnership, by=partnership.facilitator
    )
    Assessment.objects.create(partnership=partnership, recommendation="close")
    partnership.refresh_from_db()
    with pytest.raises(gates.GateError, match="ends"):
        gates.gate_request_create(
            partnership=partnership, transition="close", by=partnership.facilitator
        )
    gate = gates.gate_request_create(
        partnership=partnership,
        transition="close",
        by=partnership.facilitator,
        outcome="terminated",
        handover_note="Done",
    )
    gates.signoff_approve(gate_request=gate, by=official)
    partnership.refresh_from_db()
    assert (partnership.phase, partnership.closure_outcome, partnership.handover_note) == (
        Phase.CLOSURE,
        "terminated",
        "Done",
    )


def test_audit_trail_is_append_only(interest):
    partnership, _ = interest
    gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    entry = AuditEntry.objects.get(action=Action.GATE_REQUESTED)
    entry.action = "something else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk, action=Action.GATE_REQUESTED).exists()


def test_verify_audit_names_the_row_edited_in_the_database(interest, capsys):
    from django.db import connection

    partnership, official = interest
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    gates.signoff_approve(gate_request=gate, by=official, comment="Fine")
    call_command("verify_audit")
    assert f"intact: {AuditEntry.objects.count()} entries" in capsys.readouterr().out

    tampered = AuditEntry.objects.get(action=Action.GATE_APPROVED)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET ip_address = %s WHERE id = %s",
            ["192.0.2.1", tampered.pk],
        )
    with pytest.raises(CommandError) as broken:
        call_command("verify_audit")
    assert f"id={tampered.pk}" in str(broken.value)
    assert "edited" in str(broken.value)


def test_verify_audit_finds_a_deleted_row(interest):
    from django.db import connection

    partnership, official = interest
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    gates.signoff_approve(gate_request=gate, by=official)
    second = AuditEntry.objects.get(seq=2)
    third = AuditEntry.objects.get(seq=3)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [second.pk])
    with pytest.raises(CommandError, match=f"id={third.pk}"):
        call_command("verify_audit")


def test_officials_see_partnerships_with_gates_assigned_to_them(interest):
    from partnerships.models import Partnership

    partnership, official = interest
    outsider_body = OrganisationFactory(sector="public")
    invited = UserFactory(role=Role.OFFICIAL, organisation=outsider_body)
    assert not Partnership.objects.visible_to(invited).exists()
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    GateApproval.objects.create(request=gate, approver=invited, capacity="official")
    assert list(Partnership.objects.visible_to(invited)) == [partnership]
