import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Role
from partnerships.models import Decision, GateApproval
from tests.factories import PartnershipFactory, UserFactory


def _get(client, user):
    client.force_login(user)
    return client.get(reverse("dashboard"))


def test_anonymous_is_sent_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_and_dashboard_are_the_same_page(db):
    assert reverse("home") == reverse("dashboard") == "/"


def test_facilitator_sees_phases_due_items_gates_and_recent_activity(client, world):
    world.add(2, phase="operation")
    world.add(1, phase="design")
    response = _get(client, world.facilitator)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"{reverse('partnerships:list')}?phase=operation" in body
    phases = {row["phase"]: row["count"] for row in response.context["by_phase"]}
    assert phases == {"operation": 2, "design": 1}
    due = response.context["due"]
    # In design nothing but the risk register is running yet.
    assert len(due["assessments"]) == 2
    assert len(due["activities"]) == 2
    assert len(due["risks"]) == 3
    assert len(due["contributions"]) == 2
    assert "Late workshop" in body and "Flooding" in body
    assert len(response.context["open_gates"]) == 3
    assert "1 of 1 sign-offs pending" in body
    assert "Interest → Design" in body


@pytest.mark.parametrize("phase", ["closure", "withdrawn", "suspended"])
def test_partnerships_that_are_not_running_owe_nothing(client, world, phase):
    world.add(1, phase=phase)
    response = _get(client, world.facilitator)
    due = response.context["due"]
    assert due["count"] == 0
    body = response.content.decode()
    assert "Late workshop" not in body and "Flooding" not in body
    assert "Nothing is due or overdue." in body


def test_facilitator_does_not_see_another_facilitators_partnerships(client, world):
    world.add(2)
    response = _get(client, world.other_facilitator)
    assert response.context["by_phase"] == []
    assert response.context["due"]["count"] == 0
    assert response.context["open_gates"] == []
    assert "Nothing is due or overdue." in response.content.decode()


def test_administrator_sees_the_facilitator_view_over_everything(client, world):
    world.add(2)
    PartnershipFactory()  # someone else's, in interest
    response = _get(client, world.admin)
    phases = {row["phase"]: row["count"] for row in response.context["by_phase"]}
    assert phases == {"operation": 2, "interest": 1}


def test_official_sees_what_awaits_their_sign_off_and_what_they_decided(client, world):
    world.add(2)
    decided = GateApproval.objects.filter(approver=world.official).first()
    decided.decision = Decision.APPROVED
    from django.utils import timezone

    decided.decided_at = timezone.now()
    decided.save()
    response = _get(client, world.official)
    assert response.status_code == 200
    assert len(response.context["waiting"]) == 1
    assert [a.pk for a in response.context["decided"]] == [decided.pk]
    body = response.content.decode()
    assert reverse("partnerships:gate_detail", args=[decided.request_id]) in body
    assert "Decided recently" in body


def test_donor_sees_funded_partnerships_documents_and_an_accessible_chart(client, world):
    world.add(2)
    unfunded = PartnershipFactory(title="Not ours")
    response = _get(client, world.donor)
    assert response.status_code == 200
    body = response.content.decode()
    assert {p.pk for p in response.context["funded"]} == {p.pk for p in world.partnerships}
    assert unfunded.title not in body
    assert len(response.context["documents"]) == 2
    assert reverse("reports:download", args=[response.context["documents"][0].pk]) in body
    assert "<svg" in body and 'role="img"' in body
    assert '<title id="delivered-chart-title">' in body and "<desc" in body
    assert [b.percent for b in response.context["bars"]] == [25, 25]
    assert "<caption>Contributions per partnership</caption>" in body


def test_donor_of_no_partnership_sees_empty_states(client, db):
    donor = UserFactory(role=Role.DONOR)
    body = _get(client, donor).content.decode()
    assert "Your organisation funds no partnership yet." in body
    assert "delivered-chart" not in body


def _queries(client, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["facilitator", "admin", "official", "donor", "partner"])
def test_query_count_does_not_grow_with_the_number_of_partnerships(client, world, who):
    world.add(2)
    user = getattr(world, who)
    small = _queries(client, user)
    world.add(6)
    large = _queries(client, user)
    assert small == large
    assert large <= 14


def test_logging_in_lands_on_the_dashboard(client, db):
    user = UserFactory(role=Role.FACILITATOR)
    user.set_password("s3cret-pass-word")
    user.save()
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "s3cret-pass-word"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
