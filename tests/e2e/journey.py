"""Journey (a): a facilitator takes a partnership from interest to operation in the browser,
with every gate signed off by the people assigned, each in their own browser context."""

from django.utils import translation

from partnerships.models import GateRequest, Partnership, Phase

from .helpers import Visitor


def new_visitor(browser, live_server, language, check_language=None):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(40_000)
    return context, Visitor(page, language, check_language)


def choose_language(v: Visitor):
    """Switch the interface language with the footer's form (before logging in)."""
    v.page.goto("/accounts/login/")
    if v.language != "en":
        v.page.select_option("#language-select", v.language)
        with v.page.expect_navigation():
            v.page.locator(".language-form button").click()


def fill_and_save(v: Visitor, values: dict, *, selects=(), form="main form.form, main form"):
    for name, value in values.items():
        if name in selects:
            v.page.locator(f"main [name={name}]").select_option(label=value)
        else:
            v.page.fill(f"main [name={name}]", value)
    v.click(v.page.locator(form).first.locator("button[type=submit]").first)


def sign_off(browser, live_server, user, gate, language, check_language, comment):
    """``user`` logs in in a second browser context and approves with their password."""
    context, v = new_visitor(browser, live_server, language, check_language)
    choose_language(v)
    v.login(user)
    v.goto("/partnerships/gates/mine/")
    v.click(v.page.locator(f"#waiting a[href$='/gates/{gate.pk}/']"))
    if not v.page.locator("#decide").count():
        raise AssertionError(v.page.url + v.page.locator("main").inner_text())
    # The decision carries its own proof: a wrong password is refused next to the field.
    v.page.fill("#approve-form textarea[name=comment]", comment)
    v.page.fill("#approve-form input[name=password]", "not my password")
    v.click(v.page.locator("#approve-form button[type=submit]"))
    assert v.page.locator("#approve-form .errorlist").count() >= 1
    v.page.fill("#approve-form textarea[name=comment]", comment)
    v.page.fill("#approve-form input[name=password]", user._journey_password)
    # Keyboard: focus the Approve button and press Enter.
    v.page.locator("#approve-form button[type=submit]").focus()
    with v.page.expect_navigation():
        v.page.keyboard.press("Enter")
    v.check()
    context.close()
    return v.visited


def request_sign_off(v: Visitor, partnership, transition, comment):
    assert f"transition={transition}" in v.page.url
    v.page.select_option("select[name=transition]", transition)
    v.page.fill("textarea[name=comment]", comment)
    v.click(v.button("Request sign-off"))
    return GateRequest.objects.filter(partnership=partnership).latest("requested_at")


def interest_to_operation(browser, live_server, cast, language="en", check_language=None):
    """Returns the partnership and every URL visited (for the accessibility and language checks)."""
    from .helpers import PASSWORD

    for key in ("official", "minister", "ngo_signatory", "donor", "facilitator"):
        cast[key]._journey_password = PASSWORD
    context, v = new_visitor(browser, live_server, language, check_language)
    page = v.page
    choose_language(v)
    v.login(cast["facilitator"])

    # Create the partnership.
    v.goto("/partnerships/")
    v.click(v.link("New partnership"))
    page.fill("main [name=title]", "Agua segura para Huancavelica")
    page.locator("main [name=country]").select_option("PE")
    page.locator("main [name=facilitator]").select_option(str(cast["facilitator"].pk))
    page.fill("main [name=problem]", "Children drink unsafe water.")
    v.click(v.button("Create partnership"))
    partnership = Partnership.objects.get(title="Agua segura para Huancavelica")
    assert partnership.phase == Phase.INTEREST
    detail = f"/partnerships/{partnership.pk}/"

    # Members: the ministry (with its official), the NGO, the funding foundation.
    for org, role in (
        (cast["ministry"], "public_entity"),
        (cast["ngo"], "implementer"),
        (cast["foundation"], "funder"),
    ):
        v.goto(detail)
        v.click(v.link("Add a member"))
        # The exact name resolves without choosing a suggestion (Escape closes them).
        page.locator("main [name=organisation]").fill(org.name)
        page.locator("main [name=organisation]").press("Escape")
        page.locator("main [name=role]").select_option(role)
        v.click(v.button("Save"))
    assert partnership.members.count() == 3

    # The common interest.
    v.goto(f"/partnerships/{partnership.pk}/edit/")
    page.fill("main [name=common_interest]", "Safe water in every school of the province.")
    v.click(v.button("Save"))
    partnership.refresh_from_db()
    assert partnership.common_interest.startswith("Safe water")

    v.goto(f"/partnerships/{partnership.pk}/interest/")
    v.click(v.link("Request the move to design"))
    gate = request_sign_off(v, partnership, "start_design", "The common interest is agreed.")
    visited = list(v.visited)
    visited += sign_off(
        browser, live_server, cast["official"], gate, language, check_language, "De acuerdo."
    )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.DESIGN

    # The agreement: signatories, objectives, indicators, contributions, the design sections.
    for org, signer in (
        (cast["ministry"], cast["minister"]),
        (cast["ngo"], cast["ngo_signatory"]),
        (cast["foundation"], cast["donor"]),
    ):
        member = partnership.members.get(organisation=org)
        v.goto(f"{detail}members/{member.pk}/")
        page.locator("main [name=signatory]").select_option(str(signer.pk))
        v.click(v.button("Save"))
    v.goto(detail)
    v.click(v.link("Add an objective"))
    page.locator("main [name=kind]").select_option("specific")
    page.fill("main [name=description]", "Schools have drinking water")
    v.click(v.button("Save"))
    objective = partnership.objectives.get()
    v.goto(f"{detail}indicators/add/?objective={objective.pk}")
    page.locator("main [name=objective]").select_option(str(objective.pk))
    page.fill("main [name=name]", "Schools with safe water")
    page.fill("main [name=unit]", "%")
    page.fill("main [name=baseline]", "20")
    page.fill("main [name=target]", "90")
    v.click(v.button("Save"))
    v.goto(detail)
    v.click(v.link("Add a contribution"))
    foundation_member = partnership.members.get(organisation=cast["foundation"])
    page.locator("main [name=member]").select_option(str(foundation_member.pk))
    page.locator("main [name=kind]").select_option("financial")
    page.fill("main [name=description]", "Funding for filters")
    page.fill("main [name=planned_amount]", "25000")
    page.fill("main [name=period_start]", "2026-01-01")
    page.fill("main [name=period_end]", "2026-12-31")
    v.click(v.button("Save"))
    assert partnership.contributions.count() == 1

    design = f"{detail}design/"
    sections = {
        "objectives": {"general_objective": "Every school has safe water."},
        "scope": {
            "scope": "Forty rural schools.",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
        },
        "governance": {"governance": "A steering committee meets monthly."},
        "tracking": {
            "tracking_tools": "Quarterly reports.",
            "assessment_criteria": "Schools served.",
            "assessment_every_months": "6",
        },
        "commitments": {
            "confidentiality": "Personal data stays private.",
            "non_compliance": "A written warning, then mediation.",
        },
    }
    for slug, values in sections.items():
        v.goto(design)
        form = page.locator(f"#section-{slug} form")
        if slug == "governance":
            form.locator(f"[name={slug}-formalisation_level]").select_option("high")
        for name, value in values.items():
            form.locator(f"[name={slug}-{name}]").fill(value)
        form.locator("button[type=submit]").click()
        page.locator(f"#section-{slug} .saved").wait_for()
        v.check()
    partnership.refresh_from_db()
    assert partnership.formalisation_level == "high"
    assert partnership.non_compliance.startswith("A written")

    v.goto(design)
    v.click(v.link("Request sign-off of the agreement"))
    gate = request_sign_off(v, partnership, "start_operation", "The agreement is complete.")
    visited += v.visited
    for key in ("official", "minister", "ngo_signatory", "donor"):
        visited += sign_off(
            browser, live_server, cast[key], gate, language, check_language, "Firmado."
        )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.OPERATION

    v.visited = []
    v.goto(detail)
    with translation.override(language):
        assert str(partnership.get_phase_display()) in page.locator("main").inner_text()
    visited += v.visited
    context.close()
    return partnership, visited
