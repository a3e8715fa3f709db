"""The sign-off page as the official reads it: each decision box its own, the frozen content laid
out as the agreement is, and every code (role, kind, action, phase) in the reader's words."""

import re

import lxml.html
import pytest
from django.urls import reverse
from django.utils import translation

from partnerships import gates
from partnerships.models import (
    ContributionKind,
    Decision,
    FormalisationLevel,
    GateStatus,
    MemberRole,
)

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def design_gate(design):
    partnership, official = design
    gate = gates.gate_request_create(
        partnership=partnership,
        transition="start_operation",
        by=partnership.facilitator,
        officials=[official],
    )
    return gate, official


def _as_official(client, gate, official, language="en"):
    official.language = language
    official.save()
    client.force_login(official)
    detail = reverse("partnerships:gate_detail", args=[gate.pk])
    response = client.get(detail)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _text(node) -> str:
    return " ".join(node.text_content().split())


def test_each_decision_box_has_its_own_field_and_its_label_points_to_it(client, design_gate):
    gate, official = design_gate
    page = _as_official(client, gate, official)
    approve, refuse = page.get_element_by_id("approve-form"), page.get_element_by_id("refuse-form")
    for form in (approve, refuse):
        [textarea] = form.xpath(".//textarea")
        [_label] = form.xpath(".//label[@for=$id]", id=textarea.get("id"))
        assert len(page.xpath("//*[@id=$id]", id=textarea.get("id"))) == 1
    assert approve.xpath(".//textarea/@id") != refuse.xpath(".//textarea/@id")
    # Told apart by structure (each box a named form with its own heading) and by look.
    for form in (approve, refuse):
        assert page.get_element_by_id(form.get("aria-labelledby")).tag == "h3"
    assert "Approve" in _text(page.get_element_by_id(approve.get("aria-labelledby")))
    assert "Refuse" in _text(page.get_element_by_id(refuse.get("aria-labelledby")))
    assert "button--primary" in approve.xpath(".//button/@class")[0]
    assert "button--danger" in refuse.xpath(".//button/@class")[0]
    assert "decision--approve" in approve.get("class")
    assert "decision--refuse" in refuse.get("class")


def test_the_refusal_typed_in_its_own_box_is_the_one_recorded(client, design_gate):
    gate, official = design_gate
    _as_official(client, gate, official)
    response = client.post(
        reverse("partnerships:gate_refuse", args=[gate.pk]),
        {"comment": "The contributions are not agreed yet.", "password": PASSWORD},
    )
    assert response.status_code == 302
    gate.refresh_from_db()
    assert gate.status == GateStatus.REFUSED
    approval = gate.approvals.get(approver=official)
    assert (approval.decision, approval.comment) == (
        Decision.REFUSED,
        "The contributions are not agreed yet.",
    )


def test_an_approval_comment_is_kept_with_the_approval(client, design_gate):
    gate, official = design_gate
    _as_official(client, gate, official)
    client.post(
        reverse("partnerships:gate_approve", args=[gate.pk]),
        {"comment": "Agreed.", "password": PASSWORD},
    )
    assert gate.approvals.get(approver=official).comment == "Agreed."


def test_a_refusal_without_a_reason_keeps_the_error_in_the_refusal_box(client, design_gate):
    gate, official = design_gate
    _as_official(client, gate, official)
    response = client.post(reverse("partnerships:gate_refuse", args=[gate.pk]), {})
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    assert "Say why you refuse." in _text(page.get_element_by_id("refuse-form"))
    assert "Say why you refuse." not in _text(page.get_element_by_id("approve-form"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_what_is_approved_reads_as_the_agreement_in_the_readers_words(
    client, design_gate, language
):
    gate, official = design_gate
    partnership = gate.partnership
    page = _as_official(client, gate, official, language)
    content = page.get_element_by_id("approved-content")
    text = _text(content)
    for code in ("public_entity", "implementer", "financial", "specific", "role:", "kind:"):
        assert code not in text, code
    with translation.override(language):
        # Members as a table, one row per member: organisation, role, signatory.
        [members] = content.xpath(".//table[contains(@class, 'members')]")
        rows = members.xpath("./tbody/tr")
        assert len(rows) == partnership.members.count()
        public = partnership.members.get(role=MemberRole.PUBLIC_ENTITY)
        [row] = [r for r in rows if public.organisation.name in _text(r)]
        assert str(MemberRole.PUBLIC_ENTITY.label) in _text(row)
        assert public.signatory.full_name in _text(row)
        # Objectives with their indicators, contributions with their kind and a total.
        [indicators] = content.xpath(".//table[contains(@class, 'indicators')]")
        assert "Households washing hands" in _text(indicators)
        [contributions] = content.xpath(".//table[contains(@class, 'contributions')]")
        assert str(ContributionKind.FINANCIAL.label) in _text(contributions)
        assert "10000" in re.sub(r"[^0-9]", "", _text(contributions))  # however it is grouped
        assert translation.gettext("Total") in _text(contributions.xpath(".//tr")[-1])
        # Choices in words.
        assert str(FormalisationLevel.HIGH.label) in text
    # The History speaks too: no audit code.
    history = _text(page.get_element_by_id("history"))
    assert "gate.requested" not in history and "gate." not in history
    with translation.override(language):
        assert translation.gettext("Sign-off requested") in history


def test_the_history_tells_each_step_in_words(client, design_gate):
    gate, official = design_gate
    page = _as_official(client, gate, official)
    client.post(
        reverse("partnerships:gate_refuse", args=[gate.pk]),
        {"comment": "Not yet.", "password": PASSWORD},
    )
    page = lxml.html.fromstring(
        client.get(reverse("partnerships:gate_detail", args=[gate.pk])).content
    )
    history = _text(page.get_element_by_id("history"))
    assert "gate." not in history
    assert "Sign-off requested" in history
    assert "Refused" in history and "Not yet." in history
    assert history.count("Not yet.") == 1  # each step once
