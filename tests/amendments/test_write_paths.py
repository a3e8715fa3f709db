"""Every write path on a signed partnership: it refuses (the agreed content is signed) or it
writes exactly one audit entry, of the person who made the change.

Each URL pattern of a partnership's pages (``partnerships:``, ``risks:``) and each write route of
the API is listed here with what it does in operation: ``LOCKED`` (a 403 with its reason,
nothing written, the agreement unchanged), ``RECORDED`` (one entry of the facilitator who
posted), or a reason it is neither. A new pattern or route that is not listed fails the test,
and so does a model of the agreed content that no locked path covers.
"""

import datetime

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from partnerships.models import (
    Activity,
    AuditEntry,
    Contribution,
    Indicator,
    Measurement,
    Meeting,
    Member,
    MemberRole,
    Objective,
    PartnerCandidate,
    Partnership,
)
from partnerships.models.agreed import AgreedContent
from risks.models import Risk
from tests.api.builders import build
from tests.factories import OrganisationFactory, api_for

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today().isoformat()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
LOCKED, RECORDED = "locked", "recorded"


@pytest.fixture
def world():
    p = build("operation")
    funder = p.members.get(role=MemberRole.FUNDER)
    w = type("World", (), {})()
    w.p, w.by = p, p.facilitator
    w.member = funder
    w.objective = Objective.objects.filter(partnership=p).first()
    w.indicator = Indicator.objects.filter(objective__partnership=p).first()
    w.contribution = Contribution.objects.filter(partnership=p).first()
    w.measurement = Measurement.objects.filter(indicator=w.indicator).first()
    w.activity = Activity.objects.create(
        partnership=p, title="Radio spots", starts_on=TODAY, ends_on=TODAY
    )
    w.meeting = Meeting.objects.create(partnership=p, title="Steering", held_at=timezone.now())
    w.owned_risk = Risk.objects.create(
        partnership=p, title="Drought", category="environmental_social", likelihood=3, impact=3,
        owner=funder,
    )  # fmt: skip
    w.unowned_risk = Risk.objects.create(
        partnership=p, title="Staff turnover", category="operating", likelihood=2, impact=2
    )
    w.candidate = PartnerCandidate.objects.create(
        partnership=p, organisation=OrganisationFactory(), complementarity=4, resources=4,
        leverage=3, partnership_experience=3, development_experience=3,
    )  # fmt: skip
    return w


def _risk(w, risk, **changes):
    data = {
        "title": risk.title, "category": risk.category, "description": "",
        "phase_identified": risk.phase_identified, "likelihood": risk.likelihood,
        "impact": risk.impact, "owner": risk.owner_id or "", "mitigation": risk.mitigation,
        "contingency": "", "status": risk.status, "next_review_on": "",
    }  # fmt: skip
    return data | changes


def _edit_form(partnership) -> dict:
    from partnerships.forms import PartnershipForm

    data = {}
    for field in PartnershipForm(instance=partnership):
        value = field.value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            # A multiple choice posts each value; a text field lists them in one line.
            many = getattr(field.field.widget, "allow_multiple_selected", False)
            value = [str(v) for v in value] if many else ", ".join(str(v) for v in value)
        data[field.html_name] = value
    return data


# name -> (expected, model or None, kwargs(world), payload(world)); a str instead: why neither.
PAGES = {
    # The agreed content: refused whatever is posted. (The partnership's own form stays open
    # for what is not agreed, its agreed fields disabled: a title posted there is ignored.)
    "partnerships:edit": (
        RECORDED,
        Partnership,
        lambda w: {},
        lambda w: _edit_form(w.p) | {"title": "Changed", "public_summary": "A summary."},
    ),
    "partnerships:candidate_invite": (
        LOCKED,
        Member,
        lambda w: {"candidate": w.candidate.pk},
        lambda w: {"role": "ally"},
    ),
    "partnerships:member_add": (LOCKED, Member, lambda w: {}, lambda w: {"role": "ally"}),
    "partnerships:member_edit": (
        LOCKED,
        Member,
        lambda w: {"item": w.member.pk},
        lambda w: {"role": "ally"},
    ),
    "partnerships:member_remove": (
        LOCKED,
        Member,
        lambda w: {"item": w.member.pk},
        lambda w: {},
    ),
    "partnerships:objective_add": (
        LOCKED,
        Objective,
        lambda w: {},
        lambda w: {"kind": "specific", "description": "More"},
    ),
    "partnerships:objective_edit": (
        LOCKED,
        Objective,
        lambda w: {"item": w.objective.pk},
        lambda w: {"kind": "general", "description": "Changed", "order": 0},
    ),
    "partnerships:indicator_add": (
        LOCKED,
        Indicator,
        lambda w: {},
        lambda w: {"objective": w.objective.pk, "name": "New", "unit": "%", "target": 9},
    ),
    "partnerships:indicator_edit": (
        LOCKED,
        Indicator,
        lambda w: {"item": w.indicator.pk},
        lambda w: {
            "objective": w.objective.pk,
            "name": w.indicator.name,
            "unit": "%",
            "measure": w.indicator.measure,
            "baseline": 0,
            "target": 999,
        },
    ),
    "partnerships:contribution_add": (
        LOCKED,
        Contribution,
        lambda w: {},
        lambda w: {
            "member": w.member.pk,
            "kind": "financial",
            "description": "More",
            "planned_amount": 5,
            "currency": "EUR",
        },
    ),
    "partnerships:contribution_edit": (
        LOCKED,
        Contribution,
        lambda w: {"item": w.contribution.pk},
        lambda w: {
            "member": w.member.pk,
            "kind": "in_kind",
            "description": "Kits",
            "planned_amount": 1,
            "currency": "EUR",
        },
    ),
    "partnerships:phase_design_section": (
        LOCKED,
        Partnership,
        lambda w: {"section": "governance"},
        lambda w: {"governance": "Changed"},
    ),
    "risks:edit": (
        LOCKED,
        Risk,
        lambda w: {"risk_pk": w.owned_risk.pk},
        lambda w: _risk(w, w.owned_risk, likelihood=5, impact=5),
    ),
    "risks:close": (LOCKED, Risk, lambda w: {"risk_pk": w.owned_risk.pk}, lambda w: {"note": ""}),
    # Operational records: one entry of the person who posted.
    "partnerships:activity_add": (
        RECORDED,
        Activity,
        lambda w: {},
        lambda w: {"title": "Fair", "starts_on": TODAY, "ends_on": TODAY, "status": "planned"},
    ),
    "partnerships:activity_edit": (
        RECORDED,
        Activity,
        lambda w: {"item": w.activity.pk},
        lambda w: {
            "title": "Radio spots in Quechua",
            "starts_on": TODAY,
            "ends_on": TODAY,
            "status": "planned",
        },
    ),
    "partnerships:meeting_add": (
        RECORDED,
        Meeting,
        lambda w: {},
        lambda w: {"title": "Review", "held_at": f"{TODAY}T10:00"},
    ),
    "partnerships:meeting_edit": (
        RECORDED,
        Meeting,
        lambda w: {"item": w.meeting.pk},
        lambda w: {"title": "Steering committee", "held_at": f"{TODAY}T10:00"},
    ),
    "partnerships:measurement_add": (
        RECORDED,
        Measurement,
        lambda w: {},
        lambda w: {"indicator": w.indicator.pk, "measured_on": TODAY, "value": 27},
    ),
    "partnerships:measurement_edit": (
        RECORDED,
        Measurement,
        lambda w: {"item": w.measurement.pk},
        lambda w: {
            "indicator": w.indicator.pk,
            "measured_on": TODAY,
            "value": 26,
            "note": "Recounted.",
        },
    ),
    "partnerships:measurement_delete": (
        RECORDED,
        Measurement,
        lambda w: {"item": w.measurement.pk},
        lambda w: {"reason": "Entered twice."},
    ),
    "partnerships:delivery_add": (
        RECORDED,
        None,
        lambda w: {"item": w.contribution.pk},
        lambda w: {"delivered_on": TODAY, "amount": 10},
    ),
    "risks:add": (
        RECORDED,
        Risk,
        lambda w: {},
        lambda w: _risk(
            w,
            Risk(
                title="Floods",
                category="environmental_social",
                likelihood=2,
                impact=3,
                phase_identified="operation",
                status="open",
            ),
        ),
    ),
    "risks:review": (
        RECORDED,
        None,
        lambda w: {"risk_pk": w.owned_risk.pk},
        lambda w: {"reviewed_on": TODAY, "likelihood": 3, "impact": 3, "status": "open"},
    ),
    "partnerships:phase_conflict_new": (
        RECORDED,
        None,
        lambda w: {},
        lambda w: {
            "title": "Late payments",
            "what_happened": "Two months late.",
            "status": "open",
            "raised_on": TODAY,
        },
    ),
    "partnerships:phase_attachment_upload": (
        RECORDED,
        None,
        lambda w: {},
        lambda w: {
            "phase": "operation",
            "file": SimpleUploadedFile("minutes.pdf", PDF, "application/pdf"),
        },
    ),
}
# Writes of more than one record, each its own entry (of the same person).
ENTRIES = {"risks:add": 2}  # the risk and its first review ("identified"), two records

PAGES_NEITHER = {
    "partnerships:detail": "a page to read",
    "partnerships:candidates": "a list to read",
    "partnerships:transition": "the lifecycle, not the agreed content: PhaseChange records it",
    "partnerships:request_assessment": "a lifecycle date, recorded with the transition",
    "partnerships:gate_request": "a sign-off request: gates.signoff records it",
    "partnerships:assessment_add": "assessment phase only (404 in operation)",
    "partnerships:assessment_edit": "assessment phase only",
    "partnerships:phase_interest": "interest phase only",
    "partnerships:phase_node_add": "interest phase only",
    "partnerships:phase_node_edit": "interest phase only",
    "partnerships:phase_node_delete": "interest phase only",
    "partnerships:phase_matrix_add": "interest phase only",
    "partnerships:phase_matrix_edit": "interest phase only",
    "partnerships:phase_matrix_delete": "interest phase only",
    "partnerships:phase_design": "a page to read",
    "partnerships:phase_design_checklist": "a page to read",
    "partnerships:phase_agreement_changes": "a page to read",
    "partnerships:phase_operation": "a page to read",
    "partnerships:phase_conflict_edit": "the conflict of phase_conflict_new, same path",
    "partnerships:phase_meeting": "a page to read",
    "partnerships:phase_meeting_minutes": "the meeting of meeting_edit, same records",
    "partnerships:phase_meeting_confirm": "an attendee's confirmation, recorded on Attendance",
    "partnerships:phase_assessment": "assessment phase only",
    "partnerships:phase_assessment_new": "assessment phase only",
    "partnerships:phase_assessment_edit": "assessment phase only",
    "partnerships:phase_health_send": "assessment phase only",
    "partnerships:phase_health_respond": "anonymous by design (a respondent's scores)",
    "partnerships:phase_closure": "closure phase only",
    "partnerships:phase_attachment_download": "a file to read",
    "partnerships:phase_attachment_delete": "the attachment of phase_attachment_upload",
    "partnerships:iati": "an export to read",
    "partnerships:amendment_new": "opens an amendment: tests/amendments walk it",
    "partnerships:amendment_detail": "a page to read",
    "partnerships:amendment_submit": "an amendment's sign-off: tests/amendments walk it",
    "partnerships:amendment_withdraw": "an amendment's end: tests/amendments walk it",
    "risks:list": "a list to read",
    "risks:detail": "a page to read",
    "risks:row": "a fragment to read",
}


def _partnership_patterns(resolver=None, namespace=""):
    """Names of the URL patterns that take a partnership's ``pk``, in these namespaces."""
    resolver = resolver or get_resolver()
    names = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            names += _partnership_patterns(p, p.namespace or namespace)
        elif (
            isinstance(p, URLPattern)
            and namespace in ("partnerships", "risks")
            and "<int:pk>" in str(p.pattern)
            and p.name
        ):
            names.append(f"{namespace}:{p.name}")
    return names


def test_every_page_of_a_partnership_is_listed():
    listed = set(PAGES) | set(PAGES_NEITHER)
    missing = sorted(set(_partnership_patterns()) - listed)
    assert not missing, f"List these in PAGES or PAGES_NEITHER: {missing}"


def test_every_model_of_the_agreed_content_has_a_locked_page_and_api_route():
    agreed = {m for m in apps.get_models() if issubclass(m, AgreedContent) and not m._meta.abstract}
    by_page = {model for expected, model, *_ in PAGES.values() if expected == LOCKED}
    by_api = {model for expected, model, *_ in API.values() if expected == LOCKED}
    assert agreed <= by_page, agreed - by_page
    # Risks have no API routes (their pages are their only write path besides the admin).
    assert agreed - {Risk} <= by_api, agreed - by_api


def _entries_after(seq):
    return list(AuditEntry.objects.filter(seq__gt=seq).order_by("seq"))


def _last_seq():
    return AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_page_refuses_or_writes_one_entry_of_its_person(client, world, name):
    expected, _model, kwargs, payload = PAGES[name]
    client.force_login(world.by)
    url = reverse(name, kwargs={"pk": world.p.pk, **kwargs(world)})
    fingerprint = world.p.agreed_fingerprint()
    seq = _last_seq()
    response = client.post(url, payload(world))
    written = _entries_after(seq)
    if expected == LOCKED:
        assert response.status_code == 403, (name, response.status_code)
        assert "The agreement is signed" in response.content.decode(), name
        assert written == [], [e.action for e in written]
    else:
        assert response.status_code in (200, 302), (name, response.status_code)
        if response.status_code == 200 and response.context and "form" in response.context:
            assert not response.context["form"].errors, (name, response.context["form"].errors)
        expected_entries = ENTRIES.get(name, 1)
        assert len(written) == expected_entries, (
            name,
            [(e.action, e.object_type) for e in written],
        )
        assert {e.actor for e in written} == {world.by}, name
    assert Partnership.objects.get(pk=world.p.pk).agreed_fingerprint() == fingerprint, name


# API routes that write, by router basename: (expected, model, method, url(world), payload).
API = {
    "member": (LOCKED, Member, "post", lambda w: "/api/members/",
               lambda w: {"partnership": w.p.pk, "organisation": OrganisationFactory().pk,
                          "role": "ally"}),
    "objective": (LOCKED, Objective, "patch", lambda w: f"/api/objectives/{w.objective.pk}/",
                  lambda w: {"description": "Changed"}),
    "indicator": (LOCKED, Indicator, "patch", lambda w: f"/api/indicators/{w.indicator.pk}/",
                  lambda w: {"target": "999"}),
    "contribution": (LOCKED, Contribution, "patch",
                     lambda w: f"/api/contributions/{w.contribution.pk}/",
                     lambda w: {"planned_amount": "1"}),
    "partnership": (LOCKED, Partnership, "patch", lambda w: f"/api/partnerships/{w.p.pk}/",
                    lambda w: {"title": "Changed"}),
    "activity": (RECORDED, Activity, "post", lambda w: "/api/activities/",
                 lambda w: {"partnership": w.p.pk, "title": "Fair", "starts_on": TODAY,
                            "ends_on": TODAY}),
    "meeting": (RECORDED, Meeting, "post", lambda w: "/api/meetings/",
                lambda w: {"partnership": w.p.pk, "title": "Steering",
                           "held_at": f"{TODAY}T10:00:00Z"}),
    "measurement": (RECORDED, Measurement, "post", lambda w: "/api/measurements/",
                    lambda w: {"indicator": w.indicator.pk, "measured_on": TODAY, "value": "3"}),
    "delivery": (RECORDED, None, "post", lambda w: "/api/deliveries/",
                 lambda w: {"contribution": w.contribution.pk, "delivered_on": TODAY,
                            "amount": "5"}),
}  # fmt: skip
API_NEITHER = {
    "organisation": "actors, not a partnership's content",
    "capacity": "actors, not a partnership's content",
    "contact": "actors, not a partnership's content",
    "assessment": "assessment phase only",
    "candidate": "read only",
    "phase-change": "read only",
    "gate-request": "sign-offs: gates.signoff records them",
}
# Risks have no API routes: the risk pages above are their only write path besides the admin.


def test_every_api_route_is_listed():
    from config.api import router

    basenames = {basename for _prefix, _viewset, basename in router.registry}
    missing = sorted(basenames - set(API) - set(API_NEITHER))
    assert not missing, f"List these in API or API_NEITHER: {missing}"


@pytest.mark.parametrize("basename", sorted(API))
def test_each_api_route_refuses_with_a_reason_or_writes_one_entry(world, basename):
    expected, _model, method, url, payload = API[basename]
    client = api_for(world.by)
    fingerprint = world.p.agreed_fingerprint()
    seq = _last_seq()
    response = getattr(client, method)(url(world), payload(world), format="json")
    written = _entries_after(seq)
    if expected == LOCKED:
        assert response.status_code == 403, (basename, response.status_code, response.content)
        assert "The agreement is signed" in response.json()["detail"]
        assert written == []
    else:
        assert response.status_code in (200, 201), (basename, response.content)
        assert len(written) == 1, (basename, [(e.action, e.object_type) for e in written])
        assert written[0].actor == world.by
    assert Partnership.objects.get(pk=world.p.pk).agreed_fingerprint() == fingerprint
