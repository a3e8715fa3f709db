import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from risks import services
from risks.models import Category, ReviewKind, Risk, RiskReview, Status
from tests.factories import MemberFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_score_is_likelihood_times_impact_and_kept_in_the_database(partnership, make_risk):
    risk = make_risk(partnership, likelihood=4, impact=3)
    assert risk.score == 12
    assert Risk.objects.filter(score=12).get() == risk
    assert list(Risk.objects.filter(score__gte=13)) == []


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 3), (3, 0), (3, 9), ("x", 3)])
def test_ratings_out_of_range_are_refused_with_a_field_error(
    partnership, facilitator, likelihood, impact
):
    with pytest.raises(ValidationError) as refused:
        services.risk_create(
            partnership=partnership,
            by=facilitator,
            title="Distrust among partners",
            category=Category.DISTRUST,
            likelihood=likelihood,
            impact=impact,
        )
    errors = refused.value.message_dict
    bad = "likelihood" if likelihood not in (1, 2, 3, 4, 5) else "impact"
    assert "from 1 to 5" in errors[bad][0]
    assert not Risk.objects.exists()
    assert not RiskReview.objects.exists()


def test_the_database_refuses_ratings_out_of_range_too(partnership, make_risk):
    risk = make_risk(partnership)
    with pytest.raises(IntegrityError), transaction.atomic():
        Risk.objects.filter(pk=risk.pk).update(likelihood=7)


def test_an_owner_from_another_partnership_is_refused(partnership, facilitator):
    stranger = MemberFactory(partnership=PartnershipFactory())
    with pytest.raises(ValidationError) as refused:
        services.risk_create(
            partnership=partnership,
            by=facilitator,
            title="Loss of credibility",
            category=Category.CREDIBILITY,
            likelihood=2,
            impact=4,
            owner=stranger,
        )
    assert "not a member of this partnership" in refused.value.message_dict["owner"][0]
    assert not Risk.objects.exists()


def test_a_next_review_date_in_the_past_is_refused(partnership, facilitator):
    with pytest.raises(ValidationError) as refused:
        services.risk_create(
            partnership=partnership,
            by=facilitator,
            title="Communication problems",
            category=Category.COMMUNICATION,
            likelihood=2,
            impact=2,
            next_review_on=TODAY - datetime.timedelta(days=1),
        )
    assert "in the past" in refused.value.message_dict["next_review_on"][0]
    assert not Risk.objects.exists()


def test_creating_records_the_first_rating(partnership, make_risk, ngo, facilitator):
    risk = make_risk(partnership, owner=ngo, next_review_on=TODAY)
    assert risk.phase_identified == partnership.phase
    (first,) = risk.reviews.all()
    assert (first.kind, first.likelihood, first.impact, first.score) == (
        ReviewKind.IDENTIFIED,
        3,
        3,
        9,
    )
    assert first.reviewer == facilitator


def test_a_review_updates_the_ratings_and_every_review_is_kept(partnership, make_risk, ngo):
    risk = make_risk(partnership, owner=ngo)
    services.risk_review(
        risk=risk, by=partnership.facilitator, likelihood=4, impact=5, note="Elections announced"
    )
    services.risk_review(
        risk=risk,
        by=partnership.facilitator,
        likelihood=2,
        impact=5,
        status=Status.MITIGATED,
        next_review_on=TODAY + datetime.timedelta(days=30),
    )
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score, risk.status) == (2, 5, 10, "mitigated")
    assert risk.next_review_on == TODAY + datetime.timedelta(days=30)
    history = list(risk.reviews.order_by("pk").values_list("kind", "score", "note"))
    assert history == [
        ("identified", 9, "Identified."),
        ("review", 20, "Elections announced"),
        ("review", 10, ""),
    ]


def test_a_bad_review_changes_nothing(partnership, make_risk):
    risk = make_risk(partnership)
    with pytest.raises(ValidationError) as refused:
        services.risk_review(
            risk=risk,
            by=partnership.facilitator,
            likelihood=8,
            impact=2,
            next_review_on=TODAY - datetime.timedelta(days=3),
        )
    assert set(refused.value.message_dict) == {"likelihood", "next_review_on"}
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (3, 3)
    assert risk.reviews.count() == 1


def test_a_change_of_ratings_on_edit_is_recorded(partnership, make_risk, ministry):
    risk = make_risk(partnership)
    services.risk_update(risk=risk, by=partnership.facilitator, impact=5, owner=ministry)
    risk.refresh_from_db()
    assert risk.score == 15 and risk.owner == ministry
    assert list(risk.reviews.order_by("pk").values_list("kind", flat=True)) == [
        "identified",
        "edit",
    ]
    services.risk_update(risk=risk, by=partnership.facilitator, mitigation="Agreement signed")
    assert risk.reviews.count() == 2


def test_closing_is_the_last_entry_and_ends_reviews(partnership, make_risk):
    risk = make_risk(partnership, next_review_on=TODAY)
    services.risk_close(risk=risk, by=partnership.facilitator, note="No longer applies")
    risk.refresh_from_db()
    assert risk.status == Status.CLOSED and risk.next_review_on is None
    assert risk.reviews.first().kind == ReviewKind.CLOSURE
    with pytest.raises(ValidationError):
        services.risk_review(risk=risk, by=partnership.facilitator, likelihood=1, impact=1)


def test_overdue_lists_active_risks_whose_review_date_has_passed(partnership, make_risk):
    late = make_risk(partnership, title="Late")
    make_risk(partnership, title="On time", next_review_on=TODAY)
    Risk.objects.filter(pk=late.pk).update(next_review_on=TODAY - datetime.timedelta(days=1))
    assert list(Risk.objects.overdue()) == [late]
