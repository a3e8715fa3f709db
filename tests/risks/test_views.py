import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import Role
from risks.models import Category, Risk, RiskReview, Status
from tests.factories import MemberFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HTMX = {"HTTP_HX_REQUEST": "true"}


def _form(**overrides):
    data = {
        "title": "Fear of relating with companies in socio-environmental conflicts",
        "category": Category.ENVIRONMENTAL_CONFLICT,
        "phase_identified": "interest",
        "likelihood": "3",
        "impact": "4",
        "owner": "",
        "mitigation": "",
        "contingency": "",
        "status": "open",
        "next_review_on": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_facilitator_adds_a_risk(client, partnership, facilitator, ngo):
    client.force_login(facilitator)
    response = client.post(reverse("risks:add", args=[partnership.pk]), _form(owner=str(ngo.pk)))
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.score, risk.owner, risk.partnership) == (12, ngo, partnership)
    page = client.get(reverse("risks:list", args=[partnership.pk])).content.decode()
    assert "Fear of relating with companies" in page
    assert 'id="heat-map"' in page


def test_bad_input_shows_errors_next_to_the_fields_and_saves_nothing(
    client, partnership, facilitator
):
    other_member = MemberFactory(partnership=PartnershipFactory())
    client.force_login(facilitator)
    response = client.post(
        reverse("risks:add", args=[partnership.pk]),
        _form(
            likelihood="9",
            owner=str(other_member.pk),
            next_review_on=(TODAY - datetime.timedelta(days=2)).isoformat(),
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "likelihood" in form.errors
    assert "owner" in form.errors
    assert not Risk.objects.exists()

    # Valid choices but a date in the past: the service's error lands on the field.
    response = client.post(
        reverse("risks:add", args=[partnership.pk]),
        _form(next_review_on=(TODAY - datetime.timedelta(days=2)).isoformat()),
    )
    assert response.status_code == 400
    assert "in the past" in response.context["form"].errors["next_review_on"][0]
    assert 'id="id_next_review_on_error"' in response.content.decode()
    assert not Risk.objects.exists()


def test_an_unrelated_organisation_gets_404(client, partnership, make_risk):
    risk = make_risk(partnership)
    client.force_login(UserFactory(role=Role.PARTNER))
    for url in (
        reverse("risks:list", args=[partnership.pk]),
        reverse("risks:detail", args=[partnership.pk, risk.pk]),
        reverse("risks:add", args=[partnership.pk]),
        reverse("risks:review", args=[partnership.pk, risk.pk]),
    ):
        assert client.get(url).status_code == 404, url
    portfolio = client.get(reverse("risks:portfolio"))
    assert list(portfolio.context["risks"]) == []


def test_a_donor_reads_but_may_not_edit(client, partnership, make_risk, donor):
    risk = make_risk(partnership)
    client.force_login(donor)
    assert client.get(reverse("risks:list", args=[partnership.pk])).status_code == 200
    assert client.get(reverse("risks:detail", args=[partnership.pk, risk.pk])).status_code == 200
    assert client.post(reverse("risks:add", args=[partnership.pk]), _form()).status_code == 403
    assert client.get(reverse("risks:edit", args=[partnership.pk, risk.pk])).status_code == 403
    assert client.post(reverse("risks:close", args=[partnership.pk, risk.pk])).status_code == 403
    review = {"reviewed_on": TODAY.isoformat(), "likelihood": 1, "impact": 1, "status": "open"}
    url = reverse("risks:review", args=[partnership.pk, risk.pk])
    assert client.post(url, review).status_code == 403
    assert Risk.objects.get().status == Status.OPEN
    assert RiskReview.objects.count() == 1


def test_the_owners_representative_reviews_their_risk_in_place(
    client, partnership, make_risk, ngo, ministry
):
    theirs = make_risk(partnership, title="Theirs", owner=ngo)
    others = make_risk(partnership, title="Others", owner=ministry)
    rep = UserFactory(role=Role.PARTNER, organisation=ngo.organisation)
    client.force_login(rep)
    review = {
        "reviewed_on": TODAY.isoformat(),
        "likelihood": "5",
        "impact": "4",
        "status": "open",
        "note": "Two mayors replaced",
    }
    assert (
        client.post(reverse("risks:review", args=[partnership.pk, others.pk]), review).status_code
        == 403
    )
    form = client.get(reverse("risks:review", args=[partnership.pk, theirs.pk]), **HTMX)
    assert form.content.decode().lstrip().startswith(f'<tr id="risk-{theirs.pk}"')
    response = client.post(
        reverse("risks:review", args=[partnership.pk, theirs.pk]), review, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="risk-{theirs.pk}"')
    assert 'data-hx-swap-oob="true"' in html and "Review recorded." in html
    theirs.refresh_from_db()
    assert theirs.score == 20
    assert theirs.reviews.first().reviewer == rep
    # and may not edit or close it
    assert client.get(reverse("risks:edit", args=[partnership.pk, theirs.pk])).status_code == 403


def test_an_in_place_review_with_errors_returns_the_form_with_them(
    client, partnership, facilitator, make_risk
):
    risk = make_risk(partnership)
    client.force_login(facilitator)
    response = client.post(
        reverse("risks:review", args=[partnership.pk, risk.pk]),
        {
            "reviewed_on": TODAY.isoformat(),
            "likelihood": "3",
            "impact": "3",
            "status": "open",
            "next_review_on": "2001-01-01",
        },
        **HTMX,
    )
    assert response.status_code == 200
    assert "in the past" in response.content.decode()
    assert RiskReview.objects.count() == 1


def test_closing_in_place(client, partnership, facilitator, make_risk):
    risk = make_risk(partnership)
    client.force_login(facilitator)
    response = client.post(
        reverse("risks:close", args=[partnership.pk, risk.pk]), {"note": "Done"}, **HTMX
    )
    assert response.status_code == 200
    assert "Closed" in response.content.decode()
    risk.refresh_from_db()
    assert risk.status == Status.CLOSED


def test_heat_map_cells_link_to_the_risks_behind_them(client, partnership, facilitator, make_risk):
    make_risk(partnership, title="Severe one", likelihood=5, impact=4)
    make_risk(partnership, title="Mild one", likelihood=1, impact=2)
    client.force_login(facilitator)
    page = client.get(reverse("risks:list", args=[partnership.pk])).content.decode()
    link = f"{reverse('risks:list', args=[partnership.pk])}?likelihood=5&amp;impact=4"
    assert link in page
    assert '<th scope="row">5</th>' in page and '<th scope="col">4</th>' in page
    cell = client.get(
        reverse("risks:list", args=[partnership.pk]),
        {"likelihood": 5, "impact": 4, "status": "active"},
    )
    assert [r.title for r in cell.context["risks"]] == ["Severe one"]
    bad = client.get(reverse("risks:list", args=[partnership.pk]), {"likelihood": "x"})
    assert bad.status_code == 200


def test_partnership_partial_shows_heat_map_and_top_risks(rf, partnership, facilitator, make_risk):
    from django.template.loader import render_to_string

    make_risk(partnership, title="Top risk", likelihood=5, impact=5)
    request = rf.get("/")
    request.user = facilitator
    html = render_to_string(
        "risks/_partnership_risks.html", {"partnership": partnership}, request=request
    )
    assert "Top risk" in html and 'id="heat-map"' in html
    assert reverse("risks:add", args=[partnership.pk]) in html


def test_detail_page_shows_the_score_history(client, partnership, facilitator, make_risk):
    from risks import services

    risk = make_risk(partnership, likelihood=2, impact=2)
    services.risk_review(risk=risk, by=facilitator, likelihood=4, impact=5, note="Strike")
    client.force_login(facilitator)
    response = client.post(
        reverse("risks:review", args=[partnership.pk, risk.pk]),
        {"reviewed_on": TODAY.isoformat(), "likelihood": "1", "impact": "5", "status": "mitigated"},
    )
    assert response.status_code == 302
    page = client.get(reverse("risks:detail", args=[partnership.pk, risk.pk])).content.decode()
    scores = [r.score for r in risk.reviews.order_by("pk")]
    assert scores == [4, 20, 5]
    assert "Score history" in page and "Strike" in page
    assert '<th scope="row" class="score band-severe">20</th>' in page


def test_partnership_partial_also_takes_the_detail_views_object(rf, partnership, donor):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = donor
    html = render_to_string(
        "risks/_partnership_risks.html", {"object": partnership}, request=request
    )
    assert "No risks have been identified yet." in html
    assert reverse("risks:list", args=[partnership.pk]) in html
    assert reverse("risks:add", args=[partnership.pk]) not in html


def test_every_page_renders_for_the_facilitator(client, partnership, facilitator, make_risk, ngo):
    risk = make_risk(partnership, owner=ngo)
    client.force_login(facilitator)
    for name, args in [
        ("risks:list", [partnership.pk]),
        ("risks:add", [partnership.pk]),
        ("risks:detail", [partnership.pk, risk.pk]),
        ("risks:edit", [partnership.pk, risk.pk]),
        ("risks:review", [partnership.pk, risk.pk]),
        ("risks:close", [partnership.pk, risk.pk]),
        ("risks:row", [partnership.pk, risk.pk]),
        ("risks:portfolio", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200, name


def test_editing_saves_only_what_changed(client, partnership, facilitator, make_risk, ngo):
    risk = make_risk(partnership, owner=ngo)
    client.force_login(facilitator)
    data = _form(
        title=risk.title,
        category=risk.category,
        likelihood="3",
        impact="3",
        owner=str(ngo.pk),
        mitigation="Induction plan for new officials",
    )
    response = client.post(reverse("risks:edit", args=[partnership.pk, risk.pk]), data)
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.mitigation == "Induction plan for new officials"
    assert risk.reviews.count() == 1
