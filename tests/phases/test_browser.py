import pytest
from django.urls import reverse

from partnerships.models import NodeKind, ProblemNode

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_facilitator_edits_the_problem_tree_in_place(page, live_server, partnership, facilitator):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", facilitator.email)
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit], input[type=submit]")
    page.goto(reverse("partnerships:phase_interest", args=[partnership.pk]))
    page.evaluate("window.__stayed = true")  # disappears if the page reloads

    page.fill("input[data-add=problem]", "Children under five suffer diarrhoea")
    page.get_by_role("button", name="Add the central problem").click()
    page.locator(".central-problem .node-text", has_text="diarrhoea").wait_for()
    problem = ProblemNode.objects.get(kind=NodeKind.PROBLEM)

    page.fill(f"input[data-add=cause-{problem.pk}]", "Hands not washed with soap")
    page.get_by_role("button", name="Add a cause").click()
    page.locator(".causes .node-text", has_text="Hands not washed").wait_for()

    cause = ProblemNode.objects.get(kind=NodeKind.CAUSE)
    page.locator(f"#node-{cause.pk} a.node-action").click()
    field = page.locator(f"#node-{cause.pk} form.node-edit input[name=text]")
    field.fill("Hands not washed with soap at critical moments")
    page.locator(f"#node-{cause.pk} form.node-edit").get_by_role("button", name="Save").click()
    page.locator(".causes .node-text", has_text="critical moments").wait_for()

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#node-{cause.pk}").get_by_role("button", name="Delete").click()
    page.get_by_text("No causes yet.").wait_for()

    assert page.evaluate("window.__stayed") is True
    assert list(ProblemNode.objects.values_list("kind", "text")) == [
        ("problem", "Children under five suffer diarrhoea")
    ]


def test_adding_a_cause_leaves_exactly_one_tree_under_its_heading(
    page, live_server, partnership, facilitator
):
    """htmx swaps the first element with the id ``problem-tree``: an anchor of that id inside
    the heading made the swap draw a second tree, inside the <h2>."""
    ProblemNode.objects.create(partnership=partnership, kind=NodeKind.PROBLEM, text="Diarrhoea")
    problem = ProblemNode.objects.get()
    page.goto("/accounts/login/")
    page.fill("input[name=login]", facilitator.email)
    page.fill("input[name=password]", "secret-pass-123")
    page.click("button[type=submit], input[type=submit]")
    page.goto(reverse("partnerships:phase_interest", args=[partnership.pk]))

    page.fill(f"input[data-add=cause-{problem.pk}]", "Hands not washed with soap")
    page.get_by_role("button", name="Add a cause").click()
    page.locator(".causes .node-text", has_text="Hands not washed").wait_for()

    assert page.locator(".problem-tree").count() == 1
    assert page.locator("[id=problem-tree]").count() == 1
    assert page.locator("#tree-h .problem-tree, #tree-h .node").count() == 0
    assert page.locator(".central-problem").count() == 1
    # The tree follows its heading in the section, not above it.
    assert page.evaluate(
        """() => {
            const h = document.getElementById('tree-h');
            const tree = document.getElementById('problem-tree');
            return h.compareDocumentPosition(tree) & Node.DOCUMENT_POSITION_FOLLOWING;
        }"""
    )
