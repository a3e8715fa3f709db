"""Second factors: signing off asks for the code in the same form as Approve (page and API);
logging in asks for it after the password; roles that need one are asked to enrol first."""

import pytest
from django.urls import reverse

from actors.models import Role
from partnerships import gates
from partnerships.models import Decision, GateStatus
from tests.factories import UserFactory

from .conftest import PASSWORD, enrol_totp, recovery_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def gate(interest):
    partnership, official = interest
    return gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )


def test_the_decision_form_asks_for_the_code_of_an_enrolled_person(client, gate):
    official = gate.approvals.get().approver
    phone = enrol_totp(official)
    client.force_login(official)
    page = client.get(reverse("partnerships:gate_detail", args=[gate.pk])).content.decode()
    assert 'id="approve_code"' in page and 'id="refuse_code"' in page
    approve = reverse("partnerships:gate_approve", args=[gate.pk])

    no_code = client.post(approve, {"password": PASSWORD})
    assert no_code.status_code == 400
    assert "Enter the code from your authenticator app" in no_code.content.decode()
    wrong = client.post(approve, {"password": PASSWORD, "code": "123456"})
    assert wrong.status_code == 400 and "This code is not right" in wrong.content.decode()
    wrong_password = client.post(approve, {"password": "nope", "code": phone.now()})
    assert "This is not your password." in wrong_password.content.decode()
    assert gate.approvals.get().decision == Decision.PENDING

    ok = client.post(approve, {"password": PASSWORD, "code": phone.now()})
    assert ok.status_code == 302
    gate.refresh_from_db()
    assert gate.status == GateStatus.APPROVED


def test_a_recovery_code_signs_once(client, interest):
    partnership, official = interest
    enrol_totp(official)
    codes = recovery_codes(official)
    first = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    client.force_login(official)
    refuse = reverse("partnerships:gate_refuse", args=[first.pk])
    response = client.post(refuse, {"password": PASSWORD, "code": codes[0], "comment": "Not yet"})
    assert response.status_code == 302
    assert first.approvals.get().decision == Decision.REFUSED
    second = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    again = client.post(
        reverse("partnerships:gate_refuse", args=[second.pk]),
        {"password": PASSWORD, "code": codes[0], "comment": "Not yet"},
    )
    assert again.status_code == 400 and "already used" in again.content.decode()


def test_the_api_decision_takes_the_code_too(gate, client_for):
    official = gate.approvals.get().approver
    phone = enrol_totp(official)
    api = client_for(official)
    url = f"/api/gate-requests/{gate.pk}/approve/"
    missing = api.post(url, {"password": PASSWORD}, format="json")
    assert missing.status_code == 409
    assert "authenticator app" in " ".join(missing.json()["reasons"])
    ok = api.post(url, {"password": PASSWORD, "code": phone.now()}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "approved"


def test_login_asks_for_the_code_after_the_password(client):
    user = UserFactory(role=Role.FACILITATOR)
    phone = enrol_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    assert client.get(reverse("dashboard")).status_code == 302  # not logged in yet
    response = client.post(reverse("mfa_authenticate"), {"code": phone.now()})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


@pytest.mark.parametrize(
    "required, person",
    [
        (["official"], "official"),
        (["administrator"], "administrator"),
        (["signatory"], "signatory"),
    ],
)
def test_people_whose_role_needs_a_second_factor_are_asked_to_enrol(
    client, settings, design, required, person
):
    settings.ALIANZA_MFA_REQUIRED_ROLES = required
    partnership, official = design
    user = {
        "official": official,
        "administrator": UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
        "signatory": partnership.members.first().signatory,
    }[person]
    client.force_login(user)
    response = client.get(reverse("partnerships:my_signoffs"))
    assert response.status_code == 302 and response.url == reverse("accounts:security")
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Your role needs a second factor" in page
    # What they need to enrol stays reachable.
    assert client.get(reverse("mfa_index")).status_code == 200
    enrol_totp(user)
    assert client.get(reverse("partnerships:my_signoffs")).status_code == 200


def test_people_whose_role_does_not_need_one_go_on(client, settings, design):
    settings.ALIANZA_MFA_REQUIRED_ROLES = ["official", "signatory", "administrator"]
    partnership, _official = design
    client.force_login(partnership.facilitator)
    assert client.get(reverse("partnerships:my_signoffs")).status_code == 200


def test_the_demo_settings_require_no_second_factor_and_production_does():
    from config.settings import base

    assert base.ALIANZA_MFA_REQUIRED_ROLES == []
    import subprocess
    import sys

    code = (
        "import os;"
        "os.environ.update(SECRET_KEY='x'*60, AUDIT_KEY='y'*40, ALLOWED_HOSTS='alianza.example.org');"
        "os.environ.pop('ALIANZA_MFA_REQUIRED_ROLES', None);"
        "from config.settings import production as p;"
        "print(','.join(p.ALIANZA_MFA_REQUIRED_ROLES))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "official,signatory,administrator"
