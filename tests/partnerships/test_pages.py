"""The partnership list and detail pages: what people see, who may see it, and how many
queries it takes."""

import datetime

import pytest
from django.db import connection
from django.test import Client as client_class
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actors.models import Role, Sector
from partnerships import services
from partnerships.models import (
    Activity,
    Assessment,
    Attendance,
    Contribution,
    ContributionKind,
    Indicator,
    Measurement,
    Meeting,
    MemberRole,
    Objective,
    Phase,
    PhaseChange,
)
from partnerships.models.agreed import amending
from tests.api.builders import build
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    make_designable,
)

pytestmark = pytest.mark.django_db


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(partnership, *, size: int):
    """Members, contributions, objectives, indicators, measurements, activities, meetings."""
    members = [
        MemberFactory(
            partnership=partnership,
            organisation=OrganisationFactory(
                sector=Sector.PUBLIC if i == 0 else Sector.PRIVATE, name=f"Org {partnership.pk}-{i}"
            ),
            signatory=UserFactory(),
        )
        for i in range(size)
    ]
    for i, m in enumerate(members):
        Contribution.objects.create(
            partnership=partnership,
            member=m,
            kind=ContributionKind.FINANCIAL,
            description=f"Funding {i}",
            planned_amount=1000 + i,
            delivered_amount=i,
            currency="USD" if i % 2 else "PEN",
        )
    for i in range(size):
        objective = Objective.objects.create(partnership=partnership, description=f"Objective {i}")
        indicator = Indicator.objects.create(
            objective=objective, name=f"Indicator {i}", unit="%", target=50
        )
        Measurement.objects.create(
            indicator=indicator, measured_on=datetime.date(2026, 1, 1), value=10 + i
        )
        Activity.objects.create(
            partnership=partnership,
            title=f"Activity {i}",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 2, 1),
            responsible=members[0].signatory,
            indicator=indicator,
        )
        meeting = Meeting.objects.create(
            partnership=partnership, title=f"Meeting {i}", held_at=timezone.now()
        )
        for m in members[:3]:
            Attendance.objects.create(meeting=meeting, person=m.signatory)
        Assessment.objects.create(partnership=partnership, results_summary=f"Results {i}")
        PhaseChange.objects.create(
            partnership=partnership, transition="x", from_phase="interest", to_phase="interest"
        )


def test_list_shows_only_visible_partnerships_with_their_totals(fclient, partnership, member):
    Contribution.objects.create(
        partnership=partnership,
        member=member,
        kind=ContributionKind.FINANCIAL,
        description="Funding",
        planned_amount=250000,
        delivered_amount=120000,
    )
    PartnershipFactory(title="Somebody else's partnership")
    response = fclient.get(reverse("partnerships:list"))
    content = response.content.decode()
    assert partnership.reference in content
    assert "Child Nutrition in Ancash" in content
    assert "250,000" in content and "120,000" in content
    assert "Somebody else" not in content


def test_list_filters_by_phase_sector_country_and_text(fclient, facilitator):
    PartnershipFactory(facilitator=facilitator, title="Quiero mi barrio", country="CL")
    PartnershipFactory(
        facilitator=facilitator, title="Handwashing in Peru", country="PE", dac_sector="14032"
    )
    url = reverse("partnerships:list")
    assert "Quiero mi barrio" not in fclient.get(url, {"country": "PE"}).content.decode()
    by_sector = fclient.get(url, {"dac_sector": "14032"}).content.decode()
    assert "Handwashing" in by_sector and "Quiero" not in by_sector
    assert "Handwashing" not in fclient.get(url, {"q": "barrio"}).content.decode()
    assert "Handwashing" not in fclient.get(url, {"phase": Phase.DESIGN}).content.decode()
    # Nonsense in the filters is ignored, not a server error.
    assert fclient.get(url, {"phase": "nonsense", "page": "x"}).status_code in (200, 404)


def test_list_runs_the_same_number_of_queries_for_2_and_12_partnerships(fclient, facilitator):
    def make(n):
        for _ in range(n):
            p = PartnershipFactory(facilitator=facilitator)
            _populate(p, size=1)

    make(2)
    small = _count_queries(fclient, reverse("partnerships:list"))
    make(10)
    large = _count_queries(fclient, reverse("partnerships:list"))
    assert small == large


@pytest.mark.parametrize("phase", ["interest", "design"])
def test_detail_runs_the_same_number_of_queries_for_2_and_10_members(fclient, facilitator, phase):
    counts = []
    for size in (2, 10):
        p = PartnershipFactory(facilitator=facilitator)
        _populate(p, size=size)
        if phase == "design":
            p.common_interest = "Shared"
            p.save()
            services.partnership_transition(name="start_design", partnership=p, by=facilitator)
        counts.append(_count_queries(fclient, reverse("partnerships:detail", args=[p.pk])))
    assert counts[0] == counts[1]


def test_pages_naming_an_organisation_stay_the_same_however_many_exist(fclient, facilitator):
    """The detail page in assessment and the close sign-off it leads to, adding a member,
    adding a candidate and an administrator's risk portfolio (where nearly every organisation
    owns a risk) name an organisation with the picker: none lists the organisations, nor the
    people of every organisation, so none grows with them."""
    from risks import services as risk_services

    closing = build("assessment", facilitator=facilitator)
    Assessment.objects.create(partnership=closing, recommendation="close")
    partnership = PartnershipFactory(facilitator=facilitator)
    elsewhere = PartnershipFactory()
    detail = reverse("partnerships:detail", args=[closing.pk])
    sign_off = reverse("partnerships:gate_request", args=[closing.pk]) + "?transition=close"
    portfolio = reverse("risks:portfolio")
    assert sign_off.replace("&", "&amp;") in fclient.get(detail).content.decode()
    aclient = client_class()
    aclient.force_login(UserFactory(role=Role.ADMINISTRATOR))
    pages = {
        detail: fclient,
        sign_off: fclient,
        reverse("partnerships:member_add", args=[partnership.pk]): fclient,
        reverse("partnerships:candidates", args=[partnership.pk]): fclient,
        portfolio: aclient,
    }

    def measure(url, who):
        who.get(url)  # warm up anything cached once per process
        return _count_queries(who, url), who.get(url).content.decode()

    def directory(first, last):
        for i in range(first, last):
            org = OrganisationFactory(name=f"Directory entry {i:03d}")
            UserFactory(organisation=org, full_name=f"Person of entry {i:03d}")
            owner = MemberFactory(partnership=elsewhere, organisation=org)
            risk_services.risk_create(
                partnership=elsewhere,
                by=elsewhere.facilitator,
                title=f"Risk {i:03d}",
                category="political",
                likelihood=3,
                impact=3,
                owner=owner,
            )

    directory(0, 5)
    few = {url: measure(url, who) for url, who in pages.items()}
    directory(5, 60)
    for url, who in pages.items():
        queries, html = few[url]
        more_queries, more_html = measure(url, who)
        assert more_queries == queries, url
        assert more_html.count("<option") == html.count("<option"), url
        if url != detail:
            assert "data-organisation-picker" in html and "actors/organisation_picker.js" in html
        if url != portfolio:  # the portfolio lists risks, with their owners
            assert "Directory entry" not in more_html and "Person of entry" not in more_html, url
            assert abs(len(more_html) - len(html)) < 100, url
    assert 'name="transferred_to"' in few[sign_off][1]


def test_detail_shows_every_section(fclient, partnership):
    _populate(partnership, size=2)
    response = fclient.get(reverse("partnerships:detail", args=[partnership.pk]))
    content = response.content.decode()
    for section in (
        "lifecycle",
        "members",
        "objectives",
        "contributions",
        "activities",
        "meetings",
        "assessments",
        "history",
    ):
        assert f'id="{section}"' in content
    assert "Org " in content and "Indicator 1" in content and "Meeting 0" in content
    # The latest measurement of an indicator is shown.
    assert "11" in content


def test_detail_lists_next_transitions_with_reasons_and_checklist_links(fclient, partnership):
    url = reverse("partnerships:detail", args=[partnership.pk])
    interest = reverse("partnerships:phase_interest", args=[partnership.pk])
    sign_off = f"{reverse('partnerships:gate_request', args=[partnership.pk])}?transition="
    content = fclient.get(url).content.decode()
    assert "Start design" in content
    assert "at least two actors from at least two different sectors" in content
    # Checklist items link to the interest workspace, where the work is done.
    assert f"{interest}#statement" in content
    assert f"{interest}#actors" in content
    # Blocked: no way to ask for the sign-off yet.
    assert f"{sign_off}start_design" not in content

    make_designable(partnership)
    content = fclient.get(url).content.decode()
    # A gated transition goes through a sign-off request, never straight to the transition.
    assert f"{sign_off}start_design" in content
    assert "Ask for sign-off" in content
    assert reverse("partnerships:transition", args=[partnership.pk, "start_design"]) not in content
    # Transitions that are not gated (withdrawing, say) keep their form.
    assert reverse("partnerships:transition", args=[partnership.pk, "withdraw"]) in content


def test_anonymous_visitors_are_sent_to_log_in(client, partnership):
    for url in (
        reverse("partnerships:list"),
        reverse("partnerships:detail", args=[partnership.pk]),
        reverse("partnerships:edit", args=[partnership.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_user_of_an_unrelated_organisation_gets_404(client, partnership, outsider):
    client.force_login(outsider)
    assert client.get(reverse("partnerships:detail", args=[partnership.pk])).status_code == 404
    assert client.get(reverse("partnerships:edit", args=[partnership.pk])).status_code == 404
    assert client.get(reverse("partnerships:member_add", args=[partnership.pk])).status_code == 404
    response = client.post(reverse("partnerships:transition", args=[partnership.pk, "withdraw"]))
    assert response.status_code == 404
    assert client.get(reverse("partnerships:candidates", args=[partnership.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "member_role"),
    [(Role.PARTNER, MemberRole.IMPLEMENTER), (Role.DONOR, MemberRole.FUNDER)],
)
def test_partners_and_donors_see_the_partnership_but_may_not_edit_it(
    client, partnership, role, member_role
):
    org = OrganisationFactory()
    MemberFactory(partnership=partnership, organisation=org, role=member_role)
    user = UserFactory(role=role, organisation=org)
    client.force_login(user)
    response = client.get(reverse("partnerships:detail", args=[partnership.pk]))
    assert response.status_code == 200
    assert reverse("partnerships:edit", args=[partnership.pk]) not in response.content.decode()
    assert client.get(reverse("partnerships:edit", args=[partnership.pk])).status_code == 403
    assert client.get(reverse("partnerships:member_add", args=[partnership.pk])).status_code == 403
    response = client.post(
        reverse("partnerships:transition", args=[partnership.pk, "withdraw"]), {"comment": "x"}
    )
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert partnership.phase == Phase.INTEREST


def test_a_partner_may_record_deliveries_but_a_donor_may_not(client, partnership):
    partner_org, donor_org = OrganisationFactory(), OrganisationFactory()
    partner_member = MemberFactory(partnership=partnership, organisation=partner_org)
    MemberFactory(partnership=partnership, organisation=donor_org, role=MemberRole.FUNDER)
    contribution = Contribution.objects.create(
        partnership=partnership,
        member=partner_member,
        kind=ContributionKind.IN_KIND,
        description="Venue",
        planned_amount=500,
    )
    url = reverse("partnerships:delivery_add", args=[partnership.pk, contribution.pk])
    client.force_login(UserFactory(role=Role.PARTNER, organisation=partner_org))
    assert client.get(url).status_code == 200
    client.force_login(UserFactory(role=Role.DONOR, organisation=donor_org))
    assert client.get(url).status_code == 403


def test_administrators_see_every_partnership(client, partnership):
    admin = UserFactory(role=Role.ADMINISTRATOR)
    client.force_login(admin)
    assert client.get(reverse("partnerships:detail", args=[partnership.pk])).status_code == 200
    assert client.get(reverse("partnerships:edit", args=[partnership.pk])).status_code == 200


def test_closed_partnerships_are_read_only(fclient, facilitator, member):
    with amending():  # the world as it was signed and closed
        closed = PartnershipFactory(facilitator=facilitator, phase=Phase.CLOSURE)
        MemberFactory(partnership=closed, organisation=member.organisation)
    assert fclient.get(reverse("partnerships:detail", args=[closed.pk])).status_code == 200
    assert fclient.get(reverse("partnerships:edit", args=[closed.pk])).status_code == 403
    for name in ("member_add", "objective_add", "contribution_add", "meeting_add"):
        assert fclient.get(reverse(f"partnerships:{name}", args=[closed.pk])).status_code == 403


# ----- the transition view ---------------------------------------------------------------------


def test_an_allowed_transition_moves_the_phase_and_records_it(fclient, partnership, facilitator):
    url = reverse("partnerships:transition", args=[partnership.pk, "withdraw"])
    response = fclient.post(url, {"comment": "The ministry lost interest."}, follow=True)
    partnership.refresh_from_db()
    assert partnership.phase == Phase.WITHDRAWN
    change = PhaseChange.objects.get(partnership=partnership)
    assert (change.from_phase, change.to_phase, change.by, change.comment) == (
        Phase.INTEREST,
        Phase.WITHDRAWN,
        facilitator,
        "The ministry lost interest.",
    )
    assert "Withdraw: done." in response.content.decode()


def test_a_refused_transition_shows_the_reason_and_changes_nothing(fclient, partnership):
    url = reverse("partnerships:transition", args=[partnership.pk, "suspend"])
    response = fclient.post(url, {"comment": "Elections"}, follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "was refused" in content
    assert "not possible in the Interest phase" in content
    partnership.refresh_from_db()
    assert partnership.phase == Phase.INTEREST
    assert not PhaseChange.objects.exists()


def test_a_phase_gate_cannot_be_passed_without_a_sign_off(fclient, partnership):
    make_designable(partnership)
    url = reverse("partnerships:transition", args=[partnership.pk, "start_design"])
    response = fclient.post(url, {"comment": "All partners agree."})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("partnerships:gate_request", args=[partnership.pk]) + "?transition=start_design"
    )
    partnership.refresh_from_db()
    assert partnership.phase == Phase.INTEREST
    assert not PhaseChange.objects.exists()


def test_a_transition_from_the_wrong_phase_is_refused(fclient, partnership):
    url = reverse("partnerships:transition", args=[partnership.pk, "resume"])
    response = fclient.post(url, follow=True)
    assert "not possible in the Interest phase" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.phase == Phase.INTEREST


def test_withdraw_needs_a_comment(fclient, partnership):
    url = reverse("partnerships:transition", args=[partnership.pk, "withdraw"])
    response = fclient.post(url, {"comment": "  "}, follow=True)
    assert "This field is required" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.phase == Phase.INTEREST
    fclient.post(url, {"comment": "The ministry changed its priorities."})
    partnership.refresh_from_db()
    assert partnership.phase == Phase.WITHDRAWN


def test_closing_as_transferred_needs_the_receiving_actor(fclient, facilitator):
    p = PartnershipFactory(facilitator=facilitator, phase=Phase.ASSESSMENT)
    Assessment.objects.create(partnership=p, recommendation="close")
    url = reverse("partnerships:gate_request", args=[p.pk])
    response = fclient.post(url, {"transition": "close", "outcome": "transferred"}, follow=True)
    assert "which actor" in response.content.decode()
    p.refresh_from_db()
    assert p.phase == Phase.ASSESSMENT
    assert not p.gate_requests.exists()


def test_unknown_transitions_and_gets_are_rejected(fclient, partnership):
    assert (
        fclient.post(
            reverse("partnerships:transition", args=[partnership.pk, "explode"])
        ).status_code
        == 404
    )
    assert (
        fclient.get(
            reverse("partnerships:transition", args=[partnership.pk, "withdraw"])
        ).status_code
        == 405
    )


def test_list_pages_older_and_newer_by_keyset_without_a_count(fclient, facilitator):
    from partnerships.views.partnership import PartnershipListView

    size = PartnershipListView.paginate_by
    made = [PartnershipFactory(facilitator=facilitator) for _ in range(size * 2 + 3)]
    expected = [p.pk for p in sorted(made, key=lambda p: (p.updated_at, p.pk), reverse=True)]
    url, seen, pages = reverse("partnerships:list"), [], []
    while url:
        response = fclient.get(url)
        page = response.context["page_obj"]
        pages.append(page)
        seen += [p.pk for p in page.object_list]
        url = f"{reverse('partnerships:list')}?after={page.next_cursor}" if page.has_next else ""
    assert seen == expected and len(pages) == 3
    # "Newer" from the last page gives the middle page back.
    back = fclient.get(reverse("partnerships:list"), {"before": pages[2].previous_cursor})
    assert [p.pk for p in back.context["page_obj"].object_list] == expected[size : size * 2]
    assert 'rel="next"' in back.content.decode() and 'rel="prev"' in back.content.decode()
    # A damaged cursor shows the first page.
    assert fclient.get(reverse("partnerships:list"), {"after": "nonsense"}).status_code == 200


def test_list_runs_the_same_number_of_queries_on_later_pages(fclient, facilitator):
    for _ in range(30):
        PartnershipFactory(facilitator=facilitator)
    first = fclient.get(reverse("partnerships:list")).context["page_obj"]
    later = f"{reverse('partnerships:list')}?after={first.next_cursor}"
    assert _count_queries(fclient, reverse("partnerships:list")) == _count_queries(fclient, later)


def test_the_agenda_and_minutes_keep_their_line_breaks_and_are_escaped(fclient, partnership):
    Meeting.objects.create(
        partnership=partnership,
        title="Steering committee",
        held_at=timezone.now(),
        agenda="1. Progress.\n2. Budget <b>2027</b>.",
        minutes="The partners agree.\n\nNext meeting in January.\nCARE keeps the minutes.",
    )
    html = fclient.get(reverse("partnerships:detail", args=[partnership.pk])).content.decode()
    assert "1. Progress.<br>2. Budget &lt;b&gt;2027&lt;/b&gt;." in html
    assert "<p>The partners agree.</p>" in html
    assert "<p>Next meeting in January.<br>CARE keeps the minutes.</p>" in html
    assert "<b>2027</b>" not in html
