import pytest
from django.urls import reverse

from actors.models import Role, Sector
from partnerships import services
from partnerships.models import Assessment, ClosureNote, Phase, ProblemNode
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory, make_designable

from .conftest import to_assessment

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


def test_lessons_are_searchable_only_where_the_user_may_look(
    client, fclient, partnership, outsider
):
    partnership.dac_sector, partnership.modality = "12240", "csr"
    partnership.save()
    Assessment.objects.create(
        partnership=partnership,
        lessons_learned="Soap makers respond to data.",
        recommendation="continue",
    )
    hidden = make_designable(PartnershipFactory(facilitator=outsider, title="Secret partnership"))
    Assessment.objects.create(partnership=hidden, lessons_learned="Secret lesson about soap.")
    html = fclient.get(url("lessons"), {"q": "soap"}).content.decode()
    assert "Soap makers respond to data." in html and "Secret lesson" not in html
    client.force_login(outsider)
    html = client.get(url("lessons"), {"q": "soap"}).content.decode()
    assert "Secret lesson" in html and "Soap makers" not in html


@pytest.mark.parametrize(
    "filters,found",
    [
        ({"dac_sector": "12240"}, True),
        ({"dac_sector": "11220"}, False),
        ({"actor_sector": Sector.PUBLIC}, True),
        ({"actor_sector": Sector.MEDIA}, False),
        ({"country": "PE"}, True),
        ({"country": "CL"}, False),
        ({"modality": "csr"}, True),
        ({"modality": "philanthropy"}, False),
        ({"outcome": "continue"}, True),
        ({"outcome": "close"}, False),
        ({"outcome": "terminated"}, False),
    ],
)
def test_lesson_filters(fclient, partnership, filters, found):
    partnership.dac_sector, partnership.modality = "12240", "csr"
    partnership.save()
    Assessment.objects.create(
        partnership=partnership, lessons_learned="Lesson one.", recommendation="continue"
    )
    html = fclient.get(url("lessons"), filters).content.decode()
    assert ("Lesson one." in html) is found


def test_bad_filters_do_not_break_the_page(fclient):
    response = fclient.get(url("lessons"), {"country": "XX", "outcome": "nope"})
    assert response.status_code == 200


def test_closure_lessons_and_a_closed_partnership_is_read_only(fclient, partnership):
    partnership, assessment = to_assessment(partnership, "close")
    response = fclient.post(
        url("phase_closure", partnership.pk), {"final_summary": "", "lessons_learned": ""}
    )
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    assert not ClosureNote.objects.exists()
    fclient.post(
        url("phase_closure", partnership.pk),
        {"final_summary": "Done.", "lessons_learned": "Involve schools early."},
    )
    services.partnership_transition(
        name="close", partnership=partnership, by=partnership.facilitator, outcome="terminated"
    )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.CLOSURE
    html = fclient.get(url("lessons"), {"outcome": "terminated"}).content.decode()
    assert "Involve schools early." in html
    page = fclient.get(url("phase_closure", partnership.pk)).content.decode()
    assert "Terminated" in page and "Read-only" in page and "<textarea" not in page
    for name, args, data in [
        ("phase_node_add", [], {"kind": "problem", "text": "P"}),
        ("phase_interest", [], {"common_interest": "x"}),
        ("phase_design_section", ["scope"], {"scope-scope": "x"}),
        ("phase_closure", [], {"lessons_learned": "x"}),
        ("phase_assessment_new", [], {}),
        ("phase_conflict_new", [], {}),
        ("phase_attachment_upload", [], {}),
        ("phase_health_send", [assessment.pk], {}),
    ]:
        assert fclient.post(url(name, partnership.pk, *args), data).status_code == 403, name
    assert not ProblemNode.objects.exists()


def test_the_continued_successor_links_back(fclient, partnership):
    partnership, _a = to_assessment(partnership, "close")
    services.partnership_transition(
        name="close", partnership=partnership, by=partnership.facilitator, outcome="continued"
    )
    partnership.refresh_from_db()
    html = fclient.get(url("phase_closure", partnership.pk)).content.decode()
    assert partnership.successor.get_absolute_url() in html


def test_every_workspace_page_renders_for_a_member(client, partnership):
    member = UserFactory(role=Role.PARTNER, organisation=partnership.members.first().organisation)
    client.force_login(member)
    for name in (
        "phase_interest",
        "phase_design",
        "phase_operation",
        "phase_assessment",
        "phase_closure",
        "phase_agreement_changes",
    ):
        assert client.get(url(name, partnership.pk)).status_code == 200, name
    assert client.get(url("lessons")).status_code == 200
    stranger = UserFactory(role=Role.PARTNER, organisation=OrganisationFactory())
    client.force_login(stranger)
    for name in (
        "phase_interest",
        "phase_design",
        "phase_operation",
        "phase_assessment",
        "phase_closure",
    ):
        assert client.get(url(name, partnership.pk)).status_code == 404, name
