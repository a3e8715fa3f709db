"""Every form of a partnership and its parts: bad input shows errors and saves nothing; good
input saves."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actors.models import Role, Sector
from partnerships.models import (
    Activity,
    Assessment,
    Attendance,
    Contribution,
    ContributionKind,
    Delivery,
    Indicator,
    Measurement,
    Meeting,
    Member,
    MemberRole,
    Objective,
    PartnerCandidate,
    Partnership,
    Phase,
)
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def url(name, partnership, *args):
    return reverse(f"partnerships:{name}", args=[partnership.pk, *args])


def assert_shows_error(response, text):
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="errorlist' in content
    assert text in content, f"{text!r} not shown"


@pytest.fixture
def objective(partnership):
    return Objective.objects.create(partnership=partnership, description="Reduce anaemia")


@pytest.fixture
def indicator(objective):
    return Indicator.objects.create(objective=objective, name="Anaemia rate", unit="%", target=20)


@pytest.fixture
def contribution(partnership, member):
    return Contribution.objects.create(
        partnership=partnership,
        member=member,
        kind=ContributionKind.FINANCIAL,
        description="Funding",
        planned_amount=1000,
    )


@pytest.fixture
def elsewhere():
    """Another partnership, with its own objective, indicator and member."""
    other = PartnershipFactory()
    objective = Objective.objects.create(partnership=other, description="Other objective")
    indicator = Indicator.objects.create(objective=objective, name="Other", unit="u", target=1)
    member = MemberFactory(partnership=other)
    return {"partnership": other, "objective": objective, "indicator": indicator, "member": member}


# ----- partnership -----------------------------------------------------------------------------


def test_creating_a_partnership_goes_through_the_service(fclient, facilitator):
    response = fclient.post(
        reverse("partnerships:create"),
        {
            "title": "Escuelas Inter@ctivas",
            "country": "PE",
            "facilitator": facilitator.pk,
            "language": "es",
            "currency": "PEN",
            "sdg_goals": ["4", "9"],
            "sdg_targets": "4.1, 9.c",
            "assessment_dates": "2027-06-30, 2026-12-31",
        },
    )
    created = Partnership.objects.get(title="Escuelas Inter@ctivas")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.reference.startswith("ALZ-")
    assert created.phase == Phase.INTEREST
    assert created.created_by == facilitator and created.facilitator == facilitator
    assert created.sdg_goals == ["4", "9"] and created.sdg_targets == ["4.1", "9.c"]
    assert created.assessment_dates == ["2026-12-31", "2027-06-30"]


def test_creating_a_partnership_with_bad_input_saves_nothing(fclient):
    response = fclient.post(
        reverse("partnerships:create"),
        {
            "title": "",
            "country": "PE",
            "language": "en",
            "currency": "USD",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
            "sdg_targets": "banana",
            "assessment_dates": "next year",
        },
    )
    assert_shows_error(response, "This field is required")
    content = response.content.decode()
    assert "The end must not be before the start" in content
    assert "is not an SDG target" in content
    assert "is not a date" in content
    assert not Partnership.objects.exists()


def test_partners_may_not_create_partnerships(client):
    client.force_login(UserFactory(role=Role.PARTNER))
    assert client.get(reverse("partnerships:create")).status_code == 403


def test_editing_keeps_field_ids_for_checklist_links(fclient, partnership):
    content = fclient.get(url("edit", partnership)).content.decode()
    for field in ("common_interest", "facilitator", "start_date", "assessment_every_months"):
        assert f'id="id_{field}"' in content


def test_editing_with_bad_input_saves_nothing(fclient, partnership):
    response = fclient.post(
        url("edit", partnership),
        {
            "title": "Changed",
            "country": "PE",
            "language": "en",
            "currency": "USD",
            "start_date": "2026-05-01",
            "end_date": "2026-01-01",
            "assessment_every_months": "0",
        },
    )
    assert_shows_error(response, "The end must not be before the start")
    partnership.refresh_from_db()
    assert partnership.title == "Child Nutrition in Ancash"
    assert partnership.start_date is None


def test_editing_saves_and_keeps_the_phase(fclient, partnership):
    response = fclient.post(
        url("edit", partnership),
        {
            "title": "Changed",
            "country": "PE",
            "language": "en",
            "currency": "USD",
            "common_interest": "Less anaemia",
            "facilitator": partnership.facilitator_id,
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert (partnership.title, partnership.common_interest) == ("Changed", "Less anaemia")
    assert partnership.phase == Phase.INTEREST


# ----- members ---------------------------------------------------------------------------------


def field_errors(response, name):
    assert response.status_code == 200
    return response.context["form"].errors.get(name)


def test_adding_a_member_by_name_then_choosing_its_signatory(fclient, partnership):
    org = OrganisationFactory(name="CARE Perú", acronym="CARE")
    signatory = UserFactory(organisation=org, full_name="Carmen Signer")
    UserFactory(full_name="Foreign Person")
    add = fclient.get(url("member_add", partnership)).content.decode()
    assert 'name="signatory"' not in add and "Foreign Person" not in add and "<option" in add

    response = fclient.post(
        url("member_add", partnership),
        {"organisation": "  care PERÚ ", "role": MemberRole.IMPLEMENTER, "signatory": 99},
    )
    member = Member.objects.get(partnership=partnership)
    assert (member.organisation, member.signatory) == (org, None)  # a posted signatory: ignored
    # Its people exist: on to choosing which of them signs.
    assert response.status_code == 302
    assert response["Location"] == url("member_edit", partnership, member.pk)
    edit = fclient.get(response["Location"])
    content = edit.content.decode()
    assert "CARE Perú is now a member. Choose its authorised signatory" in content
    assert "Carmen Signer" in content and "Foreign Person" not in content
    assert 'value="CARE Perú"' in content and "data-organisation-picker" not in content

    response = fclient.post(
        url("member_edit", partnership, member.pk),
        {"role": MemberRole.IMPLEMENTER, "signatory": signatory.pk},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.signatory == signatory


def test_adding_a_member_by_acronym_without_people_goes_back_to_the_partnership(
    fclient, partnership
):
    org = OrganisationFactory(name="Mesa de Concertación", acronym="MCLCP")
    response = fclient.post(
        url("member_add", partnership), {"organisation": "mclcp", "role": MemberRole.ALLY}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{partnership.get_absolute_url()}#members"
    assert Member.objects.get(partnership=partnership).organisation == org


def test_adding_a_member_of_an_unknown_organisation_says_so_next_to_the_field(fclient, partnership):
    OrganisationFactory(name="CARE Perú")
    response = fclient.post(
        url("member_add", partnership), {"organisation": "CARE", "role": MemberRole.ALLY}
    )
    assert field_errors(response, "organisation") == [
        "No organisation is called “CARE”. Type its whole name or acronym, or choose one of "
        "the suggestions."
    ]
    assert 'value="CARE"' in response.content.decode()  # the typed text stays
    response = fclient.post(url("member_add", partnership), {"role": MemberRole.ALLY})
    assert field_errors(response, "organisation") == ["This field is required."]
    assert not Member.objects.exists()


def test_a_signatory_from_another_organisation_is_refused_next_to_the_field(
    fclient, partnership, member
):
    stranger = UserFactory(organisation=OrganisationFactory(name="Other"))
    response = fclient.post(
        url("member_edit", partnership, member.pk),
        {"role": MemberRole.PUBLIC_ENTITY, "signatory": stranger.pk},
    )
    assert field_errors(response, "signatory") == [
        "The signatory must be a person of Ministerio de Salud."
    ]
    assert_shows_error(response, "The signatory must be a person of Ministerio de Salud")
    member.refresh_from_db()
    assert member.signatory is None


def test_an_organisation_cannot_be_a_member_twice(fclient, partnership, member):
    response = fclient.post(
        url("member_add", partnership),
        {"organisation": "ministerio de salud", "role": MemberRole.FUNDER},
    )
    assert field_errors(response, "organisation") == ["This organisation is already a member."]
    assert Member.objects.count() == 1


def test_editing_a_member_offers_only_its_own_people_as_signatory(fclient, partnership, member):
    own = UserFactory(organisation=member.organisation, full_name="Own Person")
    UserFactory(full_name="Foreign Person")
    OrganisationFactory(name="Another Ministry")
    content = fclient.get(url("member_edit", partnership, member.pk)).content.decode()
    assert "Own Person" in content and "Foreign Person" not in content
    response = fclient.post(
        url("member_edit", partnership, member.pk),
        {
            "organisation": "Another Ministry",  # the organisation of a member stays
            "role": MemberRole.FUNDER,
            "signatory": own.pk,
            "motivation": "Health",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.organisation.name, member.role, member.signatory, member.motivation) == (
        "Ministerio de Salud",
        MemberRole.FUNDER,
        own,
        "Health",
    )


def test_a_member_of_another_partnership_cannot_be_edited_here(fclient, partnership, elsewhere):
    response = fclient.get(url("member_edit", partnership, elsewhere["member"].pk))
    assert response.status_code == 404


# ----- objectives, indicators, measurements ----------------------------------------------------


def test_an_objective_needs_a_description(fclient, partnership):
    response = fclient.post(
        url("objective_add", partnership), {"kind": "specific", "description": "", "order": 0}
    )
    assert_shows_error(response, "This field is required")
    assert not Objective.objects.exists()
    fclient.post(
        url("objective_add", partnership),
        {"kind": "specific", "description": "Reduce anaemia", "order": 0},
    )
    assert Objective.objects.get().partnership == partnership


def test_an_indicator_must_belong_to_an_objective_of_this_partnership(
    fclient, partnership, objective, elsewhere
):
    data = {"name": "Anaemia", "unit": "%", "measure": "percentage", "baseline": 40, "target": 20}
    response = fclient.post(
        url("indicator_add", partnership), {**data, "objective": elsewhere["objective"].pk}
    )
    assert_shows_error(response, "Select a valid choice")
    assert not Indicator.objects.filter(name="Anaemia").exists()
    response = fclient.post(
        url("indicator_add", partnership), {**data, "objective": objective.pk, "target": ""}
    )
    assert_shows_error(response, "This field is required")
    fclient.post(url("indicator_add", partnership), {**data, "objective": objective.pk})
    assert Indicator.objects.get(name="Anaemia").objective == objective


def test_a_measurement_needs_an_indicator_of_this_partnership(
    fclient, partnership, indicator, elsewhere, facilitator
):
    response = fclient.post(
        url("measurement_add", partnership),
        {"indicator": elsewhere["indicator"].pk, "measured_on": "2026-03-01", "value": "12"},
    )
    assert_shows_error(response, "Select a valid choice")
    response = fclient.post(
        url("measurement_add", partnership),
        {"indicator": indicator.pk, "measured_on": "", "value": "abc"},
    )
    assert_shows_error(response, "Enter a number")
    assert not Measurement.objects.exists()
    fclient.post(
        url("measurement_add", partnership),
        {"indicator": indicator.pk, "measured_on": "2026-03-01", "value": "12.5"},
    )
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.recorded_by) == (Decimal("12.5"), facilitator)


# ----- contributions and deliveries ------------------------------------------------------------


def test_a_contribution_rejects_negative_amounts_and_reversed_periods(
    fclient, partnership, member, elsewhere
):
    data = {
        "member": member.pk,
        "kind": ContributionKind.FINANCIAL,
        "description": "Funding",
        "planned_amount": "-5",
        "currency": "USD",
        "period_start": "2026-06-01",
        "period_end": "2026-01-01",
    }
    response = fclient.post(url("contribution_add", partnership), data)
    assert_shows_error(response, "greater than or equal to 0")
    assert "The end must not be before the start" in response.content.decode()
    response = fclient.post(
        url("contribution_add", partnership),
        {**data, "planned_amount": "10", "period_end": "", "member": elsewhere["member"].pk},
    )
    assert_shows_error(response, "Select a valid choice")
    assert not Contribution.objects.exists()
    fclient.post(
        url("contribution_add", partnership), {**data, "planned_amount": "10", "period_end": ""}
    )
    assert Contribution.objects.get().planned_amount == 10


def test_a_delivery_must_be_positive_and_adds_to_the_total(fclient, partnership, contribution):
    target = url("delivery_add", partnership, contribution.pk)
    response = fclient.post(target, {"delivered_on": "2026-02-01", "amount": "0"})
    assert_shows_error(response, "greater than or equal to 0.01")
    response = fclient.post(target, {"delivered_on": "", "amount": "-10"})
    assert_shows_error(response, "This field is required")
    assert not Delivery.objects.exists()
    contribution.refresh_from_db()
    assert contribution.delivered_amount == 0
    fclient.post(target, {"delivered_on": "2026-02-01", "amount": "250"})
    fclient.post(target, {"delivered_on": "2026-03-01", "amount": "100.50"})
    contribution.refresh_from_db()
    assert contribution.delivered_amount == Decimal("350.50")
    assert Delivery.objects.count() == 2


def test_a_delivery_for_a_contribution_of_another_partnership_is_404(
    fclient, partnership, elsewhere
):
    foreign = Contribution.objects.create(
        partnership=elsewhere["partnership"],
        member=elsewhere["member"],
        kind=ContributionKind.FINANCIAL,
        description="x",
        planned_amount=1,
    )
    response = fclient.post(
        url("delivery_add", partnership, foreign.pk),
        {"delivered_on": "2026-02-01", "amount": "5"},
    )
    assert response.status_code == 404
    assert not Delivery.objects.exists()


# ----- activities, meetings, assessments --------------------------------------------------------


def test_an_activity_must_end_after_it_starts_and_link_an_indicator_of_this_partnership(
    fclient, partnership, indicator, elsewhere
):
    data = {
        "title": "Baseline survey",
        "starts_on": "2026-05-01",
        "ends_on": "2026-04-01",
        "status": "planned",
    }
    response = fclient.post(url("activity_add", partnership), data)
    assert_shows_error(response, "The end must not be before the start")
    response = fclient.post(
        url("activity_add", partnership),
        {**data, "ends_on": "2026-06-01", "indicator": elsewhere["indicator"].pk},
    )
    assert_shows_error(response, "Select a valid choice")
    assert not Activity.objects.exists()
    fclient.post(
        url("activity_add", partnership),
        {**data, "ends_on": "2026-06-01", "indicator": indicator.pk},
    )
    assert Activity.objects.get().indicator == indicator


def test_a_meeting_records_its_attendees_from_the_partnership(
    fclient, partnership, member, facilitator
):
    person = UserFactory(organisation=member.organisation, full_name="Ana Torres")
    stranger = UserFactory()
    data = {"title": "Steering committee", "held_at": "2026-03-01T10:00", "place": "Huaraz"}
    response = fclient.post(url("meeting_add", partnership), {**data, "attendees": [stranger.pk]})
    assert_shows_error(response, "Select a valid choice")
    response = fclient.post(url("meeting_add", partnership), {**data, "held_at": "yesterday"})
    assert_shows_error(response, "Enter a valid date/time")
    assert not Meeting.objects.exists()

    fclient.post(
        url("meeting_add", partnership), {**data, "attendees": [person.pk, facilitator.pk]}
    )
    meeting = Meeting.objects.get()
    assert set(meeting.attendees.all()) == {person, facilitator}

    # Editing keeps the confirmation of people still listed and drops the others.
    Attendance.objects.filter(meeting=meeting, person=person).update(
        minutes_confirmed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    )
    fclient.post(url("meeting_edit", partnership, meeting.pk), {**data, "attendees": [person.pk]})
    attendance = Attendance.objects.get(meeting=meeting)
    assert attendance.person == person and attendance.minutes_confirmed_at is not None


def test_an_assessment_period_must_end_after_it_starts(fclient, partnership, facilitator):
    data = {"period_start": "2026-06-01", "period_end": "2026-01-01", "recommendation": "close"}
    response = fclient.post(url("assessment_add", partnership), data)
    assert_shows_error(response, "The end must not be before the start")
    response = fclient.post(url("assessment_add", partnership), {"recommendation": "maybe"})
    assert_shows_error(response, "Select a valid choice")
    assert not Assessment.objects.exists()
    fclient.post(url("assessment_add", partnership), {**data, "period_end": "2026-12-31"})
    assert Assessment.objects.get().created_by == facilitator


# ----- candidate partners ----------------------------------------------------------------------


def test_candidates_are_scored_ranked_and_invited(fclient, partnership):
    OrganisationFactory(name="Universidad Cayetano Heredia", sector=Sector.ACADEMIA, acronym="UPCH")
    OrganisationFactory(name="Small Foundation")
    scores = dict.fromkeys(PartnerCandidate.CRITERIA, 5)
    fclient.post(url("candidates", partnership), {"organisation": "upch", **scores})
    fclient.post(
        url("candidates", partnership),
        {"organisation": "Small Foundation", **dict.fromkeys(PartnerCandidate.CRITERIA, 2)},
    )
    content = fclient.get(url("candidates", partnership)).content.decode()
    assert content.index("Universidad Cayetano Heredia") < content.index("Small Foundation")
    assert "25 / 25" in content

    candidate = PartnerCandidate.objects.get(organisation__acronym="UPCH")
    fclient.post(url("candidate_invite", partnership, candidate.pk), {"role": MemberRole.ALLY})
    member = Member.objects.get(partnership=partnership, organisation__acronym="UPCH")
    assert member.role == MemberRole.ALLY


def test_a_candidate_score_must_be_between_1_and_5(fclient, partnership):
    org = OrganisationFactory()
    scores = {**dict.fromkeys(PartnerCandidate.CRITERIA, 3), "leverage": 6}
    response = fclient.post(url("candidates", partnership), {"organisation": org.name, **scores})
    assert_shows_error(response, "less than or equal to 5")
    response = fclient.post(url("candidates", partnership), {"organisation": org.name})
    assert_shows_error(response, "This field is required")
    assert not PartnerCandidate.objects.exists()


def test_a_candidate_is_named_exactly_and_only_once(fclient, partnership, member):
    scores = dict.fromkeys(PartnerCandidate.CRITERIA, 3)
    OrganisationFactory(name="Small Foundation")

    def add(name):
        return fclient.post(url("candidates", partnership), {"organisation": name, **scores})

    assert field_errors(add("Small"), "organisation") == [
        "No organisation is called “Small”. Type its whole name or acronym, or choose one of "
        "the suggestions."
    ]
    assert add(" small foundation").status_code == 302
    assert field_errors(add("Small Foundation"), "organisation") == [
        "Small Foundation is already a candidate."
    ]
    assert field_errors(add("MINISTERIO DE SALUD"), "organisation") == [
        "Ministerio de Salud is already a member."
    ]
    assert [c.organisation.name for c in PartnerCandidate.objects.all()] == ["Small Foundation"]
