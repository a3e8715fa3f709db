import pytest
from django.urls import reverse

from partnerships.models import MatrixRow, NodeKind, ProblemNode

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"partnerships:{name}", args=args)


def add(client, p, kind, text, parent=None, htmx=False):
    data = {"kind": kind, "text": text}
    if parent:
        data["parent"] = parent.pk
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(url("phase_node_add", p.pk), data, headers=headers)


def test_facilitator_builds_the_tree_and_sees_it_nested(fclient, partnership):
    add(fclient, partnership, "problem", "Children under five suffer diarrhoea")
    problem = ProblemNode.objects.get(kind=NodeKind.PROBLEM)
    add(fclient, partnership, "cause", "Hands not washed with soap", parent=problem)
    cause = ProblemNode.objects.get(kind=NodeKind.CAUSE)
    add(fclient, partnership, "cause", "Soap is not at hand", parent=cause)
    response = add(
        fclient, partnership, "effect", "Chronic malnutrition", parent=problem, htmx=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="problem-tree"' in html and "<html" not in html  # a partial
    assert "Chronic malnutrition" in html
    deeper = ProblemNode.objects.get(text="Soap is not at hand")
    assert deeper.parent == cause and deeper.kind == NodeKind.CAUSE
    page = fclient.get(url("phase_interest", partnership.pk)).content.decode()
    assert (
        page.index("Chronic malnutrition")
        < page.index("Children under five")
        < page.index("Hands not washed")
    )


@pytest.mark.parametrize(
    "kind,text,parent_kind,message",
    [
        ("cause", "   ", "problem", "Write something"),
        ("cause", "A cause without a place", None, "Choose where this goes"),
        ("effect", "An effect under a cause", "cause", "A cause hangs under the problem"),
        ("problem", "A second problem", None, "already has its central problem"),
        ("nonsense", "x", "problem", "Select a valid choice"),
    ],
)
def test_bad_tree_input_shows_an_error_and_saves_nothing(
    fclient, partnership, kind, text, parent_kind, message
):
    problem = ProblemNode.objects.create(partnership=partnership, kind="problem", text="P")
    cause = ProblemNode.objects.create(
        partnership=partnership, kind="cause", text="C", parent=problem
    )
    parent = {"problem": problem, "cause": cause, None: None}[parent_kind]
    before = ProblemNode.objects.count()
    response = add(fclient, partnership, kind, text, parent=parent)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ProblemNode.objects.count() == before
    htmx = add(fclient, partnership, kind, text, parent=parent, htmx=True)
    assert message in htmx.content.decode() and ProblemNode.objects.count() == before


def test_a_node_of_another_partnership_cannot_be_a_parent(fclient, partnership):
    from tests.factories import PartnershipFactory

    other = PartnershipFactory(facilitator=partnership.facilitator)
    foreign = ProblemNode.objects.create(partnership=other, kind="problem", text="Other")
    response = add(fclient, partnership, "cause", "Sneaky", parent=foreign)
    assert response.status_code == 400
    assert not ProblemNode.objects.filter(text="Sneaky").exists()


def test_edit_in_place_and_delete_with_descendants(fclient, partnership):
    problem = ProblemNode.objects.create(partnership=partnership, kind="problem", text="P")
    cause = ProblemNode.objects.create(
        partnership=partnership, kind="cause", text="Old", parent=problem
    )
    ProblemNode.objects.create(partnership=partnership, kind="cause", text="Deep", parent=cause)
    form = fclient.get(
        url("phase_node_edit", partnership.pk, cause.pk), headers={"HX-Request": "true"}
    )
    assert 'value="Old"' in form.content.decode()
    response = fclient.post(
        url("phase_node_edit", partnership.pk, cause.pk),
        {"text": ""},
        headers={"HX-Request": "true"},
    )
    assert "Write something" in response.content.decode()
    cause.refresh_from_db()
    assert cause.text == "Old"
    fclient.post(url("phase_node_edit", partnership.pk, cause.pk), {"text": "New"})
    cause.refresh_from_db()
    assert cause.text == "New"
    fclient.post(url("phase_node_delete", partnership.pk, cause.pk))
    assert list(ProblemNode.objects.values_list("text", flat=True)) == ["P"]


def test_people_who_may_not_edit_cannot_change_the_tree(client, partnership, outsider):
    from actors.models import Role
    from tests.factories import UserFactory

    member_user = UserFactory(
        role=Role.PARTNER, organisation=partnership.members.first().organisation
    )
    client.force_login(member_user)
    assert client.get(url("phase_interest", partnership.pk)).status_code == 200
    assert add(client, partnership, "problem", "P").status_code == 403
    client.force_login(outsider)
    assert client.get(url("phase_interest", partnership.pk)).status_code == 404
    assert add(client, partnership, "problem", "P").status_code == 404
    assert not ProblemNode.objects.exists()


def test_matrix_rows_bad_input_and_edit(fclient, partnership):
    response = fclient.post(
        url("phase_matrix_add", partnership.pk), {"cause": "", "opportunity": "x"}
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not MatrixRow.objects.exists()
    actor = partnership.members.first().organisation
    fclient.post(
        url("phase_matrix_add", partnership.pk),
        {
            "cause": "No soap",
            "opportunity": "Soap makers' CSR",
            "capacity": "Health posts",
            "actor": actor.pk,
        },
    )
    row = MatrixRow.objects.get()
    assert row.actor == actor
    from tests.factories import OrganisationFactory

    stranger = OrganisationFactory()
    response = fclient.post(
        url("phase_matrix_edit", partnership.pk, row.pk), {"cause": "No soap", "actor": stranger.pk}
    )
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.actor == actor


def test_statement_form_rejects_an_unknown_scenario(fclient, partnership):
    response = fclient.post(
        url("phase_interest", partnership.pk),
        {"problem": "p", "common_interest": "", "scenario": "aliens_seek_us"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.scenario == "" and partnership.common_interest


def test_interest_checklist_fills_from_the_tree_and_links_to_the_workspace(fclient, partnership):
    items = {i.key: i for i in partnership.checklist("start_design")}
    assert not items["problem_tree"].done and not items["problem_tree"].required
    assert items["problem_tree"].url.startswith(url("phase_interest", partnership.pk))
    assert items["common_interest"].url.startswith(url("phase_interest", partnership.pk))
    problem = ProblemNode.objects.create(partnership=partnership, kind="problem", text="P")
    ProblemNode.objects.create(partnership=partnership, kind="cause", text="C", parent=problem)
    items = {i.key: i for i in partnership.checklist("start_design")}
    assert items["problem_tree"].done
    assert partnership.blockers("start_design") == []  # advisory items never block
