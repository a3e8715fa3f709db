import pytest
from django.urls import reverse

from partnerships import gates
from partnerships.gates.forms import GateRequestForm
from partnerships.models import Assessment, AuditEntry, Decision, GateRequest, GateStatus, Phase
from tests.api.builders import build
from tests.factories import OrganisationFactory

from .conftest import PASSWORD, official_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate(interest):
    partnership, official = interest
    return gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )


def test_facilitator_requests_a_gate_through_the_page(client, interest):
    partnership, official = interest
    client.force_login(partnership.facilitator)
    url = reverse("partnerships:gate_request", args=[partnership.pk])
    page = client.get(url)
    assert "Olga Official" in page.content.decode()
    response = client.post(
        url, {"transition": "start_design", "officials": [official.pk], "comment": "Go"}
    )
    gate = GateRequest.objects.get()
    assert response.url == reverse("partnerships:gate_detail", args=[gate.pk])
    assert gate.comment == "Go" and gate.approvals.get().approver == official


def test_request_page_shows_why_a_gate_cannot_be_requested(client, interest):
    partnership, official = interest
    official.role = "partner"
    official.save()
    client.force_login(partnership.facilitator)
    response = client.post(
        reverse("partnerships:gate_request", args=[partnership.pk]),
        {"transition": "start_design", "officials": []},
    )
    assert response.status_code == 200
    assert not GateRequest.objects.exists()
    assert "No public official can sign off" in response.content.decode()


def test_signing_off_asks_for_the_password_in_the_decision_form(client, gate):
    official = gate.approvals.get().approver
    client.force_login(official)
    approve = reverse("partnerships:gate_approve", args=[gate.pk])
    detail = reverse("partnerships:gate_detail", args=[gate.pk])
    page = client.get(detail).content.decode()
    assert 'id="approve_password"' in page and 'id="refuse_password"' in page

    missing = client.post(approve, {"comment": "ok"})
    assert missing.status_code == 400
    assert "Enter your password to sign off." in missing.content.decode()
    wrong = client.post(approve, {"comment": "ok", "password": "nope"})
    assert wrong.status_code == 400 and "This is not your password." in wrong.content.decode()
    assert gate.approvals.get().decision == Decision.PENDING

    response = client.post(
        approve, {"comment": "ok", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9"
    )
    assert response.url == detail
    gate.refresh_from_db()
    assert gate.status == GateStatus.APPROVED
    assert gate.partnership.phase == Phase.DESIGN
    assert gate.approvals.get().ip_address == "203.0.113.9"
    assert AuditEntry.objects.get(action="gate.approval").ip_address == "203.0.113.9"
    # The transition's audit entry got the address from the request, too.
    assert AuditEntry.objects.get(action="partnership.transition").ip_address == "203.0.113.9"


def test_no_password_page_grants_a_later_decision(client, gate):
    """The old "sudo mode" page is gone: each decision carries its own password."""
    official = gate.approvals.get().approver
    client.force_login(official)
    assert client.get("/partnerships/confirm-password/").status_code == 404
    response = client.post(reverse("partnerships:gate_refuse", args=[gate.pk]), {"comment": "x"})
    assert response.status_code == 400
    assert gate.approvals.get().decision == Decision.PENDING


def test_refusal_without_a_reason_shows_the_error_next_to_the_field(client, gate):
    official = gate.approvals.get().approver
    client.force_login(official)
    response = client.post(
        reverse("partnerships:gate_refuse", args=[gate.pk]), {"comment": "", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Say why you refuse." in response.content.decode()
    assert gate.approvals.get().decision == Decision.PENDING


def test_people_not_assigned_cannot_decide_even_with_the_password(client, gate):
    facilitator = gate.partnership.facilitator
    client.force_login(facilitator)
    response = client.post(
        reverse("partnerships:gate_approve", args=[gate.pk]), {"password": PASSWORD}
    )
    assert response.status_code == 403
    assert gate.approvals.get().decision == Decision.PENDING


def test_my_signoffs_lists_what_waits_for_me(client, gate):
    official = gate.approvals.get().approver
    client.force_login(official)
    page = client.get(reverse("partnerships:my_signoffs")).content.decode()
    assert gate.partnership.title in page
    assert reverse("partnerships:gate_detail", args=[gate.pk]) in page


def test_gate_status_partial_shows_open_request_approved_and_awaited(rf, gate):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = gate.partnership.facilitator
    html = render_to_string(
        "partnerships/_gate_status.html", {"partnership": gate.partnership}, request=request
    )
    assert "Waiting for sign-off" in html
    assert "Olga Official" in html
    assert reverse("partnerships:gate_detail", args=[gate.pk]) in html


def test_facilitator_cancels_an_open_request(client, gate):
    client.force_login(gate.partnership.facilitator)
    client.post(reverse("partnerships:gate_cancel", args=[gate.pk]))
    gate.refresh_from_db()
    assert gate.status == GateStatus.CANCELLED


# ----- the close sign-off: to whom the partnership is transferred ------------------------------


@pytest.fixture
def closable():
    """A partnership in assessment whose assessment recommends closing, with one official."""
    partnership = build("assessment")
    Assessment.objects.create(partnership=partnership, recommendation="close")
    return partnership, official_of(partnership, full_name="Olga Official")


def _ask_to_close(client, partnership, official, **data):
    client.force_login(partnership.facilitator)
    return client.post(
        reverse("partnerships:gate_request", args=[partnership.pk]),
        {
            "transition": "close",
            "officials": [official.pk],
            "outcome": "transferred",
            "comment": "The ministry takes it over.",
            "handover_note": "Files are in the shared drive.",
            **data,
        },
    )


def test_closing_as_transferred_to_an_actor_typed_by_name(client, closable):
    partnership, official = closable
    receiver = OrganisationFactory(name="Gobierno Regional de Ancash", acronym="GRA")
    response = _ask_to_close(
        client, partnership, official, transferred_to="gobierno regional DE ancash"
    )
    gate = GateRequest.objects.get()
    assert response.url == reverse("partnerships:gate_detail", args=[gate.pk])
    assert gate.arguments["transferred_to"] == receiver.pk
    gates.signoff_approve(gate_request=gate, by=official)
    partnership.refresh_from_db()
    assert (partnership.phase, partnership.closure_outcome, partnership.transferred_to) == (
        Phase.CLOSURE,
        "transferred",
        receiver,
    )


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("Gobierno Regional", "No organisation is called “Gobierno Regional”."),
        ("GRA", "Several organisations go by “GRA”"),
    ],
)
def test_a_name_that_is_not_one_actor_is_shown_next_to_the_field_keeping_the_rest(
    client, closable, typed, error
):
    partnership, official = closable
    OrganisationFactory(name="Gobierno Regional de Ancash", acronym="GRA")
    OrganisationFactory(name="Gobierno Regional de Apurímac", acronym="GRA")
    response = _ask_to_close(client, partnership, official, transferred_to=typed)
    assert response.status_code == 200
    assert not GateRequest.objects.exists()
    html = response.content.decode()
    field = html[html.index('id="field-transferred_to"') :]
    field = field[: field.index("</div>")]
    assert error in field
    assert f'value="{typed}"' in field
    assert "Say to which actor" not in html  # one error, not two
    assert "The ministry takes it over." in html
    assert "Files are in the shared drive." in html
    assert '<option value="transferred" selected>' in html


# ----- the close sign-off's form: the receiving actor by name -----------------------------------


@pytest.fixture
def closing(closable):
    """The close sign-off's form for ``closable``, filled with ``data``, validated."""
    partnership, official = closable

    def fill(**data):
        data = {"transition": "close", "officials": [official.pk], "comment": "", **data}
        form = GateRequestForm(data, partnership=partnership)
        form.is_valid()
        return form

    return fill


def test_closing_as_transferred_resolves_the_typed_name_of_the_receiving_actor(closing):
    minsa = OrganisationFactory(name="Ministerio de Salud")
    form = closing(outcome="transferred", transferred_to=" ministerio de SALUD ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["transferred_to"] == minsa


def test_closing_to_an_unknown_actor_says_so_once(closing):
    OrganisationFactory(name="Ministerio de Salud")
    form = closing(outcome="transferred", transferred_to="Ministerio de Saludd")
    assert form.errors["transferred_to"] == [
        "No organisation is called “Ministerio de Saludd”. Type its whole name or acronym, or "
        "choose one of the suggestions."
    ]


def test_closing_to_an_ambiguous_name_asks_for_the_exact_one(closing):
    OrganisationFactory(name="Mesa de Concertación", acronym="MCLCP")
    OrganisationFactory(name="Mesa de Concertación Regional", acronym="MCLCP")
    form = closing(outcome="transferred", transferred_to="mclcp")
    [error] = form.errors["transferred_to"]
    assert error.startswith("Several organisations go by “mclcp”: Mesa de Concertación, Mesa")


def test_closing_as_transferred_still_needs_the_receiving_actor(closing):
    form = closing(outcome="transferred", transferred_to="  ")
    assert form.errors["transferred_to"] == ["Say to which actor it is transferred."]
    form = closing(outcome="terminated")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["transferred_to"] is None


def test_the_closing_form_lists_no_organisation(closing):
    OrganisationFactory.create_batch(30)
    html = str(closing(outcome="transferred")["transferred_to"])
    assert "<option" not in html and "Organisation " not in html
